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
/// It keeps the ids it must cross-check (decisions, moderators, queues) in memory; everything
/// else streams.
public struct DataFolderValidator {
  /// The data folder.
  public var folder: URL
  /// What happens to bad rows.
  public var policy: BadRowPolicy
  /// Findings kept per kind as examples (all are counted).
  public var examplesPerKind = 20

  /// Creates a validator.
  public init(folder: URL, policy: BadRowPolicy = .strict) {
    self.folder = folder
    self.policy = policy
  }

  /// Reads the folder.
  public func validate() throws -> ValidationReport {
    var report = ValidationReport()
    let reader = ContractFileReader(folder: folder, policy: policy)
    func note(_ kind: IntegrityFinding.Kind, _ file: ContractFile, _ line: Int, _ message: String) {
      report.findingCounts[kind.rawValue, default: 0] += 1
      if report.findings.filter({ $0.kind == kind }).count < examplesPerKind {
        report.findings.append(IntegrityFinding(kind: kind, location: "\(file.fileName):\(line)", message: message))
      }
    }
    func record(_ file: ContractFile, _ tally: FileReconciliation?) {
      if let tally { report.files.append(tally) } else { report.absentFiles.append(file.fileName) }
    }
    func checkLabel(_ label: String?, _ book: PolicyBook, _ file: ContractFile, _ line: Int, _ column: String) {
      guard let label, book[label] == nil else { return }
      note(.unknownLabel, file, line, "\(column) '\(label)' is not in policies.csv")
    }

    var policies: [PolicyLabel] = []
    record(
      .policies, try reader.read(.policies, decode: { try (PolicyLabel($0), $0.record.line) }) { policies.append($0.0) }
    )
    let book = PolicyBook(policies)

    var queues = Set<String>()
    record(
      .queues,
      try reader.read(.queues, decode: { try (Queue($0), $0.record.line) }) { queue, line in
        if !queues.insert(queue.queue).inserted {
          note(.duplicateID, .queues, line, "queue '\(queue.queue)' appears twice")
        }
      })
    var moderators = Set<String>()
    record(
      .moderators,
      try reader.read(.moderators, decode: { try (Moderator($0), $0.record.line) }) { moderator, line in
        if !moderators.insert(moderator.moderatorID).inserted {
          note(.duplicateID, .moderators, line, "moderator '\(moderator.moderatorID)' appears twice")
        }
      })
    let haveQueues = report.files.contains { $0.file == ContractFile.queues.fileName }
    let haveModerators = report.files.contains { $0.file == ContractFile.moderators.fileName }

    var decisions = Set<String>()
    record(
      .decisions,
      try reader.read(.decisions, decode: { try (Decision($0), $0.record.line) }) { decision, line in
        if !decisions.insert(decision.decisionID).inserted {
          note(.duplicateID, .decisions, line, "decision '\(decision.decisionID)' appears twice")
        }
        if decision.decidedAt < decision.enqueuedAt {
          note(
            .decidedBeforeEnqueued, .decisions, line,
            "decision '\(decision.decisionID)' is decided before it was enqueued")
        }
        if haveModerators, !moderators.contains(decision.moderatorID) {
          note(.unknownModerator, .decisions, line, "moderator '\(decision.moderatorID)' is not in moderators.csv")
        }
        if haveQueues, !queues.contains(decision.queue) {
          note(.unknownQueue, .decisions, line, "queue '\(decision.queue)' is not in queues.csv")
        }
        checkLabel(decision.label, book, .decisions, line, "label")
        checkLabel(decision.aiLabel, book, .decisions, line, "ai_label")
      })

    var audits = Set<String>()
    record(
      .qaAudits,
      try reader.read(.qaAudits, decode: { try (QAAudit($0), $0.record.line) }) { audit, line in
        if !audits.insert(audit.auditID).inserted {
          note(.duplicateID, .qaAudits, line, "audit '\(audit.auditID)' appears twice")
        }
        if !decisions.contains(audit.decisionID) {
          note(
            .auditOfUnknownDecision, .qaAudits, line,
            "audit '\(audit.auditID)' is of decision '\(audit.decisionID)', which is not in decisions.csv")
        }
        checkLabel(audit.qaLabel, book, .qaAudits, line, "qa_label")
      })
    record(
      .golden,
      try reader.read(.golden, decode: { try (GoldenItem($0), $0.record.line) }) { item, line in
        checkLabel(item.goldLabel, book, .golden, line, "gold_label")
      })
    record(
      .calibration,
      try reader.read(.calibration, decode: { try (CalibrationRating($0), $0.record.line) }) { rating, line in
        checkLabel(rating.label, book, .calibration, line, "label")
      })
    record(.training, try reader.read(.training, decode: TrainingRecord.init) { _ in })
    record(.incidents, try reader.read(.incidents, decode: Incident.init) { _ in })
    record(
      .redteam,
      try reader.read(.redteam, decode: { try (RedTeamCase($0), $0.record.line) }) { probe, line in
        checkLabel(probe.expectedLabel, book, .redteam, line, "expected_label")
      })
    record(.vendorReports, try reader.read(.vendorReports, decode: VendorReport.init) { _ in })
    return report
  }
}
