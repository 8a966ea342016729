import Foundation

/// What a QA audit contributes to its decision's groups.
struct AuditFact: Sendable {
  var organisation: Organisation
  /// The QA label, as an index into `ReferenceData.joinLabels` (in an ``AuditPart``, into its
  /// `labels`).
  var qaLabel: Int32
  var disputed: Bool
  var overturned: Bool
}

/// Everything the decisions pass joins rows with, read first (and strictly or with quarantine)
/// from the data folder: policy labels, queues, golden items and QA audits. Audits are held in
/// memory keyed by decision id (they are a sample of decisions); decisions themselves stream.
public struct ReferenceData: Sendable {
  /// The policy labels in force.
  public var policyBook: PolicyBook
  /// Queues by name (empty when `queues.csv` is absent).
  public var queues: [String: Queue]
  /// Moderators by id (empty when `moderators.csv` is absent).
  public var moderators: [String: Moderator]
  /// How each reference file read reconciled.
  public var files: [FileReconciliation]
  /// Optional reference files that were absent.
  public var absentFiles: [String]
  /// The labels that golden items and audits carry, by index (workers map them to their own
  /// dictionary ids once per label, not once per row).
  var joinLabels: [String] = []
  /// Golden item ids → index into `goldLabels` (an index into `joinLabels`).
  var goldenItems = ByteInterner(capacity: 64)
  var goldLabels: [Int32] = []
  /// Audited decision ids → index into `auditStarts`: the audits of decision `i` are
  /// `auditFacts[auditStarts[i]..<auditStarts[i + 1]]`, in file order.
  var auditedDecisions = ByteInterner(capacity: 1024)
  var auditStarts: [Int32] = [0]
  var auditFacts: [AuditFact] = []

  /// Whether `qa_audits.csv` was present.
  public let hasAudits: Bool
  /// Whether `golden.csv` was present.
  public let hasGolden: Bool
  /// How many audits were read.
  public var auditCount: Int { auditFacts.count }

  /// Reads the reference files of `folder` under `policy`, in file order (so errors are
  /// thrown in that order): the small files with the exact reader, then golden items and
  /// audits scanned in place on every core (`GoldenScanner`, `AuditScanner`).
  public init(folder: URL, policy: BadRowPolicy) throws {
    let reader = ContractFileReader(folder: folder, policy: policy)
    var labels: [PolicyLabel] = []
    let policies = try reader.read(.policies, decode: PolicyLabel.init) { labels.append($0) }
    var queues: [Queue] = []
    let queueTally = try reader.read(.queues, decode: Queue.init) { queues.append($0) }
    var moderators: [Moderator] = []
    let moderatorTally = try reader.read(.moderators, decode: Moderator.init) { moderators.append($0) }
    let golden = try reader.goldenParts()
    // Audits are the large reference file (one per audited decision): each row kept only as
    // what the join needs.
    var audits = try reader.auditParts()
    var auditParts = audits?.parts ?? []
    let auditTally = audits?.tally
    audits = nil  // `auditParts` holds the only reference, emptied once grouped
    try self.init(
      policies: labels, queues: queues, moderators: moderators, golden: golden?.parts ?? [], audits: &auditParts,
      tallies: [
        (.policies, policies), (.queues, queueTally), (.moderators, moderatorTally), (.golden, golden?.tally),
        (.qaAudits, auditTally),
      ])
  }

  /// No reference data, for a pass that only scans rows (``FastValidation``).
  static func none() throws -> ReferenceData {
    var audits: [AuditPart] = []
    return try ReferenceData(policies: [], queues: [], moderators: [], golden: [], audits: &audits, tallies: [])
  }

  /// Reads the reference records of any record source (a database): the same data as
  /// ``init(folder:policy:)`` reads from files.
  public init(records source: some RecordSource) throws {
    let policies = try source.records(PolicyLabel.self)
    guard let policies else {
      throw IngestionError(file: ContractFile.policies.fileName, problem: "required table is missing")
    }
    let queues = try source.records(Queue.self)
    let moderators = try source.records(Moderator.self)
    let golden = try source.records(GoldenItem.self)
    let audits = try source.records(QAAudit.self)
    var auditRows = [AuditScanner.part(of: audits?.records ?? [])]
    try self.init(
      policies: policies.records, queues: queues?.records ?? [], moderators: moderators?.records ?? [],
      golden: [GoldenScanner.part(of: golden?.records ?? [])], audits: &auditRows,
      tallies: [
        (.policies, policies.reconciliation), (.queues, queues?.reconciliation),
        (.moderators, moderators?.reconciliation), (.golden, golden?.reconciliation),
        (.qaAudits, audits?.reconciliation),
      ])
  }

  /// Builds the join from the records read, in file order; `tallies` says how each file
  /// reconciled (`nil`: absent). `audits` (parts in file order, QA labels by each part's index) is emptied once grouped, to
  /// keep the peak memory down.
  private init(
    policies: [PolicyLabel], queues: [Queue], moderators: [Moderator], golden: [GoldenPart],
    audits: inout [AuditPart], tallies: [(ContractFile, FileReconciliation?)]
  ) throws {
    var queueTable: [String: Queue] = [:]
    for queue in queues { queueTable[queue.queue] = queue }
    var moderatorTable: [String: Moderator] = [:]
    for moderator in moderators { moderatorTable[moderator.moderatorID] = moderator }
    var joinLabels = ByteInterner(capacity: 64)
    var goldenItems = ByteInterner(capacity: 64)
    var goldLabels: [Int32] = []
    for part in golden {  // a later row of an item overrides an earlier one
      let labelOfPart = part.labels.map { joinLabels.intern($0) }
      for position in 0..<part.count {
        let index = Int(part.withItemID(position) { goldenItems.intern($0) })
        let label = labelOfPart[Int(part.labelOfItem[position])]
        if index == goldLabels.count { goldLabels.append(label) } else { goldLabels[index] = label }
      }
    }
    // Audits are grouped by decision by counting (an array per audited decision took more
    // memory than the audits themselves).
    var audited = ByteInterner(capacity: 1024)
    var decisionOfAudit: [Int32] = []  // by audit, in file order
    var inFileOrder: [AuditFact] = []
    var auditsPerDecision: [Int32] = []
    let expected = tallies.first { $0.0 == .qaAudits }?.1?.rowsAccepted ?? 0
    decisionOfAudit.reserveHugePages(expected)
    inFileOrder.reserveHugePages(expected)
    let labelsOfPart = audits.map { $0.labels.map { joinLabels.intern($0) } }
    audited.internDecisionIDs(of: audits) { part, position, index in
      if Int(index) == auditsPerDecision.count { auditsPerDecision.append(0) }
      auditsPerDecision[Int(index)] += 1
      decisionOfAudit.append(index)
      var fact = audits[part].facts[position]
      fact.qaLabel = labelsOfPart[part][Int(fact.qaLabel)]
      inFileOrder.append(fact)
    }
    audits = []
    var auditStarts: [Int32] = [0]
    auditStarts.reserveHugePages(auditsPerDecision.count + 1)
    for count in auditsPerDecision { auditStarts.append(auditStarts.last! + count) }
    var nextSlot = Array(auditStarts.dropLast())
    var auditFacts: [AuditFact] = []
    auditFacts.reserveHugePages(inFileOrder.count)
    auditFacts += inFileOrder  // every position is overwritten below
    for (position, fact) in inFileOrder.enumerated() {
      let decision = Int(decisionOfAudit[position])
      auditFacts[Int(nextSlot[decision])] = fact  // a decision's audits stay in file order
      nextSlot[decision] += 1
    }
    goldenItems.buildFilter()
    audited.buildFilter()
    self.policyBook = PolicyBook(policies)
    self.queues = queueTable
    self.moderators = moderatorTable
    self.files = tallies.compactMap(\.1)
    self.absentFiles = tallies.filter { $0.1 == nil }.map(\.0.fileName)
    hasAudits = !absentFiles.contains(ContractFile.qaAudits.fileName)
    hasGolden = !absentFiles.contains(ContractFile.golden.fileName)
    self.joinLabels = joinLabels.strings
    self.goldenItems = goldenItems
    self.goldLabels = goldLabels
    self.auditedDecisions = audited
    self.auditStarts = auditStarts
    self.auditFacts = auditFacts
  }

  /// The gold label of a golden item (an index into `joinLabels`), if it is one.
  @inline(__always)
  func goldLabel(of item: UnsafeRawBufferPointer) -> Int32? {
    goldenItems.find(item).map { goldLabels[Int($0)] }
  }

  /// The positions in `auditFacts` of a decision's audits, if it has any.
  @inline(__always)
  func audits(of decision: UnsafeRawBufferPointer) -> Range<Int>? {
    audits(of: decision, hash: auditedDecisions.hash(of: decision))
  }

  /// `audits(of:)` with the id's hash (`auditedDecisions.hash(of:)`) computed beforehand.
  @inline(__always)
  func audits(of decision: UnsafeRawBufferPointer, hash: UInt64) -> Range<Int>? {
    auditedDecisions.find(decision, hash: hash).map { Int(auditStarts[Int($0)])..<Int(auditStarts[Int($0) + 1]) }
  }

  /// `goldLabel(of:)` with the id's hash (`goldenItems.hash(of:)`) computed beforehand.
  @inline(__always)
  func goldLabel(of item: UnsafeRawBufferPointer, hash: UInt64) -> Int32? {
    goldenItems.find(item, hash: hash).map { goldLabels[Int($0)] }
  }
}
