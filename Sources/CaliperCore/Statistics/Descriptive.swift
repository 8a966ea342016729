/// Means, spreads and percentiles.
public enum Descriptive {
  /// The arithmetic mean (numpy `mean`), summed pairwise-compensated (Kahan–Babuška) so that
  /// long series of similar values keep their precision. Undefined for no values.
  public static func mean(_ values: [Double]) throws -> StatResult<Double> {
    try Check.finite(values, "values", in: "mean")
    guard !values.isEmpty else { return .undefined(reason: "no values") }
    return overflowChecked(compensatedSum(values) / Double(values.count), "their sum")
  }

  /// The sample standard deviation (numpy `std` with `ddof=1`), two-pass for stability.
  /// Undefined for fewer than two values.
  public static func stdev(_ values: [Double]) throws -> StatResult<Double> {
    try Check.finite(values, "values", in: "stdev")
    guard values.count >= 2 else { return .undefined(reason: "fewer than two values") }
    let center = compensatedSum(values) / Double(values.count)
    guard center.isFinite else { return overflowChecked(center, "their sum") }
    let squares = compensatedSum(values.map { ($0 - center) * ($0 - center) })
    return overflowChecked((squares / Double(values.count - 1)).squareRoot(), "their squared deviations")
  }

  /// The q-th percentile, q in 0...100, by linear interpolation between order statistics (numpy
  /// `percentile`, method `linear`). Sorts one copy of the values, once. Undefined for no values.
  public static func percentile(_ values: [Double], _ q: Double) throws -> StatResult<Double> {
    try percentiles(values, [q]).map { $0[0] }
  }

  /// Several percentiles from one sort.
  public static func percentiles(_ values: [Double], _ qs: [Double]) throws -> StatResult<[Double]> {
    try Check.finite(values, "values", in: "percentile")
    for q in qs where !(q >= 0 && q <= 100) {
      throw StatisticsError("percentile", "q", "must lie in [0, 100] (got \(q))")
    }
    guard !values.isEmpty else { return .undefined(reason: "no values") }
    let sorted = values.sorted()
    return .defined(qs.map { interpolate(sorted, $0) })
  }

  static func interpolate(_ sorted: [Double], _ q: Double) -> Double {
    let position = Double(sorted.count - 1) * q / 100
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    let fraction = position - Double(lower)
    return sorted[lower] + fraction * (sorted[upper] - sorted[lower])
  }

  /// Kahan–Babuška–Neumaier summation.
  static func compensatedSum(_ values: [Double]) -> Double {
    var sum = 0.0
    var compensation = 0.0
    for value in values {
      let total = sum + value
      if abs(sum) >= abs(value) {
        compensation += (sum - total) + value
      } else {
        compensation += (value - total) + sum
      }
      sum = total
    }
    return sum + compensation
  }

  /// `value`, or undefined when a finite input overflowed double precision on the way (a sum
  /// of values near 1e308): never infinity or NaN.
  static func overflowChecked(_ value: Double, _ what: String) -> StatResult<Double> {
    value.isFinite ? .defined(value) : .undefined(reason: "\(what) overflow double precision (beyond ±1.8e308)")
  }
}

extension StatResult {
  /// Transforms a defined value; an undefined result stays undefined with its reason.
  func map<T>(_ transform: (Value) throws -> T) rethrows -> StatResult<T> {
    switch self {
    case .defined(let value): .defined(try transform(value))
    case .undefined(let reason): .undefined(reason: reason)
    }
  }

}
