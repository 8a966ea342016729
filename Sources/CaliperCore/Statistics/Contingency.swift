/// Tests on contingency tables (label × vendor, error type × site, ...).
public enum Contingency {
  /// Pearson's chi-square test of independence without Yates' correction (SciPy
  /// `chi2_contingency(correction=False)`). Undefined when a row or column sums to zero or the
  /// table has a single row or column.
  public static func chiSquare(_ table: [[Double]]) throws -> StatResult<(chi2: Double, p: Double, dof: Int)> {
    guard let columns = table.first?.count, columns > 0 else {
      throw StatisticsError("chi2_contingency", "table", "must have at least one row and one column")
    }
    for (index, row) in table.enumerated() {
      guard row.count == columns else {
        throw StatisticsError(
          "chi2_contingency", "table",
          "rows must have equal lengths (row \(index + 1) has \(row.count), row 1 has \(columns))")
      }
      if let bad = row.first(where: { !($0 >= 0) || !$0.isFinite }) {
        throw StatisticsError(
          "chi2_contingency", "table", "must hold non-negative counts (row \(index + 1) has \(bad))")
      }
    }
    guard table.count > 1, columns > 1 else { return .undefined(reason: "a single row or column: nothing to compare") }
    let rowSums = table.map { $0.reduce(0, +) }
    let columnSums = (0..<columns).map { column in table.reduce(0) { $0 + $1[column] } }
    let total = rowSums.reduce(0, +)
    guard rowSums.allSatisfy({ $0 > 0 }), columnSums.allSatisfy({ $0 > 0 }) else {
      return .undefined(reason: "a row or column sums to zero: its expected counts are zero")
    }
    var chi2 = 0.0
    for (r, row) in table.enumerated() {
      for (c, observed) in row.enumerated() {
        let expected = rowSums[r] * columnSums[c] / total
        chi2 += (observed - expected) * (observed - expected) / expected
      }
    }
    guard total.isFinite, chi2.isFinite else {
      return .undefined(reason: "the counts overflow double precision (beyond ±1.8e308)")
    }
    let dof = (table.count - 1) * (columns - 1)
    return .defined((chi2, SpecialFunctions.chiSquareSurvival(chi2, dof: Double(dof)), dof))
  }
}
