import Foundation

/// A referential-integrity problem: reported, never silently dropped.
public struct IntegrityFinding: Sendable, Equatable, Codable {
  /// What kind of problem.
  public enum Kind: String, Sendable, Codable, CaseIterable {
    /// An id appears twice in its file.
    case duplicateID = "duplicate_id"
    /// An audit of a decision not in `decisions.csv`.
    case auditOfUnknownDecision = "audit_of_unknown_decision"
    /// A decision by a moderator not in `moderators.csv`.
    case unknownModerator = "unknown_moderator"
    /// A decision in a queue not in `queues.csv`.
    case unknownQueue = "unknown_queue"
    /// `decided_at` before `enqueued_at`.
    case decidedBeforeEnqueued = "decided_before_enqueued"
    /// A label absent from `policies.csv`.
    case unknownLabel = "unknown_label"
  }

  /// The kind.
  public var kind: Kind
  /// Where: `file:line`.
  public var location: String
  /// What, for people.
  public var message: String
}

/// The outcome of reading a data folder: every file's reconciliation and the integrity findings.
public struct ValidationReport: Sendable, Codable {
  /// Per file read, in contract order.
  public var files: [FileReconciliation] = []
  /// Optional files that were absent.
  public var absentFiles: [String] = []
  /// How many findings of each kind.
  public var findingCounts: [String: Int] = [:]
  /// The first findings of each kind (at most `examplesPerKind`), as evidence.
  public var findings: [IntegrityFinding] = []

  /// Whether every file reconciles.
  public var reconciles: Bool { files.allSatisfy(\.reconciles) }
}

/// Reads every file of a data folder under a bad-row policy and checks references between them.
/// A clean folder takes the fast path (`FastValidation`: the decisions pass's in-place scan on
/// every core, counting problems without positions), whatever the policy: a folder it finds
/// clean has no row a quarantine would reject. When it finds any problem, every file is read
/// by the exact reader, which gives each finding its line and quarantines bad rows. Both paths
/// give the same report for a folder.
public struct DataFolderValidator {
  /// The data folder.
  public var folder: URL
  /// What happens to bad rows.
  public var policy: BadRowPolicy
  /// Findings kept per kind as examples (all are counted).
  public var examplesPerKind = 20
  /// Skips the fast path (tests compare the two paths).
  var forceExactReader = false

  /// Creates a validator.
  public init(folder: URL, policy: BadRowPolicy = .strict) {
    self.folder = folder
    self.policy = policy
  }

  /// Reads the folder.
  public func validate() throws -> ValidationReport { try validateSayingPath().report }

  /// Reads the folder, saying whether the fast path gave the report.
  func validateSayingPath() throws -> (report: ValidationReport, usedFastPath: Bool) {
    if !forceExactReader, let report = try FastValidation(validator: self).run() {
      return (report, true)
    }
    return (try exactReport(), false)
  }

  /// Every file through the exact reader, each finding with its line. It keeps the ids it must
  /// cross-check (decisions, moderators, queues) in memory; everything else streams.
  private func exactReport() throws -> ValidationReport {
    var context = try ValidationContext(validator: self)
    let reader = ContractFileReader(folder: folder, policy: policy)
    var decisions = Set<String>()
    context.record(
      .decisions,
      try reader.read(.decisions, decode: { try (Decision($0), $0.record.line) }) { decision, line in
        if !decisions.insert(decision.decisionID).inserted {
          context.note(.duplicateID, .decisions, line, "decision '\(decision.decisionID)' appears twice")
        }
        if decision.decidedAt < decision.enqueuedAt {
          context.note(
            .decidedBeforeEnqueued, .decisions, line,
            "decision '\(decision.decisionID)' is decided before it was enqueued")
        }
        if context.haveModerators, !context.moderators.contains(decision.moderatorID) {
          context.note(
            .unknownModerator, .decisions, line, "moderator '\(decision.moderatorID)' is not in moderators.csv")
        }
        if context.haveQueues, !context.queues.contains(decision.queue) {
          context.note(.unknownQueue, .decisions, line, "queue '\(decision.queue)' is not in queues.csv")
        }
        context.checkLabel(decision.label, .decisions, line, "label")
        context.checkLabel(decision.aiLabel, .decisions, line, "ai_label")
      })
    context.record(.qaAudits, try context.readAudits(knownDecision: { decisions.contains($0) }))
    try context.readOtherFiles()
    return context.report
  }
}

/// What a validation has read so far and the report it builds: the small files both paths
/// read the same way (policies, queues, moderators first; audits; then the rest).
struct ValidationContext {
  let reader: ContractFileReader
  let examplesPerKind: Int
  var report = ValidationReport()
  var book = PolicyBook([])
  var queues = Set<String>()
  var moderators = Set<String>()

  /// Reads policies, queues and moderators (the keys decisions refer to).
  init(validator: DataFolderValidator) throws {
    reader = ContractFileReader(folder: validator.folder, policy: validator.policy)
    examplesPerKind = validator.examplesPerKind
    var policies: [PolicyLabel] = []
    record(
      .policies, try reader.read(.policies, decode: { try (PolicyLabel($0), $0.record.line) }) { policies.append($0.0) }
    )
    book = PolicyBook(policies)
    var queues = Set<String>()
    var moderators = Set<String>()
    record(
      .queues,
      try reader.read(.queues, decode: { try (Queue($0), $0.record.line) }) { queue, line in
        if !queues.insert(queue.queue).inserted {
          note(.duplicateID, .queues, line, "queue '\(queue.queue)' appears twice")
        }
      })
    record(
      .moderators,
      try reader.read(.moderators, decode: { try (Moderator($0), $0.record.line) }) { moderator, line in
        if !moderators.insert(moderator.moderatorID).inserted {
          note(.duplicateID, .moderators, line, "moderator '\(moderator.moderatorID)' appears twice")
        }
      })
    self.queues = queues
    self.moderators = moderators
  }

  /// Whether `queues.csv` was read (decisions' queues are checked only then).
  var haveQueues: Bool { report.files.contains { $0.file == ContractFile.queues.fileName } }
  /// Whether `moderators.csv` was read.
  var haveModerators: Bool { report.files.contains { $0.file == ContractFile.moderators.fileName } }

  /// Counts a finding and keeps it as an example while its kind has fewer than the maximum.
  mutating func note(_ kind: IntegrityFinding.Kind, _ file: ContractFile, _ line: Int, _ message: String) {
    report.findingCounts[kind.rawValue, default: 0] += 1
    if report.findings.filter({ $0.kind == kind }).count < examplesPerKind {
      report.findings.append(IntegrityFinding(kind: kind, location: "\(file.fileName):\(line)", message: message))
    }
  }

  /// Adds a file's reconciliation (`nil`: the file is absent).
  mutating func record(_ file: ContractFile, _ tally: FileReconciliation?) {
    if let tally { report.files.append(tally) } else { report.absentFiles.append(file.fileName) }
  }

  /// Notes a label missing from the policy book.
  mutating func checkLabel(_ label: String?, _ file: ContractFile, _ line: Int, _ column: String) {
    guard let label, book[label] == nil else { return }
    note(.unknownLabel, file, line, "\(column) '\(label)' is not in policies.csv")
  }

  /// Reads `qa_audits.csv` (decoded on every core; serially with a quarantine), checking audit
  /// ids, the decisions audited and QA labels, each audit's findings in that order, audits in
  /// file order. Returns the file's reconciliation (`nil`: absent), which the caller records.
  mutating func readAudits(knownDecision: (String) -> Bool) throws -> FileReconciliation? {
    let read = try reader.readAll(.qaAudits) { row in (try QAAudit(row), row.record.line) }
    var ids = Set<String>()
    for (audit, line) in read?.rows ?? [] {
      if !ids.insert(audit.auditID).inserted {
        note(.duplicateID, .qaAudits, line, "audit '\(audit.auditID)' appears twice")
      }
      if !knownDecision(audit.decisionID) {
        note(
          .auditOfUnknownDecision, .qaAudits, line,
          "audit '\(audit.auditID)' is of decision '\(audit.decisionID)', which is not in decisions.csv")
      }
      checkLabel(audit.qaLabel, .qaAudits, line, "qa_label")
    }
    return read?.tally
  }

  /// Reads the files nothing else refers to: golden items, calibration, training, incidents,
  /// red-team cases and vendor reports.
  mutating func readOtherFiles() throws {
    record(
      .golden,
      try reader.read(.golden, decode: { try (GoldenItem($0), $0.record.line) }) { item, line in
        checkLabel(item.goldLabel, .golden, line, "gold_label")
      })
    record(
      .calibration,
      try reader.read(.calibration, decode: { try (CalibrationRating($0), $0.record.line) }) { rating, line in
        checkLabel(rating.label, .calibration, line, "label")
      })
    record(.training, try reader.read(.training, decode: TrainingRecord.init) { _ in })
    record(.incidents, try reader.read(.incidents, decode: Incident.init) { _ in })
    record(
      .redteam,
      try reader.read(.redteam, decode: { try (RedTeamCase($0), $0.record.line) }) { probe, line in
        checkLabel(probe.expectedLabel, .redteam, line, "expected_label")
      })
    record(.vendorReports, try reader.read(.vendorReports, decode: VendorReport.init) { _ in })
  }
}
