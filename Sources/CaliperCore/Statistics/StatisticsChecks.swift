/// Checks shared by the statistics functions.
enum Check {
  /// A confidence level in (0, 1) whose two-sided quantile 1 − (1 − confidence)/2 is below 1
  /// (the largest double below 1 rounds it up to 1, where the normal quantile is infinite).
  static func confidence(_ value: Double, in function: String) throws {
    guard value > 0, value < 1 else {
      throw StatisticsError(function, "confidence", "must lie in (0, 1) (got \(value))")
    }
    guard 1 - (1 - value) / 2 < 1 else {
      throw StatisticsError(
        function, "confidence",
        "is too close to 1: its tail (1 - confidence)/2 is below double precision (got \(value))")
    }
  }

  /// A count in 0...``StatisticsBounds/maximumCount``.
  static func count(_ value: Int, _ name: String, in function: String) throws {
    guard value >= 0 else { throw StatisticsError(function, name, "must not be negative (got \(value))") }
    guard value <= StatisticsBounds.maximumCount else {
      throw StatisticsError(function, name, "must not exceed 2^53 = \(StatisticsBounds.maximumCount) (got \(value))")
    }
  }

  /// A finite number (NaN and infinities are refused).
  static func finite(_ value: Double, _ name: String, in function: String) throws {
    guard value.isFinite else { throw StatisticsError(function, name, "must be a finite number (got \(value))") }
  }

  static func finite(_ values: [Double], _ name: String, in function: String) throws {
    if let index = values.firstIndex(where: { !$0.isFinite }) {
      throw StatisticsError(function, name, "must hold finite numbers (element \(index + 1) is \(values[index]))")
    }
  }

  /// The sum of `values`, or an error naming them when it overflows.
  static func total(_ values: [Int], _ name: String, in function: String) throws -> Int {
    var sum = 0
    for value in values {
      let (next, overflow) = sum.addingReportingOverflow(value)
      guard !overflow else { throw StatisticsError(function, name, "add up to more than \(Int.max)") }
      sum = next
    }
    return sum
  }

  /// Labels a statistic can compare: numeric labels must not be NaN (NaN equals nothing, not
  /// even itself, so it can be neither counted nor looked up).
  static func labels(_ values: [Label], _ name: String, in function: String) throws {
    if let index = values.firstIndex(where: { $0.numericValue?.isNaN == true }) {
      throw StatisticsError(function, name, "must not hold NaN labels (element \(index + 1) is NaN)")
    }
  }

  /// The same check on the labels of long-format ratings.
  static func labels(_ ratings: [Rating], in function: String) throws {
    if let index = ratings.firstIndex(where: { $0.value.numericValue?.isNaN == true }) {
      throw StatisticsError(function, "ratings", "must not hold NaN labels (rating \(index + 1) is NaN)")
    }
  }

  /// A label count within ``StatisticsBounds/maximumLabels``, for a dense label × label matrix.
  static func labelCount(_ count: Int, _ name: String, in function: String) throws {
    guard count <= StatisticsBounds.maximumLabels else {
      throw StatisticsError(
        function, name,
        "uses \(count) distinct labels; at most \(StatisticsBounds.maximumLabels) are allowed (a label x label matrix)")
    }
  }

  /// A computed size (a sample size, a count of items) as an `Int`: a whole, finite number in
  /// 0...``StatisticsBounds/maximumCount``; beyond it the argument `name` that made it is named.
  static func wholeCount(_ value: Double, _ name: String, in function: String) throws -> Int {
    guard value.isFinite, value >= 0, value <= Double(StatisticsBounds.maximumCount) else {
      throw StatisticsError(
        function, name, "asks for more than 2^53 items (\(value)); no sample that large can be drawn")
    }
    return Int(value)
  }
}
