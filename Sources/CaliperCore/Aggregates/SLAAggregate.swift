/// SLA attainment of a group's decisions (``Definitions/isWithinSLA(turnaroundSeconds:slaSeconds:)``).
public struct SLAAggregate: AggregateFamily {
  /// Decisions whose queue (and so SLA) is known.
  public var measured = 0
  /// Of those, decided within the SLA.
  public var within = 0

  /// No decisions.
  public init() {}

  /// Counts the decision when its queue is known.
  public mutating func add(_ joined: JoinedDecision) {
    guard let queue = joined.queue else { return }
    measured += 1
    if joined.decision.isWithinSLA(of: queue) { within += 1 }
  }

  /// Adds another part's counts.
  public mutating func merge(_ other: SLAAggregate) {
    measured += other.measured
    within += other.within
  }
}
