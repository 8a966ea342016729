/// AI-assist counts for one model version.
public struct AITally<Key: Hashable & Comparable & Sendable>: Sendable, Equatable {
  /// Decisions with an AI suggestion.
  public var suggested = 0
  /// Of those, decisions where the moderator saw it (`ai_assisted`).
  public var assisted = 0
  /// Suggestions equal to the moderator's label.
  public var agreed = 0
  /// Assisted decisions whose label differs from the suggestion.
  public var overridden = 0
  /// Audited overridden decisions, and how many of them QA found correct.
  public var overriddenAudited = 0
  /// See `overriddenAudited`.
  public var overriddenCorrect = 0
  /// Audited overridden decisions whose suggestion QA found correct: a right suggestion
  /// overridden.
  public var overriddenSuggestionRight = 0
  /// Audited accepted suggestions (assisted, same label), and how many QA found correct.
  public var acceptedAudited = 0
  /// See `acceptedAudited`.
  public var acceptedCorrect = 0
  /// Audits of suggested decisions by (QA label, AI label): the model's confusion matrix.
  public var confusion = Counts<LabelPair<Key>>()

  /// Empty counts.
  public init() {}

  /// Adds per-decision counts of suggested decisions (and, from flat per-cell counters, the
  /// audited ones).
  mutating func addCounts(
    suggested: Int, assisted: Int, agreed: Int, overridden: Int, overriddenAudited: Int = 0,
    overriddenCorrect: Int = 0, overriddenSuggestionRight: Int = 0, acceptedAudited: Int = 0,
    acceptedCorrect: Int = 0
  ) {
    self.suggested += suggested
    self.assisted += assisted
    self.agreed += agreed
    self.overridden += overridden
    self.overriddenAudited += overriddenAudited
    self.overriddenCorrect += overriddenCorrect
    self.overriddenSuggestionRight += overriddenSuggestionRight
    self.acceptedAudited += acceptedAudited
    self.acceptedCorrect += acceptedCorrect
  }

  /// Adds what audits of one suggested decision say about the model (the per-decision counts
  /// are added by the caller).
  mutating func addAudits(label: Key, aiLabel: Key, assisted: Bool, qaLabels: some Sequence<Key>) {
    let overridden = Definitions.overridesAI(assisted: assisted, label: label, suggestion: aiLabel)
    for qaLabel in qaLabels {
      confusion.add(LabelPair(truth: qaLabel, predicted: aiLabel))
      guard assisted else { continue }
      let correct = Definitions.isCorrect(label: label, reference: qaLabel)
      if overridden {
        overriddenAudited += 1
        if correct { overriddenCorrect += 1 }
        if Definitions.isCorrect(label: aiLabel, reference: qaLabel) { overriddenSuggestionRight += 1 }
      } else {
        acceptedAudited += 1
        if correct { acceptedCorrect += 1 }
      }
    }
  }

  /// Adds another tally.
  public mutating func merge(_ other: AITally) {
    suggested += other.suggested
    assisted += other.assisted
    agreed += other.agreed
    overridden += other.overridden
    overriddenAudited += other.overriddenAudited
    overriddenCorrect += other.overriddenCorrect
    overriddenSuggestionRight += other.overriddenSuggestionRight
    acceptedAudited += other.acceptedAudited
    acceptedCorrect += other.acceptedCorrect
    confusion.merge(other.confusion)
  }

  func mapKeys<NewKey>(_ transform: (Key) -> NewKey) -> AITally<NewKey> {
    var mapped = AITally<NewKey>()
    mapped.suggested = suggested
    mapped.assisted = assisted
    mapped.agreed = agreed
    mapped.overridden = overridden
    mapped.overriddenAudited = overriddenAudited
    mapped.overriddenCorrect = overriddenCorrect
    mapped.overriddenSuggestionRight = overriddenSuggestionRight
    mapped.acceptedAudited = acceptedAudited
    mapped.acceptedCorrect = acceptedCorrect
    mapped.confusion = confusion.mapKeys { $0.map(transform) }
    return mapped
  }
}

/// AI assistance of a group's decisions, by model version, and the decisions without a
/// suggestion (``Definitions/agreesWithAI(label:suggestion:)``, ``Definitions/overridesAI(assisted:label:suggestion:)``).
public struct AIAggregate<Key: Hashable & Comparable & Sendable>: Sendable, Equatable {
  /// Counts by model version (a suggestion without a version counts under
  /// ``AIAggregate/unknownModel``).
  public var byModel: [Key: AITally<Key>] = [:]
  /// Decisions without an AI suggestion.
  public var unsuggested = 0

  /// No decisions.
  public init() {}

  /// Counts over every model version.
  public var overall: AITally<Key> {
    byModel.values.reduce(into: AITally<Key>()) { $0.merge($1) }
  }

  /// Adds another part's counts.
  public mutating func merge(_ other: AIAggregate) {
    for (model, tally) in other.byModel { byModel[model, default: AITally()].merge(tally) }
    unsuggested += other.unsuggested
  }

  /// The same counts with every key translated (two keys that translate alike are merged).
  public func mapKeys<NewKey>(_ transform: (Key) -> NewKey) -> AIAggregate<NewKey> {
    var mapped = AIAggregate<NewKey>()
    for (model, tally) in byModel {
      mapped.byModel[transform(model), default: AITally()].merge(tally.mapKeys(transform))
    }
    mapped.unsuggested = unsuggested
    return mapped
  }
}

extension AIAggregate where Key == String {
  /// The model version that suggestions without `model_version` are counted under.
  public static var unknownModel: String { "(unknown model)" }
}

extension AIAggregate: Codable where Key == String {}

extension AIAggregate: AggregateFamily where Key == String {
  /// Adds the decision: its suggestion's counts under its model version, and what its audits
  /// say about the model.
  public mutating func add(_ joined: JoinedDecision) {
    let decision = joined.decision
    guard let aiLabel = decision.aiLabel else {
      unsuggested += 1
      return
    }
    let model = decision.modelVersion ?? Self.unknownModel
    var tally = byModel[model, default: AITally()]
    tally.addCounts(
      suggested: 1, assisted: decision.aiAssisted ? 1 : 0,
      agreed: Definitions.agreesWithAI(label: decision.label, suggestion: aiLabel) ? 1 : 0,
      overridden: decision.overridesAI ? 1 : 0)
    tally.addAudits(
      label: decision.label, aiLabel: aiLabel, assisted: decision.aiAssisted, qaLabels: joined.audits.map(\.qaLabel))
    byModel[model] = tally
  }
}

extension AITally: Codable where Key: Codable {}
