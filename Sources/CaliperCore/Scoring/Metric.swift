/// A measured value with what it rests on: its sample size, its successes when it is a
/// proportion, its 95% confidence interval when one exists, or why it is undefined. Reports
/// never show a number without its `n`, and never show an undefined value as a number.
public struct Metric: Sendable, Equatable, Codable {
  /// The value; `nil` when undefined.
  public var value: Double?
  /// The sample size behind it.
  public var n: Int
  /// Successes, for proportions.
  public var k: Int?
  /// Lower end of the 95% interval, when there is one.
  public var lo: Double?
  /// Upper end of the 95% interval, when there is one.
  public var hi: Double?
  /// Why the value is undefined.
  public var reason: String?

  /// A value with its sample size (and interval, if known).
  public init(value: Double, n: Int, k: Int? = nil, lo: Double? = nil, hi: Double? = nil) {
    self.value = value
    self.n = n
    self.k = k
    self.lo = lo
    self.hi = hi
  }

  /// An undefined value and why.
  public init(undefined reason: String, n: Int) {
    self.n = n
    self.reason = reason
  }

  /// `k` of `n` with its Wilson 95% interval; undefined when `n` is 0.
  public static func proportion(_ k: Int, of n: Int, what: String = "trials") -> Metric {
    guard n > 0 else { return Metric(undefined: "no \(what) (n = 0)", n: 0) }
    let interval = (try? Proportions.wilson(successes: k, trials: n))?.value
    return Metric(value: Double(k) / Double(n), n: n, k: k, lo: interval?.lowerBound, hi: interval?.upperBound)
  }
}
