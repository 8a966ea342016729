import CaliperCore

/// The `alignment` section of a report: every alignment script with its rules and checks,
/// each calibration session's agreement by organisation, and a readiness checklist per queue
/// going live.
public struct AlignmentSection: Sendable, Codable, Equatable {
  /// The day checks were made on.
  public var asOf: String
  /// One entry per alignment script, in pack order.
  public var scripts: [AlignmentScriptReport]
  /// Every calibration session looked at.
  public var sessions: [SessionSummary]
  /// Every queue going live within the horizon, with the checks rules made of it.
  public var readiness: [QueueChecklist]
  /// Every policy label with data, across every market of the data (the region's view).
  public var labels: [LabelDivergence]
}

/// One policy label across markets: each market's accuracy and calibration on it, whether
/// markets differ, and which fall below the others.
public struct LabelDivergence: Sendable, Codable, Equatable {
  /// The label.
  public var label: String
  /// Chi-squared of correct/incorrect by market, when defined.
  public var chi2: Double?
  /// Its p-value.
  public var p: Double?
  /// The p-value adjusted across labels (Benjamini–Hochberg).
  public var adjustedP: Double?
  /// Why there is no test.
  public var reason: String?
  /// Each market with data on the label, sorted.
  public var markets: [LabelInMarket]
}

/// One market's figures on a label.
public struct LabelInMarket: Sendable, Codable, Equatable {
  /// The market.
  public var market: String
  /// Moderator accuracy on internal audits whose reference is the label.
  public var accuracy: Metric
  /// Calibration ratings matching the reference on items whose reference is the label.
  public var calibration: Metric
  /// Whether it falls below the other markets (z < 0, p < 0.05) on a label whose markets
  /// differ (adjusted p < 0.05).
  public var diverging: Bool
}

/// One alignment script's run.
public struct AlignmentScriptReport: Sendable, Codable, Equatable {
  /// Its id.
  public var id: String
  /// Its display name.
  public var name: String
  /// The selected pack that ran it.
  public var pack: String
  /// Its file, relative to the pack that declared it.
  public var file: String
  /// Whether it ran.
  public var status: RunStatus
  /// Why it failed: pack, script, rule, object and the located Lua error.
  public var error: String?
  /// Its rules, in declaration order.
  public var rules: [AlignmentRuleRecord]
}

/// One rule and what it found.
public struct AlignmentRuleRecord: Sendable, Codable, Equatable {
  /// The rule id.
  public var id: String
  /// What it looked at.
  public var over: AlignmentSubject
  /// What it checks.
  public var description: String?
  /// The pack that wrote it (a base's rule keeps its base's name).
  public var source: String
  /// Objects checked.
  public var checked: Int
  /// Objects with at least one finding.
  public var failed: Int
  /// Each object and whether it passed.
  public var checks: [AlignmentCheck]
}

/// One object checked by one rule.
public struct AlignmentCheck: Sendable, Codable, Equatable {
  /// The object (a session id, a vendor, a queue, ...).
  public var subject: String
  /// Whether the rule found nothing.
  public var passed: Bool
  /// Findings it produced.
  public var findings: Int
}

/// A calibration session at a glance: agreement by organisation pair, the most disputed
/// items and who agreed with the reference on what.
public struct SessionSummary: Sendable, Codable, Equatable {
  /// The session id.
  public var id: String
  /// Its market.
  public var market: String
  /// The day of its first rating.
  public var date: String
  /// Items rated.
  public var items: Int
  /// Raters.
  public var raters: Int
  /// Krippendorff's alpha (nominal) among each group of organisations.
  public var agreements: [OrganisationAgreement]
  /// The items raters split most on (at most five).
  public var disputed: [DisputedItem]
  /// Rater × item: 1 agrees with the reference, 0 does not, -1 not rated or no reference
  /// (at most 60 items: the most disputed).
  public var heatmap: AgreementHeatmap
}

/// Agreement among some organisations' raters.
public struct OrganisationAgreement: Sendable, Codable, Equatable {
  /// The organisations.
  public var among: [String]
  /// The coefficient with its bootstrap interval.
  public var alpha: Metric
}

/// An item raters split on.
public struct DisputedItem: Sendable, Codable, Equatable {
  /// The item.
  public var item: String
  /// Its reference label.
  public var reference: String?
  /// Share of ratings giving the most common label.
  public var modalShare: Double
  /// `label: count`, most first.
  public var labels: [String]
}

/// Who agreed with the reference label on which item.
public struct AgreementHeatmap: Sendable, Codable, Equatable {
  /// Raters (rows), with their organisation.
  public var raters: [String]
  /// Items (columns).
  public var items: [String]
  /// `cells[rater][item]`.
  public var cells: [[Int]]
}

/// A queue going live and the checks rules made of it.
public struct QueueChecklist: Sendable, Codable, Equatable {
  /// The queue.
  public var queue: String
  /// Its market.
  public var market: String
  /// Its go-live day.
  public var goLive: String
  /// Active moderators assigned.
  public var moderators: Int
  /// Share of them trained.
  public var trained: Metric
  /// Every rule over queues, pass or fail.
  public var checks: [ChecklistItem]
}

/// One line of a readiness checklist.
public struct ChecklistItem: Sendable, Codable, Equatable {
  /// `pack/script/rule`.
  public var rule: String
  /// What the rule checks.
  public var description: String?
  /// Whether it passed.
  public var passed: Bool
  /// The findings' messages.
  public var evidence: [String]
}
