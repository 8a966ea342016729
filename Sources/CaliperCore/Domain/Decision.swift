/// A moderator's decision on an item (a row of `decisions.csv`), with the AI suggestion it had.
public struct Decision: Hashable, Sendable, Codable {
  /// The decision id.
  public var decisionID: String
  /// The item decided on (golden items are honeypots).
  public var itemID: String
  /// The queue.
  public var queue: String
  /// The market.
  public var market: String
  /// The vendor.
  public var vendor: String
  /// The vendor's site.
  public var site: String
  /// Who decided.
  public var moderatorID: String
  /// When the item entered the queue.
  public var enqueuedAt: Timestamp
  /// When it was decided; the record's period comes from this.
  public var decidedAt: Timestamp
  /// Handling time in seconds.
  public var handleSeconds: Double
  /// The label the moderator gave.
  public var label: String
  /// The AI's suggested label, when there was one.
  public var aiLabel: String?
  /// The AI's confidence in its suggestion, 0...1.
  public var aiConfidence: Double?
  /// Whether the moderator saw the AI suggestion.
  public var aiAssisted: Bool
  /// The model that suggested.
  public var modelVersion: String?

  /// Creates a decision.
  public init(
    decisionID: String, itemID: String, queue: String, market: String, vendor: String, site: String,
    moderatorID: String, enqueuedAt: Timestamp, decidedAt: Timestamp, handleSeconds: Double, label: String,
    aiLabel: String?, aiConfidence: Double?, aiAssisted: Bool, modelVersion: String?
  ) {
    self.decisionID = decisionID
    self.itemID = itemID
    self.queue = queue
    self.market = market
    self.vendor = vendor
    self.site = site
    self.moderatorID = moderatorID
    self.enqueuedAt = enqueuedAt
    self.decidedAt = decidedAt
    self.handleSeconds = handleSeconds
    self.label = label
    self.aiLabel = aiLabel
    self.aiConfidence = aiConfidence
    self.aiAssisted = aiAssisted
    self.modelVersion = modelVersion
  }

  /// Seconds from enqueueing to decision.
  public var turnaroundSeconds: Int64 { enqueuedAt.seconds(until: decidedAt) }

  /// Within SLA: `decided_at − enqueued_at <= sla_seconds` of the decision's queue.
  public func isWithinSLA(of queue: Queue) -> Bool {
    Definitions.isWithinSLA(turnaroundSeconds: turnaroundSeconds, slaSeconds: Int64(queue.slaSeconds))
  }

  /// Correct when the decision's label equals the audit's QA label.
  public func isCorrect(per audit: QAAudit) -> Bool { Definitions.isCorrect(label: label, reference: audit.qaLabel) }

  /// The decision's period at `grain` (from `decided_at`, UTC).
  public func period(_ grain: PeriodGrain) -> String { grain.label(of: decidedAt) }

  /// Whether the moderator overrode the AI: assisted, with a suggestion, and a different label.
  public var overridesAI: Bool { Definitions.overridesAI(assisted: aiAssisted, label: label, suggestion: aiLabel) }
}

/// Which organisation an auditor or rater belongs to.
public enum Organisation: String, Sendable, Codable, CaseIterable {
  /// The BPO vendor's own QA.
  case vendor
  /// The platform's internal QA.
  case `internal`
  /// The policy team (calibration only).
  case policy
}

/// How a disputed audit was settled.
public enum DisputeOutcome: String, Sendable, Codable, CaseIterable {
  /// The auditor's label stands.
  case upheld
  /// The moderator's label stands.
  case overturned
}

/// A QA audit of a decision (a row of `qa_audits.csv`).
public struct QAAudit: Hashable, Sendable, Codable {
  /// The audit id.
  public var auditID: String
  /// The decision audited.
  public var decisionID: String
  /// Who audited.
  public var auditorID: String
  /// Vendor QA or internal QA (`policy` is not valid here).
  public var auditorOrganisation: Organisation
  /// When.
  public var auditedAt: Timestamp
  /// The label QA says is right.
  public var qaLabel: String
  /// Whether the vendor disputed the audit.
  public var disputed: Bool
  /// How the dispute ended, if it has.
  public var disputeOutcome: DisputeOutcome?

  /// Creates an audit.
  public init(
    auditID: String, decisionID: String, auditorID: String, auditorOrganisation: Organisation,
    auditedAt: Timestamp, qaLabel: String, disputed: Bool, disputeOutcome: DisputeOutcome?
  ) {
    self.auditID = auditID
    self.decisionID = decisionID
    self.auditorID = auditorID
    self.auditorOrganisation = auditorOrganisation
    self.auditedAt = auditedAt
    self.qaLabel = qaLabel
    self.disputed = disputed
    self.disputeOutcome = disputeOutcome
  }
}
