/// One decision with everything the data contract joins it with: the input of every aggregate
/// family's reference ``AggregateFamily/add(_:)``.
public struct JoinedDecision: Sendable {
  /// The decision.
  public var decision: Decision
  /// Its QA audits, in file order.
  public var audits: [QAAudit]
  /// The gold label of its item, when the item is a golden one.
  public var goldLabel: String?
  /// Its queue, when `queues.csv` knows it (the SLA comes from there).
  public var queue: Queue?
  /// The policy labels errors take their severity from.
  public var policy: PolicyBook

  /// Joins a decision.
  public init(decision: Decision, audits: [QAAudit], goldLabel: String?, queue: Queue?, policy: PolicyBook) {
    self.decision = decision
    self.audits = audits
    self.goldLabel = goldLabel
    self.queue = queue
    self.policy = policy
  }
}

/// One family of a group's aggregates: handle time, SLA, QA, golden set, AI assistance, and
/// context. A family owns its fields, adds one joined decision by the contract's
/// ``Definitions`` (the reference, row by row), merges states built from parts of the input
/// into exactly the state of the whole, and encodes the same state to the same bytes. The fast
/// decisions pass keeps flat counters of its own for speed and is proven equal to these
/// reference `add`s by a conformance test. A new family is a new file beside this one and a
/// field of ``GroupState``.
public protocol AggregateFamily: Sendable, Equatable, Codable {
  /// The empty state.
  init()
  /// Adds one decision, by the contract's definitions.
  mutating func add(_ joined: JoinedDecision)
  /// Adds a state of the same group built from another part of the input.
  mutating func merge(_ other: Self)
}
