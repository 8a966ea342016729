import Foundation

/// What a QA audit contributes to its decision's groups.
struct AuditFact: Sendable {
  var organisation: Organisation
  var qaLabel: String
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
  /// Golden item ids → index into `goldLabels`.
  var goldenItems = ByteInterner(capacity: 64)
  var goldLabels: [String] = []
  /// Audited decision ids → index into `audits`.
  var auditedDecisions = ByteInterner(capacity: 1024)
  var audits: [[AuditFact]] = []

  /// Whether `qa_audits.csv` was present.
  public let hasAudits: Bool
  /// Whether `golden.csv` was present.
  public let hasGolden: Bool
  /// How many audits were read.
  public var auditCount: Int { audits.reduce(0) { $0 + $1.count } }

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
    var golden = ByteInterner(capacity: 64)
    var goldLabels: [String] = []
    record(
      .golden,
      try reader.read(.golden, decode: GoldenItem.init) { item in
        let index = Int(golden.intern(item.itemID))
        if index == goldLabels.count { goldLabels.append(item.goldLabel) } else { goldLabels[index] = item.goldLabel }
      })
    var audited = ByteInterner(capacity: 1024)
    var audits: [[AuditFact]] = []
    // Audits are the large reference file (one per audited decision): decoded on every core.
    let auditRows = try reader.readAll(.qaAudits, decode: QAAudit.init)
    record(.qaAudits, auditRows?.tally)
    for audit in auditRows?.rows ?? [] {
      let index = Int(audited.intern(audit.decisionID))
      if index == audits.count { audits.append([]) }
      audits[index].append(
        AuditFact(
          organisation: audit.auditorOrganisation, qaLabel: audit.qaLabel, disputed: audit.disputed,
          overturned: audit.disputeOutcome == .overturned))
    }
    self.policyBook = PolicyBook(labels)
    self.queues = queues
    self.moderators = moderators
    self.files = files
    self.absentFiles = absent
    hasAudits = !absent.contains(ContractFile.qaAudits.fileName)
    hasGolden = !absent.contains(ContractFile.golden.fileName)
    self.goldenItems = golden
    self.goldLabels = goldLabels
    self.auditedDecisions = audited
    self.audits = audits
  }

  func goldLabel(of item: UnsafeRawBufferPointer) -> String? {
    goldenItems.find(item).map { goldLabels[Int($0)] }
  }

  func audits(of decision: UnsafeRawBufferPointer) -> [AuditFact]? {
    auditedDecisions.find(decision).map { audits[Int($0)] }
  }
}
