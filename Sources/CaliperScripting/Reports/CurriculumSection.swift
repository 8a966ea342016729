import CaliperCore

/// The `curricula` section of a report: each curriculum's modules (declared and generated),
/// rules, schedule per moderator and hours against capacity per site and vendor.
public struct CurriculumSection: Sendable, Codable, Equatable {
  /// The day schedules were made on.
  public var asOf: String
  /// One entry per curriculum, in pack order.
  public var curricula: [CurriculumReport]
}

/// One curriculum's result.
public struct CurriculumReport: Sendable, Codable, Equatable {
  /// Id within its pack.
  public var id: String
  /// Display name.
  public var name: String
  /// The pack that ran it.
  public var pack: String
  /// The script.
  public var file: String
  /// `ok` or `failed`.
  public var status: RunStatus
  /// Why it failed.
  public var error: String?
  /// Every module, declared first, then the refreshers generated for uncovered policy labels
  /// (`generated` true).
  public var modules: [TrainingModule] = []
  /// Active moderators in its scope (its pack's markets).
  public var moderators: Int = 0
  /// Moderators assigned policy-change training.
  public var policyAssignments: Int = 0
  /// Each rule and how many assignments it made.
  public var rules: [CurriculumRuleRecord] = []
  /// The schedule (absent when it failed).
  public var schedule: TrainingSchedule?
  /// With `--effect`: each module with completions in its scope, whether it worked.
  public var effects: [ModuleEffect]?
}

/// A rule and what it did.
public struct CurriculumRuleRecord: Sendable, Codable, Equatable {
  /// Id.
  public var id: String
  /// The pack that wrote (or last changed) it.
  public var source: String
  /// What it looks for.
  public var description: String?
  /// Assignments it made.
  public var assignments: Int
}
