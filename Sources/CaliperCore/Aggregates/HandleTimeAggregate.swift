/// Handle times of a group's decisions: their exact total and their distribution.
public struct HandleTimeAggregate: AggregateFamily {
  /// Sum of handle times, in whole milliseconds (integers keep merging exact).
  public var millisTotal: Int64 = 0
  /// The distribution, for quantiles within 1%.
  public var sketch = QuantileSketch()

  /// No decisions.
  public init() {}

  /// A handle time in whole milliseconds, rounded half away from zero: the unit every handle
  /// time is counted in.
  @inline(__always)
  public static func milliseconds(_ seconds: Double) -> Int64 { Int64((seconds * 1_000).rounded()) }

  /// Adds the decision's handle time.
  public mutating func add(_ joined: JoinedDecision) {
    let millis = Self.milliseconds(joined.decision.handleSeconds)
    millisTotal += millis
    sketch.add(milliseconds: millis)
  }

  /// Adds another part's handle times.
  public mutating func merge(_ other: HandleTimeAggregate) {
    millisTotal += other.millisTotal
    sketch.merge(other.sketch)
  }
}
