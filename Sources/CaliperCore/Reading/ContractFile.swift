/// The files of the data contract and their columns (see docs/data-contract.md).
public enum ContractFile: String, Sendable, CaseIterable {
  case policies, queues, moderators, decisions, qaAudits = "qa_audits", golden, calibration, training, incidents
  case redteam
  case vendorReports = "vendor_reports"

  /// The file name in the data folder.
  public var fileName: String { rawValue + ".csv" }

  /// The files every run reads: the decisions and the reference data they are joined with,
  /// largest first.
  public static let readByEveryRun: [ContractFile] = [.decisions, .qaAudits, .golden, .moderators, .queues, .policies]

  /// Whether a run fails without it (only decisions and policies are required).
  public var isRequired: Bool { self == .decisions || self == .policies }

  /// Columns every row must have a header for.
  public var requiredColumns: [String] {
    switch self {
    case .policies: ["label", "severity", "policy_version", "effective_from"]
    case .queues: ["queue", "market", "lob", "sla_seconds", "forecast_daily_volume"]
    case .moderators: ["moderator_id", "vendor", "site", "market", "queue", "hired_on", "status"]
    case .decisions:
      [
        "decision_id", "item_id", "queue", "market", "vendor", "site", "moderator_id", "enqueued_at", "decided_at",
        "handle_seconds", "label", "ai_assisted",
      ]
    case .qaAudits: ["audit_id", "decision_id", "auditor_id", "auditor_org", "audited_at", "qa_label", "disputed"]
    case .golden: ["item_id", "gold_label", "policy_version"]
    case .calibration: ["session_id", "market", "item_id", "rater_id", "rater_org", "label", "rated_at"]
    case .training: ["moderator_id", "module_id", "enrolled_at"]
    case .incidents: ["incident_id", "market", "queue", "severity", "category", "opened_at"]
    case .redteam: ["case_id", "market", "technique", "expected_label", "model_version"]
    case .vendorReports: ["vendor", "site", "period", "kpi", "value"]
    }
  }

  /// Columns that may be absent from the header (their values are then missing).
  public var optionalColumns: [String] {
    switch self {
    case .queues: ["go_live"]
    case .decisions: ["ai_label", "ai_confidence", "model_version"]
    case .qaAudits: ["dispute_outcome"]
    case .training: ["completed_at", "score"]
    case .incidents: ["resolved_at"]
    case .redteam: ["ai_label", "ai_confidence"]
    default: []
    }
  }

  /// Reads and checks the header record of this file.
  public func header(_ record: CSVReader.Record) throws -> CSVHeader {
    try CSVHeader(record, file: fileName, required: requiredColumns, optional: optionalColumns)
  }
}

extension PolicyLabel {
  /// Reads a row of `policies.csv`.
  public init(_ row: RowReader) throws {
    self.init(
      label: try row.string("label"), severity: try row.choice("severity", Severity.self),
      policyVersion: try row.string("policy_version"), effectiveFrom: try row.date("effective_from"))
  }
}

extension Queue {
  /// Reads a row of `queues.csv`.
  public init(_ row: RowReader) throws {
    self.init(
      queue: try row.string("queue"), market: try row.string("market"), lineOfBusiness: try row.string("lob"),
      slaSeconds: try row.parsed("sla_seconds", expected: "a whole number of seconds above 0") {
        FieldParsing.integer($0).flatMap { $0 > 0 ? $0 : nil }
      },
      forecastDailyVolume: try row.parsed("forecast_daily_volume", expected: "a whole number of decisions, 0 or more") {
        FieldParsing.integer($0).flatMap { $0 >= 0 ? $0 : nil }
      },
      goLive: try row.optionalDate("go_live"))
  }
}

extension Moderator {
  /// Reads a row of `moderators.csv`.
  public init(_ row: RowReader) throws {
    self.init(
      moderatorID: try row.string("moderator_id"), vendor: try row.string("vendor"), site: try row.string("site"),
      market: try row.string("market"), queue: try row.string("queue"), hiredOn: try row.date("hired_on"),
      status: try row.choice("status", ModeratorStatus.self))
  }
}

extension Decision {
  /// Reads a row of `decisions.csv`.
  public init(_ row: RowReader) throws {
    let confidence = try row.optionalNumber("ai_confidence")
    if let confidence, !(0...1).contains(confidence), let column = row.header.position(of: "ai_confidence") {
      throw IngestionError(
        file: row.header.file, line: row.record.line, column: column + 1,
        problem: "ai_confidence: expected a number in 0...1", got: String(confidence))
    }
    self.init(
      decisionID: try row.string("decision_id"), itemID: try row.string("item_id"), queue: try row.string("queue"),
      market: try row.string("market"), vendor: try row.string("vendor"), site: try row.string("site"),
      moderatorID: try row.string("moderator_id"), enqueuedAt: try row.timestamp("enqueued_at"),
      decidedAt: try row.timestamp("decided_at"), handleSeconds: try row.number("handle_seconds"),
      label: try row.string("label"), aiLabel: try row.optionalString("ai_label"), aiConfidence: confidence,
      aiAssisted: try row.boolean("ai_assisted"), modelVersion: try row.optionalString("model_version"))
  }
}

extension QAAudit {
  /// Reads a row of `qa_audits.csv` (`auditor_org` is vendor or internal).
  public init(_ row: RowReader) throws {
    let organisation = try row.choice("auditor_org", Organisation.self)
    if organisation == .policy, let column = row.header.position(of: "auditor_org") {
      throw IngestionError(
        file: row.header.file, line: row.record.line, column: column + 1,
        problem: "auditor_org: expected one of vendor, internal", got: "policy")
    }
    self.init(
      auditID: try row.string("audit_id"), decisionID: try row.string("decision_id"),
      auditorID: try row.string("auditor_id"), auditorOrganisation: organisation,
      auditedAt: try row.timestamp("audited_at"), qaLabel: try row.string("qa_label"),
      disputed: try row.boolean("disputed"),
      disputeOutcome: try row.optionalChoice("dispute_outcome", DisputeOutcome.self))
  }
}

extension GoldenItem {
  /// Reads a row of `golden.csv`.
  public init(_ row: RowReader) throws {
    self.init(
      itemID: try row.string("item_id"), goldLabel: try row.string("gold_label"),
      policyVersion: try row.string("policy_version"))
  }
}

extension CalibrationRating {
  /// Reads a row of `calibration.csv`.
  public init(_ row: RowReader) throws {
    self.init(
      sessionID: try row.string("session_id"), market: try row.string("market"), itemID: try row.string("item_id"),
      raterID: try row.string("rater_id"), raterOrganisation: try row.choice("rater_org", Organisation.self),
      label: try row.string("label"), ratedAt: try row.timestamp("rated_at"))
  }
}

extension TrainingRecord {
  /// Reads a row of `training.csv`.
  public init(_ row: RowReader) throws {
    let enrolled = try row.timestamp("enrolled_at")
    // A completion before its enrolment, or a score outside 0...1, cannot be read right.
    let completed = try row.optionalTimestamp("completed_at").map { _ in
      try row.parsed("completed_at", expected: "a time no earlier than enrolled_at") {
        FieldParsing.timestamp($0).flatMap { $0.secondsSinceEpoch >= enrolled.secondsSinceEpoch ? $0 : nil }
      }
    }
    let score = try row.optionalNumber("score").map { _ in
      try row.parsed("score", expected: "a score between 0 and 1") { text in
        FieldParsing.number(text).flatMap { (0...1).contains($0) ? $0 : nil }
      }
    }
    self.init(
      moderatorID: try row.string("moderator_id"), moduleID: try row.string("module_id"), enrolledAt: enrolled,
      completedAt: completed, score: score)
  }
}

extension Incident {
  /// Reads a row of `incidents.csv`.
  public init(_ row: RowReader) throws {
    self.init(
      incidentID: try row.string("incident_id"), market: try row.string("market"), queue: try row.string("queue"),
      severity: try row.choice("severity", IncidentSeverity.self), category: try row.string("category"),
      openedAt: try row.timestamp("opened_at"), resolvedAt: try row.optionalTimestamp("resolved_at"))
  }
}

extension RedTeamCase {
  /// Reads a row of `redteam.csv`.
  public init(_ row: RowReader) throws {
    self.init(
      caseID: try row.string("case_id"), market: try row.string("market"), technique: try row.string("technique"),
      expectedLabel: try row.string("expected_label"), aiLabel: try row.optionalString("ai_label"),
      aiConfidence: try row.optionalNumber("ai_confidence"), modelVersion: try row.string("model_version"))
  }
}

extension VendorReport {
  /// Reads a row of `vendor_reports.csv`: the period is an ISO week (`2026-W36`) or a month
  /// (`2026-09`); proportions lie in 0...1 and seconds are at least 0.
  public init(_ row: RowReader) throws {
    let kpi = try row.choice("kpi", ReportedKPI.self)
    let expected = kpi.isProportion ? "a proportion in 0...1" : "a number of seconds ≥ 0"
    self.init(
      vendor: try row.string("vendor"), site: try row.optionalString("site"),
      period: try row.parsed("period", expected: "an ISO week (2026-W36) or a month (2026-09)") {
        ReportedPeriod(String($0))
      },
      kpi: kpi,
      value: try row.parsed("value", expected: expected) { text in
        FieldParsing.number(text).flatMap { kpi.accepts($0) ? $0 : nil }
      })
  }
}
