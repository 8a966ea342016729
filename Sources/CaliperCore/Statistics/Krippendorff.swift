/// Krippendorff's alpha: agreement for any number of raters, missing ratings allowed, at four
/// levels of measurement (reference: the `krippendorff` Python package).
public enum Krippendorff {
  /// The level of measurement, which decides how far apart two labels are.
  public enum Level: String, Sendable, CaseIterable {
    /// Labels are names: any two different labels disagree fully.
    case nominal
    /// Labels are ordered: distance grows with how many ratings lie between them.
    case ordinal
    /// Labels are numbers on an interval scale: squared difference.
    case interval
    /// Labels are numbers with a true zero: squared difference relative to the sum.
    case ratio
  }

  /// α = 1 − D_o / D_e from the coincidence matrix of pairable values (units with at least two
  /// ratings). Undefined when there are no pairable values or no expected disagreement.
  public static func alpha(_ ratings: [Rating], level: Level = .nominal) throws -> StatResult<Double> {
    if level != .nominal, let bad = ratings.first(where: { $0.value.numericValue == nil }) {
      throw StatisticsError(
        "krippendorff_alpha", "ratings",
        "needs numeric labels at the \(level.rawValue) level (unit '\(bad.unit)' has '\(bad.value)')")
    }
    try Check.labels(ratings, in: "krippendorff_alpha")
    let grouped = RatingsByUnit(ratings)
    let categories = grouped.categories
    try Check.labelCount(categories.count, "ratings", in: "krippendorff_alpha")
    var index: [Label: Int] = [:]
    for (position, label) in categories.enumerated() { index[label] = position }
    let size = categories.count
    var coincidences = [[Double]](repeating: [Double](repeating: 0, count: size), count: size)
    for values in grouped.values where values.count >= 2 {
      var counts = [Int](repeating: 0, count: size)
      for value in values { counts[index[value]!] += 1 }
      let weight = 1 / Double(values.count - 1)
      for c in 0..<size where counts[c] > 0 {
        for k in 0..<size where counts[k] > 0 {
          let pairs = c == k ? Double(counts[c] * (counts[c] - 1)) : Double(counts[c] * counts[k])
          coincidences[c][k] += pairs * weight
        }
      }
    }
    let marginals = coincidences.map { $0.reduce(0, +) }
    let total = marginals.reduce(0, +)
    guard total > 1 else { return .undefined(reason: "no unit has two or more ratings") }
    let distance = metric(level, categories: categories, marginals: marginals)
    var observed = 0.0
    var expected = 0.0
    for c in 0..<size {
      for k in 0..<size {
        let d = distance(c, k)
        observed += coincidences[c][k] * d
        expected += marginals[c] * marginals[k] * d
      }
    }
    observed /= total
    expected /= total * (total - 1)
    guard expected > 0 else { return .undefined(reason: "no expected disagreement (a single label in use)") }
    return .defined(1 - observed / expected)
  }

  /// The squared distance δ²(c, k) between category indices at `level`.
  static func metric(_ level: Level, categories: [Label], marginals: [Double]) -> (Int, Int) -> Double {
    switch level {
    case .nominal:
      return { $0 == $1 ? 0 : 1 }
    case .interval:
      let values = categories.map { $0.numericValue ?? 0 }
      return { (values[$0] - values[$1]) * (values[$0] - values[$1]) }
    case .ratio:
      let values = categories.map { $0.numericValue ?? 0 }
      return { c, k in
        let sum = values[c] + values[k]
        return sum == 0 ? 0 : ((values[c] - values[k]) / sum) * ((values[c] - values[k]) / sum)
      }
    case .ordinal:
      // (Σ_{g between c and k} n_g − (n_c + n_k)/2)², categories in their sorted order.
      var cumulative = [0.0]
      for marginal in marginals { cumulative.append(cumulative.last! + marginal) }
      return { c, k in
        let low = min(c, k)
        let high = max(c, k)
        let between = cumulative[high + 1] - cumulative[low] - (marginals[c] + marginals[k]) / 2
        return between * between
      }
    }
  }
}
