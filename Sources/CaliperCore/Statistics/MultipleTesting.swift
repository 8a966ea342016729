/// Corrections for testing many groups at once (every site, every label).
public enum MultipleTesting {
  /// Benjamini–Hochberg false discovery rate adjustment (statsmodels `multipletests`, method
  /// `fdr_bh`): the adjusted p-values in the input order and which are rejected at `alpha`.
  public static func benjaminiHochberg(
    _ pValues: [Double], alpha: Double = 0.05
  ) throws
    -> (adjusted: [Double], rejected: [Bool])
  {
    guard alpha > 0, alpha < 1 else {
      throw StatisticsError("benjamini_hochberg", "alpha", "must lie in (0, 1) (got \(alpha))")
    }
    for (index, p) in pValues.enumerated() where !(p >= 0 && p <= 1) {
      throw StatisticsError(
        "benjamini_hochberg", "pvalues", "must hold p-values in [0, 1] (element \(index + 1) is \(p))")
    }
    let m = pValues.count
    let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
    var adjusted = [Double](repeating: 0, count: m)
    var running = 1.0
    for rank in stride(from: m, through: 1, by: -1) {
      let index = order[rank - 1]
      running = min(running, pValues[index] * Double(m) / Double(rank))
      adjusted[index] = min(1, running)
    }
    return (adjusted, adjusted.map { $0 <= alpha })
  }
}
