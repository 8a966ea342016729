/// What a curriculum rule knows of one moderator: who and where, per-label QA recall and
/// precision, golden-set accuracy, errors by severity, how they work with AI suggestions, and
/// their training history. Built from the moderator's aggregates pooled over the data.
public struct ModeratorProfile: Sendable {
  /// The moderator (roster row).
  public var moderator: Moderator
  /// Days from hire to the as-of day.
  public var tenureDays: Int
  /// Their decisions' aggregates, pooled.
  public var state: GroupAggregate
  /// Their rows of `training.csv`, in file order.
  public var training: [TrainingRecord]

  /// Creates a profile.
  public init(moderator: Moderator, asOf: CalendarDate, state: GroupAggregate, training: [TrainingRecord]) {
    self.moderator = moderator
    tenureDays = Int(asOf.daysSinceEpoch - moderator.hiredOn.daysSinceEpoch)
    self.state = state
    self.training = training
  }

  /// QA recall and precision of one label, with Wilson intervals, and its support (audits
  /// whose QA label it is).
  public struct LabelSkill: Sendable, Equatable {
    /// The label.
    public var label: String
    /// Of the audits whose QA label it is, the share the moderator labelled so.
    public var recall: Metric
    /// Of the audited decisions the moderator labelled so, the share QA agreed with.
    public var precision: Metric
    /// Audits whose QA label it is.
    public var support: Int
  }

  /// Every label seen in the moderator's audits (as QA label or as theirs), by name.
  public var labels: [String: LabelSkill] {
    let counts = ConfusionCounts(state.qa.all.confusion)
    var skills: [String: LabelSkill] = [:]
    for label in counts.labels {
      let recall = counts.recall(label)
      skills[label] = LabelSkill(label: label, recall: recall, precision: counts.precision(label), support: recall.n)
    }
    return skills
  }

  /// Golden-set accuracy.
  public var golden: Metric { state.goldenAccuracy }

  /// QA accuracy over every audit.
  public var accuracy: Metric { state.qa.all.accuracy }

  /// Errors QA found, by severity.
  public func errors(_ severity: Severity) -> Int { state.qa.all.errorsBySeverity[severity] }

  /// How the moderator works with AI suggestions (assisted decisions).
  public struct AIUse: Sendable, Equatable {
    /// Of assisted decisions, the share whose label is the suggestion.
    public var acceptance: Metric
    /// QA accuracy of audited decisions that took the suggestion.
    public var accuracyAccepting: Metric
    /// QA accuracy of audited decisions that overrode it.
    public var accuracyOverriding: Metric
    /// Of audited accepted suggestions, the share QA found wrong.
    public var acceptedWrong: Metric
    /// Of audited overrides, the share QA found wrong (the suggestion was kept from a right
    /// answer, or both were wrong).
    public var overrodeWrongly: Metric
    /// Of audited overrides, the share whose suggestion QA found correct: right suggestions
    /// the moderator overrode.
    public var overrodeRight: Metric
  }

  /// See ``AIUse``.
  public var ai: AIUse {
    let tally = state.ai.overall
    let accepted = tally.assisted - tally.overridden
    return AIUse(
      acceptance: .proportion(accepted, of: tally.assisted, what: "assisted decisions"),
      accuracyAccepting: .proportion(
        tally.acceptedCorrect, of: tally.acceptedAudited, what: "audited accepted suggestions"),
      accuracyOverriding: .proportion(tally.overriddenCorrect, of: tally.overriddenAudited, what: "audited overrides"),
      acceptedWrong: .proportion(
        tally.acceptedAudited - tally.acceptedCorrect, of: tally.acceptedAudited, what: "audited accepted suggestions"),
      overrodeWrongly: .proportion(
        tally.overriddenAudited - tally.overriddenCorrect, of: tally.overriddenAudited, what: "audited overrides"),
      overrodeRight: .proportion(
        tally.overriddenSuggestionRight, of: tally.overriddenAudited, what: "audited overrides"))
  }
}
