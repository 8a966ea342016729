/// QA audit counts of a group's decisions (one trial per audit; correct = the decision's label
/// equals the audit's `qa_label`).
public struct QATally<Key: Hashable & Comparable & Sendable>: Sendable, Equatable {
  /// Audits.
  public var audited = 0
  /// Audits that found the decision correct.
  public var correct = 0
  /// Audits the vendor disputed.
  public var disputed = 0
  /// Disputed audits settled in the moderator's favour.
  public var overturned = 0
  /// Wrong decisions by error severity (the higher of the two labels' severities).
  public var errorsBySeverity = Counts<Severity>()
  /// Wrong decisions by the QA label (the label the item should have had).
  public var errorsByLabel = Counts<Key>()
  /// Audits by (QA label, decision label): the full confusion matrix.
  public var confusion = Counts<LabelPair<Key>>()

  /// Empty counts.
  public init() {}

  mutating func add(decisionLabel: Key, qaLabel: Key, severity: Severity?, disputed: Bool, overturned: Bool) {
    add(decisionLabel: decisionLabel, qaLabel: qaLabel, severity: severity, count: 1)
    if disputed { self.disputed += 1 }
    if overturned { self.overturned += 1 }
  }

  /// Adds `count` audits with these labels, disputes aside: everything but the dispute counts
  /// follows from the two labels (`severity` is the error's, if both labels have one).
  mutating func add(decisionLabel: Key, qaLabel: Key, severity: Severity?, count: Int) {
    audited += count
    if Definitions.isCorrect(label: decisionLabel, reference: qaLabel) {
      correct += count
    } else {
      if let severity { errorsBySeverity.add(severity, count) }
      errorsByLabel.add(qaLabel, count)
    }
    confusion.add(LabelPair(truth: qaLabel, predicted: decisionLabel), count)
  }

  /// Adds another tally.
  public mutating func merge(_ other: QATally) {
    audited += other.audited
    correct += other.correct
    disputed += other.disputed
    overturned += other.overturned
    errorsBySeverity.merge(other.errorsBySeverity)
    errorsByLabel.merge(other.errorsByLabel)
    confusion.merge(other.confusion)
  }

  func mapKeys<NewKey>(_ transform: (Key) -> NewKey) -> QATally<NewKey> {
    var mapped = QATally<NewKey>()
    mapped.audited = audited
    mapped.correct = correct
    mapped.disputed = disputed
    mapped.overturned = overturned
    mapped.errorsBySeverity = errorsBySeverity
    mapped.errorsByLabel = errorsByLabel.mapKeys(transform)
    mapped.confusion = confusion.mapKeys { $0.map(transform) }
    return mapped
  }
}

/// Decisions audited by both vendor QA and internal QA: the paired 2×2 table behind the
/// vendor-vs-internal gap (McNemar's test uses the discordant cells).
public struct PairedQATally: Sendable, Equatable, Codable {
  /// Both audits say correct.
  public var bothCorrect = 0
  /// Vendor QA says correct, internal QA says wrong.
  public var onlyVendorCorrect = 0
  /// Internal QA says correct, vendor QA says wrong.
  public var onlyInternalCorrect = 0
  /// Both say wrong.
  public var bothWrong = 0

  /// Empty counts.
  public init() {}

  /// Decisions in the table.
  public var pairs: Int { bothCorrect + onlyVendorCorrect + onlyInternalCorrect + bothWrong }

  mutating func add(vendorCorrect: Bool, internalCorrect: Bool) {
    switch (vendorCorrect, internalCorrect) {
    case (true, true): bothCorrect += 1
    case (true, false): onlyVendorCorrect += 1
    case (false, true): onlyInternalCorrect += 1
    case (false, false): bothWrong += 1
    }
  }

  /// Adds another table.
  public mutating func merge(_ other: PairedQATally) {
    bothCorrect += other.bothCorrect
    onlyVendorCorrect += other.onlyVendorCorrect
    onlyInternalCorrect += other.onlyInternalCorrect
    bothWrong += other.bothWrong
  }
}

/// QA audits of a group's decisions: every audit, vendor QA's and internal QA's apart, and the
/// decisions both audited (``Definitions/isCorrect(label:reference:)``; an error's severity is
/// ``PolicyBook/errorSeverity(_:_:)``).
public struct QAAggregate<Key: Hashable & Comparable & Sendable>: Sendable, Equatable {
  /// Every audit.
  public var all = QATally<Key>()
  /// Audits by vendor QA.
  public var vendorQA = QATally<Key>()
  /// Audits by internal QA.
  public var internalQA = QATally<Key>()
  /// Decisions audited by both.
  public var paired = PairedQATally()

  /// No audits.
  public init() {}

  /// Adds another part's audits.
  public mutating func merge(_ other: QAAggregate) {
    all.merge(other.all)
    vendorQA.merge(other.vendorQA)
    internalQA.merge(other.internalQA)
    paired.merge(other.paired)
  }

  /// The same audits with every label translated.
  public func mapKeys<NewKey>(_ transform: (Key) -> NewKey) -> QAAggregate<NewKey> {
    var mapped = QAAggregate<NewKey>()
    mapped.all = all.mapKeys(transform)
    mapped.vendorQA = vendorQA.mapKeys(transform)
    mapped.internalQA = internalQA.mapKeys(transform)
    mapped.paired = paired
    return mapped
  }
}

extension QAAggregate: Codable where Key == String {}

extension QAAggregate: AggregateFamily where Key == String {
  /// Adds the decision's audits.
  public mutating func add(_ joined: JoinedDecision) {
    let decision = joined.decision
    var vendorCorrect: Bool?
    var internalCorrect: Bool?
    for audit in joined.audits {
      let severity = joined.policy.errorSeverity(decision.label, audit.qaLabel)
      let overturned = audit.disputeOutcome == .overturned
      all.add(
        decisionLabel: decision.label, qaLabel: audit.qaLabel, severity: severity, disputed: audit.disputed,
        overturned: overturned)
      if audit.auditorOrganisation == .vendor {
        vendorQA.add(
          decisionLabel: decision.label, qaLabel: audit.qaLabel, severity: severity, disputed: audit.disputed,
          overturned: overturned)
        vendorCorrect = decision.isCorrect(per: audit)
      } else {
        internalQA.add(
          decisionLabel: decision.label, qaLabel: audit.qaLabel, severity: severity, disputed: audit.disputed,
          overturned: overturned)
        internalCorrect = decision.isCorrect(per: audit)
      }
    }
    if let vendorCorrect, let internalCorrect {
      paired.add(vendorCorrect: vendorCorrect, internalCorrect: internalCorrect)
    }
  }
}

extension QATally: Codable where Key: Codable {}
