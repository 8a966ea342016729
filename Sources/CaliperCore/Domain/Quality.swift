/// An item with a known right answer (a row of `golden.csv`); decisions on it are honeypots.
public struct GoldenItem: Hashable, Sendable, Codable {
  /// The item id.
  public var itemID: String
  /// The right label.
  public var goldLabel: String
  /// The policy version the answer follows.
  public var policyVersion: String

  /// Creates a golden item.
  public init(itemID: String, goldLabel: String, policyVersion: String) {
    self.itemID = itemID
    self.goldLabel = goldLabel
    self.policyVersion = policyVersion
  }
}

/// One rater's label in a calibration session (a row of `calibration.csv`).
public struct CalibrationRating: Hashable, Sendable, Codable {
  /// The session id.
  public var sessionID: String
  /// The market calibrated.
  public var market: String
  /// The item rated.
  public var itemID: String
  /// Who rated.
  public var raterID: String
  /// Vendor, internal QA or policy.
  public var raterOrganisation: Organisation
  /// The label given.
  public var label: String
  /// When.
  public var ratedAt: Timestamp

  /// Creates a rating.
  public init(
    sessionID: String, market: String, itemID: String, raterID: String, raterOrganisation: Organisation,
    label: String, ratedAt: Timestamp
  ) {
    self.sessionID = sessionID
    self.market = market
    self.itemID = itemID
    self.raterID = raterID
    self.raterOrganisation = raterOrganisation
    self.label = label
    self.ratedAt = ratedAt
  }

  /// The rating as the statistics' long format (unit = item, rater = rater id).
  public var rating: Rating { Rating(unit: itemID, rater: raterID, value: .name(label)) }
}

/// A training enrolment (a row of `training.csv`).
public struct TrainingRecord: Hashable, Sendable, Codable {
  /// The moderator.
  public var moderatorID: String
  /// The training module.
  public var moduleID: String
  /// When enrolled.
  public var enrolledAt: Timestamp
  /// When completed, if done.
  public var completedAt: Timestamp?
  /// The final score, if assessed.
  public var score: Double?

  /// Creates a record.
  public init(moderatorID: String, moduleID: String, enrolledAt: Timestamp, completedAt: Timestamp?, score: Double?) {
    self.moderatorID = moderatorID
    self.moduleID = moduleID
    self.enrolledAt = enrolledAt
    self.completedAt = completedAt
    self.score = score
  }
}

/// How serious an operational incident is: `sev1` is the worst.
public enum IncidentSeverity: String, Sendable, Codable, CaseIterable {
  /// Critical.
  case sev1
  /// High.
  case sev2
  /// Medium.
  case sev3
  /// Low.
  case sev4
}

/// An operational incident (a row of `incidents.csv`).
public struct Incident: Hashable, Sendable, Codable {
  /// The incident id.
  public var incidentID: String
  /// The market affected.
  public var market: String
  /// The queue affected.
  public var queue: String
  /// How serious.
  public var severity: IncidentSeverity
  /// A category, e.g. `backlog`, `policy_gap`, `tooling`.
  public var category: String
  /// When opened.
  public var openedAt: Timestamp
  /// When resolved, if it is.
  public var resolvedAt: Timestamp?

  /// Creates an incident.
  public init(
    incidentID: String, market: String, queue: String, severity: IncidentSeverity, category: String,
    openedAt: Timestamp, resolvedAt: Timestamp?
  ) {
    self.incidentID = incidentID
    self.market = market
    self.queue = queue
    self.severity = severity
    self.category = category
    self.openedAt = openedAt
    self.resolvedAt = resolvedAt
  }
}

/// A red-team probe of the AI (a row of `redteam.csv`).
public struct RedTeamCase: Hashable, Sendable, Codable {
  /// The case id.
  public var caseID: String
  /// The market whose language and culture the probe targets.
  public var market: String
  /// The evasion technique, e.g. `leetspeak`, `code_switching`.
  public var technique: String
  /// The label the content deserves.
  public var expectedLabel: String
  /// The label the AI gave, if any.
  public var aiLabel: String?
  /// The AI's confidence.
  public var aiConfidence: Double?
  /// The model probed.
  public var modelVersion: String

  /// Creates a case.
  public init(
    caseID: String, market: String, technique: String, expectedLabel: String, aiLabel: String?,
    aiConfidence: Double?, modelVersion: String
  ) {
    self.caseID = caseID
    self.market = market
    self.technique = technique
    self.expectedLabel = expectedLabel
    self.aiLabel = aiLabel
    self.aiConfidence = aiConfidence
    self.modelVersion = modelVersion
  }

  /// Whether the AI caught it (gave the expected label).
  public var caught: Bool { aiLabel == expectedLabel }
}
