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
    if decisionLabel == qaLabel {
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

/// AI-assist counts for one model version.
public struct AITally<Key: Hashable & Comparable & Sendable>: Sendable, Equatable {
  /// Decisions with an AI suggestion.
  public var suggested = 0
  /// Of those, decisions where the moderator saw it (`ai_assisted`).
  public var assisted = 0
  /// Suggestions equal to the moderator's label.
  public var agreed = 0
  /// Assisted decisions whose label differs from the suggestion.
  public var overridden = 0
  /// Audited overridden decisions, and how many of them QA found correct.
  public var overriddenAudited = 0
  /// See `overriddenAudited`.
  public var overriddenCorrect = 0
  /// Audited accepted suggestions (assisted, same label), and how many QA found correct.
  public var acceptedAudited = 0
  /// See `acceptedAudited`.
  public var acceptedCorrect = 0
  /// Audits of suggested decisions by (QA label, AI label): the model's confusion matrix.
  public var confusion = Counts<LabelPair<Key>>()

  /// Empty counts.
  public init() {}

  /// Adds per-decision counts of suggested decisions (and, from flat per-cell counters, the
  /// audited ones).
  mutating func addCounts(
    suggested: Int, assisted: Int, agreed: Int, overridden: Int, overriddenAudited: Int = 0,
    overriddenCorrect: Int = 0, acceptedAudited: Int = 0, acceptedCorrect: Int = 0
  ) {
    self.suggested += suggested
    self.assisted += assisted
    self.agreed += agreed
    self.overridden += overridden
    self.overriddenAudited += overriddenAudited
    self.overriddenCorrect += overriddenCorrect
    self.acceptedAudited += acceptedAudited
    self.acceptedCorrect += acceptedCorrect
  }

  /// Adds what audits of one suggested decision say about the model (the per-decision counts
  /// are added by the caller).
  mutating func addAudits(label: Key, aiLabel: Key, assisted: Bool, qaLabels: some Sequence<Key>) {
    let overridden = assisted && aiLabel != label
    for qaLabel in qaLabels {
      confusion.add(LabelPair(truth: qaLabel, predicted: aiLabel))
      guard assisted else { continue }
      let correct = qaLabel == label
      if overridden {
        overriddenAudited += 1
        if correct { overriddenCorrect += 1 }
      } else {
        acceptedAudited += 1
        if correct { acceptedCorrect += 1 }
      }
    }
  }

  /// Adds another tally.
  public mutating func merge(_ other: AITally) {
    suggested += other.suggested
    assisted += other.assisted
    agreed += other.agreed
    overridden += other.overridden
    overriddenAudited += other.overriddenAudited
    overriddenCorrect += other.overriddenCorrect
    acceptedAudited += other.acceptedAudited
    acceptedCorrect += other.acceptedCorrect
    confusion.merge(other.confusion)
  }

  func mapKeys<NewKey>(_ transform: (Key) -> NewKey) -> AITally<NewKey> {
    var mapped = AITally<NewKey>()
    mapped.suggested = suggested
    mapped.assisted = assisted
    mapped.agreed = agreed
    mapped.overridden = overridden
    mapped.overriddenAudited = overriddenAudited
    mapped.overriddenCorrect = overriddenCorrect
    mapped.acceptedAudited = acceptedAudited
    mapped.acceptedCorrect = acceptedCorrect
    mapped.confusion = confusion.mapKeys { $0.map(transform) }
    return mapped
  }
}

/// Everything one streaming pass learns about one group (a site in a week, say): counts and
/// integer sums only, so merging states built from parts of the input gives exactly the state
/// of one pass over all of it. `Key` is a worker's interned id during the pass and `String` in
/// results (`GroupAggregate`).
public struct GroupState<Key: Hashable & Comparable & Sendable>: Sendable, Equatable {
  /// Decisions.
  public var decisions = 0
  /// Sum of handle times, in whole milliseconds (integers keep merging exact).
  public var handleMillisTotal: Int64 = 0
  /// Handle-time distribution.
  public var handleTime = QuantileSketch()
  /// Decisions whose queue (and so SLA) is known.
  public var slaMeasured = 0
  /// Of those, decided within the SLA.
  public var slaWithin = 0
  /// All QA audits.
  public var qa = QATally<Key>()
  /// Audits by vendor QA only.
  public var vendorQA = QATally<Key>()
  /// Audits by internal QA only.
  public var internalQA = QATally<Key>()
  /// Decisions audited by both.
  public var paired = PairedQATally()
  /// Decisions on golden items (honeypots), and how many matched the gold label.
  public var goldenSeen = 0
  /// See `goldenSeen`.
  public var goldenCorrect = 0
  /// AI-assist counts by model version.
  public var aiByModel: [Key: AITally<Key>] = [:]
  /// Decisions without an AI suggestion.
  public var unsuggested = 0
  /// Markets, vendors and sites the group's decisions came from (context for reports).
  public var markets = Set<Key>()
  /// See `markets`.
  public var vendors = Set<Key>()
  /// See `markets`.
  public var sites = Set<Key>()

  /// An empty state.
  public init() {}

  /// AI counts over every model version.
  public var ai: AITally<Key> {
    aiByModel.values.reduce(into: AITally<Key>()) { $0.merge($1) }
  }

  /// Adds another state of the same group.
  public mutating func merge(_ other: GroupState) {
    decisions += other.decisions
    handleMillisTotal += other.handleMillisTotal
    handleTime.merge(other.handleTime)
    slaMeasured += other.slaMeasured
    slaWithin += other.slaWithin
    qa.merge(other.qa)
    vendorQA.merge(other.vendorQA)
    internalQA.merge(other.internalQA)
    paired.merge(other.paired)
    goldenSeen += other.goldenSeen
    goldenCorrect += other.goldenCorrect
    for (model, tally) in other.aiByModel { aiByModel[model, default: AITally()].merge(tally) }
    unsuggested += other.unsuggested
    markets.formUnion(other.markets)
    vendors.formUnion(other.vendors)
    sites.formUnion(other.sites)
  }

  /// The same state with every key translated (worker ids to strings).
  public func mapKeys<NewKey>(_ transform: (Key) -> NewKey) -> GroupState<NewKey> {
    var mapped = GroupState<NewKey>()
    mapped.decisions = decisions
    mapped.handleMillisTotal = handleMillisTotal
    mapped.handleTime = handleTime
    mapped.slaMeasured = slaMeasured
    mapped.slaWithin = slaWithin
    mapped.qa = qa.mapKeys(transform)
    mapped.vendorQA = vendorQA.mapKeys(transform)
    mapped.internalQA = internalQA.mapKeys(transform)
    mapped.paired = paired
    mapped.goldenSeen = goldenSeen
    mapped.goldenCorrect = goldenCorrect
    for (model, tally) in aiByModel {
      mapped.aiByModel[transform(model), default: AITally()].merge(tally.mapKeys(transform))
    }
    mapped.unsuggested = unsuggested
    mapped.markets = Set(markets.map(transform))
    mapped.vendors = Set(vendors.map(transform))
    mapped.sites = Set(sites.map(transform))
    return mapped
  }
}

/// A group's state in results: keys are the data's own strings.
public typealias GroupAggregate = GroupState<String>

extension QATally: Codable where Key: Codable {}
extension AITally: Codable where Key: Codable {}

extension GroupState: Codable where Key == String {
  private enum CodingKeys: String, CodingKey {
    case decisions, handleMillisTotal, handleTime, slaMeasured, slaWithin, qa, vendorQA, internalQA, paired
    case goldenSeen, goldenCorrect, aiByModel, unsuggested, markets, vendors, sites
  }

  /// Decodes a state written by `encode(to:)`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    decisions = try c.decode(Int.self, forKey: .decisions)
    handleMillisTotal = try c.decode(Int64.self, forKey: .handleMillisTotal)
    handleTime = try c.decode(QuantileSketch.self, forKey: .handleTime)
    slaMeasured = try c.decode(Int.self, forKey: .slaMeasured)
    slaWithin = try c.decode(Int.self, forKey: .slaWithin)
    qa = try c.decode(QATally.self, forKey: .qa)
    vendorQA = try c.decode(QATally.self, forKey: .vendorQA)
    internalQA = try c.decode(QATally.self, forKey: .internalQA)
    paired = try c.decode(PairedQATally.self, forKey: .paired)
    goldenSeen = try c.decode(Int.self, forKey: .goldenSeen)
    goldenCorrect = try c.decode(Int.self, forKey: .goldenCorrect)
    aiByModel = try c.decode([String: AITally<String>].self, forKey: .aiByModel)
    unsuggested = try c.decode(Int.self, forKey: .unsuggested)
    markets = Set(try c.decode([String].self, forKey: .markets))
    vendors = Set(try c.decode([String].self, forKey: .vendors))
    sites = Set(try c.decode([String].self, forKey: .sites))
  }

  /// Encodes with sets sorted, so the same state always gives the same bytes (with
  /// `JSONEncoder.OutputFormatting.sortedKeys`).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(decisions, forKey: .decisions)
    try c.encode(handleMillisTotal, forKey: .handleMillisTotal)
    try c.encode(handleTime, forKey: .handleTime)
    try c.encode(slaMeasured, forKey: .slaMeasured)
    try c.encode(slaWithin, forKey: .slaWithin)
    try c.encode(qa, forKey: .qa)
    try c.encode(vendorQA, forKey: .vendorQA)
    try c.encode(internalQA, forKey: .internalQA)
    try c.encode(paired, forKey: .paired)
    try c.encode(goldenSeen, forKey: .goldenSeen)
    try c.encode(goldenCorrect, forKey: .goldenCorrect)
    try c.encode(aiByModel, forKey: .aiByModel)
    try c.encode(unsuggested, forKey: .unsuggested)
    try c.encode(markets.sorted(), forKey: .markets)
    try c.encode(vendors.sorted(), forKey: .vendors)
    try c.encode(sites.sorted(), forKey: .sites)
  }
}
