/// A statistic that may be undefined for the data given (a rate with n = 0, a kappa whose
/// expected agreement is 1): then it carries the reason instead of NaN or a silent zero.
public enum StatResult<Value: Sendable>: Sendable {
  /// The statistic's value.
  case defined(Value)
  /// The statistic is undefined for this input; the reason says why, for people.
  case undefined(reason: String)

  /// The value, or `nil` when undefined.
  public var value: Value? {
    if case .defined(let value) = self { return value }
    return nil
  }

  /// Why the statistic is undefined, or `nil` when it is defined.
  public var reason: String? {
    if case .undefined(let reason) = self { return reason }
    return nil
  }
}

extension StatResult: Equatable where Value: Equatable {}

/// A bad argument to a statistics function: the caller's mistake, not an undefined statistic.
public struct StatisticsError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The function called, as scripts name it (for example `wilson`).
  public var function: String
  /// The argument at fault.
  public var argument: String
  /// What is wrong with it.
  public var problem: String

  /// Creates an error.
  public init(_ function: String, _ argument: String, _ problem: String) {
    self.function = function
    self.argument = argument
    self.problem = problem
  }

  /// `wilson: argument 'confidence' must lie in (0, 1) (got 1.5)`.
  public var description: String { "\(function): argument '\(argument)' \(problem)" }
}
