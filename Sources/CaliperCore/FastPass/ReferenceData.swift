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
    try self.init(folder: folder, policy: policy, auditPartBytes: Self.auditPartBytes)
  }

  /// ``init(folder:policy:)`` with `qa_audits.csv` scanned in parts of about `auditPartBytes`.
  init(folder: URL, policy: BadRowPolicy, auditPartBytes: Int) throws {
    let reader = ContractFileReader(folder: folder, policy: policy)
    var labels: [PolicyLabel] = []
    let policies = try reader.read(.policies, decode: PolicyLabel.init) { labels.append($0) }
    var queues: [Queue] = []
    let queueTally = try reader.read(.queues, decode: Queue.init) { queues.append($0) }
    var moderators: [Moderator] = []
    let moderatorTally = try reader.read(.moderators, decode: Moderator.init) { moderators.append($0) }
    let golden = try reader.goldenParts()
    // Audits are the large reference file (one per audited decision): each row kept only as
    // what the join needs, and grouped by decision part by part while later parts are scanned.
    var audits = AuditJoinBuilder()
    let auditTally = try reader.scannedParts(AuditScanner.self, partBytes: auditPartBytes) { event in
      switch event {
      case .part(let part, let parts): audits.add(part, of: parts)
      case .startOver: audits = AuditJoinBuilder()
      }
    }
    try self.init(
      policies: labels, queues: queues, moderators: moderators, golden: golden?.parts ?? [], audits: audits,
      tallies: [
        (.policies, policies), (.queues, queueTally), (.moderators, moderatorTally), (.golden, golden?.tally),
        (.qaAudits, auditTally),
      ])
  }

  /// Bytes of `qa_audits.csv` per part scanned: small enough that the first part's audits are
  /// grouped while the others are scanned, large enough that a part costs far more than its
  /// hand-over.
  static let auditPartBytes = 1 << 20

  /// No reference data, for a pass that only scans rows (``FastValidation``).
  static func none() throws -> ReferenceData {
    try ReferenceData(policies: [], queues: [], moderators: [], golden: [], audits: AuditJoinBuilder(), tallies: [])
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
    var auditJoin = AuditJoinBuilder()
    auditJoin.add(AuditScanner.part(of: audits?.records ?? []), of: 1)
    try self.init(
      policies: policies.records, queues: queues?.records ?? [], moderators: moderators?.records ?? [],
      golden: [GoldenScanner.part(of: golden?.records ?? [])], audits: auditJoin,
      tallies: [
        (.policies, policies.reconciliation), (.queues, queues?.reconciliation),
        (.moderators, moderators?.reconciliation), (.golden, golden?.reconciliation),
        (.qaAudits, audits?.reconciliation),
      ])
  }

  /// Builds the join from the records read, in file order; `tallies` says how each file
  /// reconciled (`nil`: absent).
  private init(
    policies: [PolicyLabel], queues: [Queue], moderators: [Moderator], golden: [GoldenPart],
    audits: consuming AuditJoinBuilder, tallies: [(ContractFile, FileReconciliation?)]
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
    let (audited, auditStarts, auditFacts) = audits.finish(joinLabels: &joinLabels)
    goldenItems.buildFilter()
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
