/// Decisions on golden items (honeypots) and how many matched the gold label.
public struct GoldenAggregate: AggregateFamily {
  /// Decisions on golden items.
  public var seen = 0
  /// Of those, decisions with the gold label.
  public var correct = 0

  /// No decisions.
  public init() {}

  /// Counts the decision when its item is a golden one.
  public mutating func add(_ joined: JoinedDecision) {
    guard let gold = joined.goldLabel else { return }
    seen += 1
    if Definitions.isCorrect(label: joined.decision.label, reference: gold) { correct += 1 }
  }

  /// Adds another part's counts.
  public mutating func merge(_ other: GoldenAggregate) {
    seen += other.seen
    correct += other.correct
  }
}
