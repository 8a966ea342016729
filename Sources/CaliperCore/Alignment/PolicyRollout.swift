/// A policy version taking effect for one label (a row of `policies.csv` after the label's
/// first), or a label introduced while decisions were being made: what changed, and the data to
/// judge the rollout by (accuracy around the change, training before it, early uses).
public struct PolicyChange: Sendable {
  /// The version that takes effect.
  public var current: PolicyLabel
  /// The version it replaces (`nil`: the label is new).
  public var previous: PolicyLabel?

  /// The label.
  public var label: String { current.label }
  /// The first day the new version applies.
  public var effectiveFrom: CalendarDate { current.effectiveFrom }
  /// A name for reports: `hate_speech v7 → v8`.
  public var subject: String {
    "\(label) \(previous.map { "\($0.policyVersion) → " } ?? "new in ")\(current.policyVersion)"
  }

  /// Every version change of every label, and each label introduced after `firstDay` (labels
  /// in force before the data begins are not changes), ordered by date then label.
  public static func changes(_ labels: [PolicyLabel], firstDay: CalendarDate?) -> [PolicyChange] {
    var changes: [PolicyChange] = []
    for (_, versions) in Dictionary(grouping: labels, by: \.label) {
      let ordered = versions.sorted { ($0.effectiveFrom, $0.policyVersion) < ($1.effectiveFrom, $1.policyVersion) }
      for (index, version) in ordered.enumerated() {
        if index > 0 {
          changes.append(PolicyChange(current: version, previous: ordered[index - 1]))
        } else if let firstDay, version.effectiveFrom > firstDay {
          changes.append(PolicyChange(current: version, previous: nil))
        }
      }
    }
    return changes.sorted { ($0.effectiveFrom, $0.label) < ($1.effectiveFrom, $1.label) }
  }

  /// Accuracy on the label before and after the change in one group: internal QA audits whose
  /// reference or decision is the label, correct when both are.
  public struct Accuracy: Sendable {
    /// The market or vendor.
    public var group: String
    /// Before the change.
    public var before: Metric
    /// From the change on.
    public var after: Metric
    /// Two-proportion z of after against before (`nil` when either side has no audits).
    public var test: StatResult<(z: Double, p: Double)>
  }

  /// Accuracy around the change per group, from day-by-day aggregates keyed by group.
  public func accuracy(_ daily: [GroupKey: GroupAggregate]) -> [Accuracy] {
    var sides: [String: (before: (k: Int, n: Int), after: (k: Int, n: Int))] = [:]
    for (key, state) in daily {
      guard let day = CalendarDate(parsing: key.period) else { continue }
      var (k, n) = (0, 0)
      for pair in state.qa.internalQA.confusion.keys where pair.truth == label || pair.predicted == label {
        let count = state.qa.internalQA.confusion[pair]
        n += count
        if pair.truth == pair.predicted { k += count }
      }
      guard n > 0 else { continue }
      var side = sides[key.group] ?? ((0, 0), (0, 0))
      if day < effectiveFrom {
        side.before = (side.before.k + k, side.before.n + n)
      } else {
        side.after = (side.after.k + k, side.after.n + n)
      }
      sides[key.group] = side
    }
    return sides.keys.sorted().map { group in
      let side = sides[group]!
      let test: StatResult<(z: Double, p: Double)> =
        side.before.n > 0 && side.after.n > 0
        ? (try? Proportions.twoProportionZ(side.after.k, side.after.n, side.before.k, side.before.n))
          ?? .undefined(reason: "no test") : .undefined(reason: "audits on only one side of the change")
      return Accuracy(
        group: group, before: .proportion(side.before.k, of: side.before.n, what: "audits before the change"),
        after: .proportion(side.after.k, of: side.after.n, what: "audits after the change"), test: test)
    }
  }

  /// Who finished training for the change in time.
  public struct Training: Sendable {
    /// Active moderators, and how many completed one of the modules before the change.
    public var overall: Metric
    /// The same per market, sorted by market.
    public var byMarket: [(market: String, share: Metric)]
    /// Active moderators who had not completed it, sorted.
    public var untrained: [String]
  }

  /// The share of active moderators who completed one of `modules` before the change took
  /// effect (a completion on the day itself is too late).
  public func training(modules: Set<String>, records: [TrainingRecord], moderators: [Moderator]) -> Training {
    let start = Timestamp(effectiveFrom)
    var done: Set<String> = []
    for record in records where modules.contains(record.moduleID) {
      if let completed = record.completedAt, completed < start { done.insert(record.moderatorID) }
    }
    let active = moderators.filter { $0.status == .active }
    let trained = active.filter { done.contains($0.moderatorID) }
    var markets: [String: (k: Int, n: Int)] = [:]
    for moderator in active {
      markets[moderator.market, default: (0, 0)].n += 1
      if done.contains(moderator.moderatorID) { markets[moderator.market, default: (0, 0)].k += 1 }
    }
    return Training(
      overall: .proportion(trained.count, of: active.count, what: "active moderators"),
      byMarket: markets.keys.sorted().map { ($0, .proportion(markets[$0]!.k, of: markets[$0]!.n, what: "moderators")) },
      untrained: active.map(\.moderatorID).filter { !done.contains($0) }.sorted())
  }

  /// Decisions that use a new label before it takes effect, from day-by-day aggregates keyed
  /// by label (0 for a version change: the label already existed).
  public func earlyUses(_ byLabel: [GroupKey: GroupAggregate]) -> Int {
    guard previous == nil else { return 0 }
    return byLabel.reduce(0) { total, entry in
      guard entry.key.group == label, let day = CalendarDate(parsing: entry.key.period), day < effectiveFrom else {
        return total
      }
      return total + entry.value.decisions
    }
  }
}
