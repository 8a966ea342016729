/// Whether a module worked: trained moderators' accuracy on the module's labels in the ISO
/// weeks before the week of enrolment and after the week of completion, against a comparison
/// group of similar moderators (same market and queue, not enrolled in the module by the end of
/// the window) over the same weeks: a difference-in-differences estimate, with a percentile bootstrap interval that
/// resamples trained moderators (each with their comparison counts), or why there is none.
public struct TrainingEffect: Sendable {
  /// One moderator's audits on the module's labels in one window: correct of n.
  struct Tally {
    var correct = 0
    var n = 0
    mutating func add(_ other: Tally) {
      correct += other.correct
      n += other.n
    }
    var rate: Double? { n > 0 ? Double(correct) / Double(n) : nil }
  }

  /// A trained moderator's four cells: own before and after, comparison before and after.
  struct Unit {
    var site: String
    var before = Tally()
    var after = Tally()
    var comparisonBefore = Tally()
    var comparisonAfter = Tally()
  }

  /// Weeks in each window.
  public var windowWeeks: Int
  /// Bootstrap resamples.
  public var resamples: Int
  /// Fewest trained moderators, and fewest audits in each of the four pooled cells.
  public var minimumTrained = 3
  /// See `minimumTrained`.
  public var minimumAudits = 30
  /// The bootstrap's seed.
  public var seed: UInt64

  /// Creates an estimator.
  public init(windowWeeks: Int = 2, resamples: Int = 2_000, seed: UInt64) {
    self.windowWeeks = windowWeeks
    self.resamples = resamples
    self.seed = seed
  }

  /// The effect of each module that has completions, overall and per site of the trained.
  /// `weekly` is per moderator and ISO week (`GroupKey(group: moderator, period: "2026-W25")`).
  public func estimate(
    modules: [TrainingModule], training: [TrainingRecord], moderators: [String: Moderator],
    weekly: [GroupKey: GroupAggregate]
  ) -> [ModuleEffect] {
    var byModerator: [String: [(day: Int64, confusion: Counts<LabelPair<String>>)]] = [:]
    // Each week is dated by its Monday.
    for (key, state) in weekly {
      guard let monday = PeriodGrain.week.days(of: key.period)?.first else { continue }
      byModerator[key.group, default: []].append((monday.daysSinceEpoch, state.qa.all.confusion))
    }
    // Peers share a market and a queue.
    var peersOf: [String: [String]] = [:]
    for moderator in moderators.values.sorted(by: { $0.moderatorID < $1.moderatorID }) {
      peersOf["\(moderator.market)\u{1F}\(moderator.queue)", default: []].append(moderator.moderatorID)
    }
    var effects: [ModuleEffect] = []
    for module in modules where !module.covers.isEmpty {
      // Only modules someone completed say anything.
      guard training.contains(where: { $0.moduleID == module.id && $0.completedAt != nil }) else { continue }
      let labels = Set(module.covers)
      // Each moderator's audits on the module's labels, week by week, worked out once.
      var onLabels: [String: [(day: Int64, tally: Tally)]] = [:]
      func counts(_ moderator: String, from: Int64, to: Int64) -> Tally {
        if onLabels[moderator] == nil {
          onLabels[moderator] = (byModerator[moderator] ?? []).map { entry in
            var tally = Tally()
            for (pair, count) in entry.confusion.values where labels.contains(pair.truth) {
              tally.n += count
              if pair.truth == pair.predicted { tally.correct += count }
            }
            return (entry.day, tally)
          }
        }
        var total = Tally()
        for entry in onLabels[moderator]! where entry.day >= from && entry.day <= to { total.add(entry.tally) }
        return total
      }
      let records = training.filter { $0.moduleID == module.id }
      var firstEnrolment: [String: Int64] = [:]
      for record in records {
        let day = record.enrolledAt.date.daysSinceEpoch
        firstEnrolment[record.moderatorID] = min(firstEnrolment[record.moderatorID] ?? day, day)
      }
      var units: [Unit] = []
      for record in records {
        guard let completed = record.completedAt, let person = moderators[record.moderatorID] else { continue }
        // Mondays of the weeks of enrolment and completion; the windows are whole weeks.
        let enrolled = record.enrolledAt.date.daysSinceEpoch - Int64(record.enrolledAt.date.isoWeekday - 1)
        let done = completed.date.daysSinceEpoch - Int64(completed.date.isoWeekday - 1)
        let before = (enrolled - 7 * Int64(windowWeeks), enrolled - 1)
        let after = (done + 7, done + 7 * Int64(windowWeeks) + 6)
        var unit = Unit(site: person.site)
        unit.before = counts(person.moderatorID, from: before.0, to: before.1)
        unit.after = counts(person.moderatorID, from: after.0, to: after.1)
        let peers = (peersOf["\(person.market)\u{1F}\(person.queue)"] ?? []).filter { peer in
          peer != person.moderatorID && (firstEnrolment[peer].map { $0 > after.1 } ?? true)
        }
        for peer in peers {
          unit.comparisonBefore.add(counts(peer, from: before.0, to: before.1))
          unit.comparisonAfter.add(counts(peer, from: after.0, to: after.1))
        }
        guard unit.before.n > 0, unit.after.n > 0 else { continue }
        units.append(unit)
      }
      var effect = summary(units, module: module, site: nil)
      effect.sites = Set(units.map(\.site)).sorted().map { site in
        summary(units.filter { $0.site == site }, module: module, site: site)
      }
      effects.append(effect)
    }
    return effects
  }

  private func pooled(_ units: some Collection<Unit>) -> (Tally, Tally, Tally, Tally) {
    var cells = (Tally(), Tally(), Tally(), Tally())
    for unit in units {
      cells.0.add(unit.before)
      cells.1.add(unit.after)
      cells.2.add(unit.comparisonBefore)
      cells.3.add(unit.comparisonAfter)
    }
    return cells
  }

  private func difference(_ cells: (Tally, Tally, Tally, Tally)) -> Double? {
    guard let b = cells.0.rate, let a = cells.1.rate, let cb = cells.2.rate, let ca = cells.3.rate else { return nil }
    return (a - b) - (ca - cb)
  }

  private func summary(_ units: [Unit], module: TrainingModule, site: String?) -> ModuleEffect {
    let cells = pooled(units)
    var effect = ModuleEffect(
      module: module.id, title: module.title, labels: module.covers, site: site, trained: units.count,
      trainedBefore: .proportion(cells.0.correct, of: cells.0.n, what: "audits"),
      trainedAfter: .proportion(cells.1.correct, of: cells.1.n, what: "audits"),
      comparisonBefore: .proportion(cells.2.correct, of: cells.2.n, what: "audits"),
      comparisonAfter: .proportion(cells.3.correct, of: cells.3.n, what: "audits"))
    if units.count < minimumTrained {
      effect.reason =
        "insufficient data: \(units.count) trained moderators with audits in both windows (need \(minimumTrained))"
      return effect
    }
    let smallest = [cells.0.n, cells.1.n, cells.2.n, cells.3.n].min()!
    if smallest < minimumAudits {
      effect.reason = "insufficient data: \(smallest) audits in the smallest of the four groups (need \(minimumAudits))"
      return effect
    }
    effect.estimate = difference(cells)
    var random = SeededGenerator(seed: seed ^ UInt64(truncatingIfNeeded: module.id.hashValueStable))
    var draws: [Double] = []
    draws.reserveCapacity(resamples)
    for _ in 0..<resamples {
      var sample = (Tally(), Tally(), Tally(), Tally())
      for _ in units.indices {
        let unit = units[Int(random.next() % UInt64(units.count))]
        sample.0.add(unit.before)
        sample.1.add(unit.after)
        sample.2.add(unit.comparisonBefore)
        sample.3.add(unit.comparisonAfter)
      }
      if let value = difference(sample) { draws.append(value) }
    }
    if let interval = try? Descriptive.percentiles(draws, [2.5, 97.5]).value {
      effect.lo = interval[0]
      effect.hi = interval[1]
    }
    return effect
  }
}

/// A module's measured effect (difference in differences of accuracy on its labels).
public struct ModuleEffect: Sendable, Codable, Equatable {
  /// The module and what it covers.
  public var module: String
  /// See `module`.
  public var title: String
  /// See `module`.
  public var labels: [String]
  /// The site of the trained moderators (`nil`: all sites).
  public var site: String?
  /// Trained moderators with audits in both windows.
  public var trained: Int
  /// Accuracy on the labels: trained moderators before enrolment and after completion, and the
  /// comparison group over the same days.
  public var trainedBefore: Metric
  /// See `trainedBefore`.
  public var trainedAfter: Metric
  /// See `trainedBefore`.
  public var comparisonBefore: Metric
  /// See `trainedBefore`.
  public var comparisonAfter: Metric
  /// (after − before) of the trained minus (after − before) of the comparison group.
  public var estimate: Double?
  /// The 95% bootstrap interval of `estimate`.
  public var lo: Double?
  /// See `lo`.
  public var hi: Double?
  /// Why there is no estimate.
  public var reason: String?
  /// The same per site of the trained moderators (only on the overall entry).
  public var sites: [ModuleEffect]?

  /// `worked` (interval above 0), `harmful` (below), `unclear` (across 0) or `insufficient`.
  public var verdict: String {
    guard let lo, let hi else { return "insufficient" }
    return lo > 0 ? "worked" : hi < 0 ? "harmful" : "unclear"
  }
}

extension String {
  /// A hash that is the same in every process (Swift's `hashValue` is seeded per process).
  var hashValueStable: UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01B3
    }
    return hash
  }
}
