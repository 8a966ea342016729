import Foundation

/// What a QA audit contributes to its decision's groups.
struct AuditFact: Sendable {
  var organisation: Organisation
  /// The QA label, as an index into `ReferenceData.joinLabels`.
  var qaLabel: Int32
  var disputed: Bool
  var overturned: Bool
}

/// What the join keeps of a QA audit row (validated in full by `QAAudit.init`).
private struct AuditRow: Sendable {
  var decisionID: String
  var qaLabel: String
  var organisation: Organisation
  var disputed: Bool
  var overturned: Bool

  init(_ audit: QAAudit) {
    decisionID = audit.decisionID
    qaLabel = audit.qaLabel
    organisation = audit.auditorOrganisation
    disputed = audit.disputed
    overturned = audit.disputeOutcome == .overturned
  }
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

  /// Reads the reference files of `folder` under `policy`.
  public init(folder: URL, policy: BadRowPolicy) throws {
    let reader = ContractFileReader(folder: folder, policy: policy)
    var files: [FileReconciliation] = []
    var absent: [String] = []
    func record(_ file: ContractFile, _ tally: FileReconciliation?) {
      if let tally { files.append(tally) } else { absent.append(file.fileName) }
    }
    var labels: [PolicyLabel] = []
    record(.policies, try reader.read(.policies, decode: PolicyLabel.init) { labels.append($0) })
    var queues: [String: Queue] = [:]
    record(.queues, try reader.read(.queues, decode: Queue.init) { queues[$0.queue] = $0 })
    var moderators: [String: Moderator] = [:]
    record(.moderators, try reader.read(.moderators, decode: Moderator.init) { moderators[$0.moderatorID] = $0 })
    var joinLabels = ByteInterner(capacity: 64)
    var golden = ByteInterner(capacity: 64)
    var goldLabels: [Int32] = []
    record(
      .golden,
      try reader.read(.golden, decode: GoldenItem.init) { item in
        let index = Int(golden.intern(item.itemID))
        let label = joinLabels.intern(item.goldLabel)
        if index == goldLabels.count { goldLabels.append(label) } else { goldLabels[index] = label }
      })
    // Audits are the large reference file (one per audited decision): decoded on every core,
    // each row kept only as what the join needs, then grouped by decision by counting (an
    // array per audited decision took more memory than the audits themselves).
    var auditParts = try reader.readParts(.qaAudits) { row in AuditRow(try QAAudit(row)) }
    record(.qaAudits, auditParts?.tally)
    let auditCount = auditParts?.tally.rowsAccepted ?? 0
    var audited = ByteInterner(capacity: 1024)
    var decisionOfAudit: [Int32] = []  // by audit, in file order
    var inFileOrder: [AuditFact] = []
    var auditsPerDecision: [Int32] = []
    decisionOfAudit.reserveCapacity(auditCount)
    inFileOrder.reserveCapacity(auditCount)
    for row in (auditParts?.parts ?? []).joined() {
      let index = audited.intern(row.decisionID)
      if Int(index) == auditsPerDecision.count { auditsPerDecision.append(0) }
      auditsPerDecision[Int(index)] += 1
      decisionOfAudit.append(index)
      inFileOrder.append(
        AuditFact(
          organisation: row.organisation, qaLabel: joinLabels.intern(row.qaLabel), disputed: row.disputed,
          overturned: row.overturned))
    }
    auditParts = nil
    var auditStarts: [Int32] = [0]
    auditStarts.reserveCapacity(auditsPerDecision.count + 1)
    for count in auditsPerDecision { auditStarts.append(auditStarts.last! + count) }
    var nextSlot = Array(auditStarts.dropLast())
    var auditFacts = inFileOrder  // every position is overwritten below
    for (position, fact) in inFileOrder.enumerated() {
      let decision = Int(decisionOfAudit[position])
      auditFacts[Int(nextSlot[decision])] = fact  // a decision's audits stay in file order
      nextSlot[decision] += 1
    }
    golden.buildFilter()
    audited.buildFilter()
    self.policyBook = PolicyBook(labels)
    self.queues = queues
    self.moderators = moderators
    self.files = files
    self.absentFiles = absent
    hasAudits = !absent.contains(ContractFile.qaAudits.fileName)
    hasGolden = !absent.contains(ContractFile.golden.fileName)
    self.joinLabels = joinLabels.strings
    self.goldenItems = golden
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
