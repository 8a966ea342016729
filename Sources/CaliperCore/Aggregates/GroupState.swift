/// Everything one streaming pass learns about one group (a site in a week, say), one field
/// per ``AggregateFamily``: counts and integer sums only, so merging states built from parts
/// of the input gives exactly the state of one pass over all of it. `Key` is a worker's
/// interned id during the pass and `String` in results (``GroupAggregate``).
public struct GroupState<Key: Hashable & Comparable & Sendable>: Sendable, Equatable {
  /// Decisions.
  public var decisions = 0
  /// Handle times.
  public var handle = HandleTimeAggregate()
  /// SLA attainment.
  public var sla = SLAAggregate()
  /// QA audits.
  public var qa = QAAggregate<Key>()
  /// Golden-set decisions.
  public var golden = GoldenAggregate()
  /// AI assistance.
  public var ai = AIAggregate<Key>()
  /// Markets, vendors and sites.
  public var context = ContextAggregate<Key>()

  /// An empty state.
  public init() {}

  /// Adds another state of the same group.
  public mutating func merge(_ other: GroupState) {
    decisions += other.decisions
    handle.merge(other.handle)
    sla.merge(other.sla)
    qa.merge(other.qa)
    golden.merge(other.golden)
    ai.merge(other.ai)
    context.merge(other.context)
  }

  /// The same state with every key translated (worker ids to strings).
  public func mapKeys<NewKey>(_ transform: (Key) -> NewKey) -> GroupState<NewKey> {
    var mapped = GroupState<NewKey>()
    mapped.decisions = decisions
    mapped.handle = handle
    mapped.sla = sla
    mapped.qa = qa.mapKeys(transform)
    mapped.golden = golden
    mapped.ai = ai.mapKeys(transform)
    mapped.context = context.mapKeys(transform)
    return mapped
  }
}

/// A group's state in results: keys are the data's own strings.
public typealias GroupAggregate = GroupState<String>

extension GroupState: Codable where Key == String {}

extension GroupState where Key == String {
  /// Adds one decision to every family: the reference aggregation, row by row, that the fast
  /// pass is proven equal to.
  public mutating func add(_ joined: JoinedDecision) {
    decisions += 1
    handle.add(joined)
    sla.add(joined)
    qa.add(joined)
    golden.add(joined)
    ai.add(joined)
    context.add(joined)
  }
}
