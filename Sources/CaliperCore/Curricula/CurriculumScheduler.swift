/// Turns assignments into a schedule: duplicates removed (the most urgent kept), prerequisites
/// added before the modules that need them, modules completed and still valid on the as-of day
/// dropped, then every module placed, most urgent first across all moderators, in the earliest
/// weeks where both the moderator's and the site's weekly hours allow (a long module spans
/// weeks). What does not finish within the horizon is kept, with the week it would finish in.
public struct CurriculumScheduler: Sendable {
  /// The modules.
  public var catalog: ModuleCatalog
  /// Weekly hours.
  public var capacity: TrainingCapacity
  /// The day the schedule is made on: week 1 starts on the first Monday on or after it.
  public var asOf: CalendarDate
  /// Weeks within which the schedule should finish.
  public var horizonWeeks: Int

  /// Weeks looked at before a module is declared impossible (no capacity at all).
  static let maximumWeeks = 520

  /// Creates a scheduler.
  public init(catalog: ModuleCatalog, capacity: TrainingCapacity, asOf: CalendarDate, horizonWeeks: Int) {
    self.catalog = catalog
    self.capacity = capacity
    self.asOf = asOf
    self.horizonWeeks = horizonWeeks
  }

  /// The schedule of `assignments` for `moderators` (by id; assignments of unknown moderators
  /// are an error of the caller), given each one's training history.
  public func schedule(
    _ assignments: [TrainingAssignment], moderators: [String: Moderator], training: [TrainingRecord]
  ) throws -> TrainingSchedule {
    let valid = validCompletions(training)
    var byModerator: [String: [String: TrainingAssignment]] = [:]
    for assignment in assignments {
      guard catalog[assignment.module] != nil else {
        throw CurriculumError(
          "rule '\(assignment.rule)' assigned module '\(assignment.module)', which no module declares")
      }
      let current = byModerator[assignment.moderator]?[assignment.module]
      if current == nil || (assignment.priority, assignment.reason) < (current!.priority, current!.reason) {
        byModerator[assignment.moderator, default: [:]][assignment.module] = assignment
      }
    }
    var skipped: [SkippedModule] = []
    var queue: [(assignment: TrainingAssignment, sequence: Int)] = []
    for moderator in byModerator.keys.sorted() {
      let done = valid[moderator] ?? [:]
      var listed: Set<String> = []
      var sequence = 0
      let ordered = byModerator[moderator]!.values.sorted { ($0.priority, $0.module) < ($1.priority, $1.module) }
      for assignment in ordered {
        if let completed = done[assignment.module] {
          skipped.append(
            SkippedModule(
              moderator: moderator, module: assignment.module, completedOn: completed.on.description,
              validUntil: completed.until?.description))
          continue
        }
        for required in try catalog.prerequisites(of: assignment.module)
        where done[required] == nil && !listed.contains(required) {
          listed.insert(required)
          queue.append(
            (
              TrainingAssignment(
                moderator: moderator, module: required, priority: assignment.priority,
                reason: "prerequisite of \(assignment.module)", rule: TrainingAssignment.prerequisiteRule),
              sequence
            ))
          sequence += 1
        }
        // Already listed as a prerequisite of a more urgent module: it keeps that place, and
        // this assignment's rule and reason are added to it.
        if let index = queue.firstIndex(where: {
          $0.assignment.moderator == moderator && $0.assignment.module == assignment.module
        }) {
          queue[index].assignment.rule += ", " + assignment.rule
          queue[index].assignment.reason += "; " + assignment.reason
          continue
        }
        listed.insert(assignment.module)
        queue.append((assignment, sequence))
        sequence += 1
      }
    }
    queue.sort {
      ($0.assignment.priority, $0.assignment.moderator, $0.sequence) < (
        $1.assignment.priority, $1.assignment.moderator, $1.sequence
      )
    }

    var moderatorHours: [String: [Int: Double]] = [:]
    var siteHours: [String: [Int: Double]] = [:]
    var finished: [String: [String: Int]] = [:]
    var items: [ScheduledModule] = []
    // Week 1 starts on the first Monday on or after the as-of day.
    let firstMonday = CalendarDate(daysSinceEpoch: asOf.daysSinceEpoch + Int64((8 - asOf.isoWeekday) % 7))
    func weekLabel(_ index: Int) -> String {
      PeriodGrain.week.label(of: Timestamp(CalendarDate(daysSinceEpoch: firstMonday.daysSinceEpoch + Int64(index) * 7)))
    }
    for (assignment, _) in queue {
      let module = catalog[assignment.module]!
      let person = moderators[assignment.moderator]
      let site = person?.site ?? ""
      let siteLimit = capacity.siteHours(site)
      var week = catalog[assignment.module]!.requires.compactMap { finished[assignment.moderator]?[$0] }.max() ?? 0
      var remaining = module.hours
      var start: Int?
      while remaining > 1e-9 && week < Self.maximumWeeks {
        let own = capacity.hoursPerWeek - (moderatorHours[assignment.moderator]?[week] ?? 0)
        let shared = siteLimit.map { $0 - (siteHours[site]?[week] ?? 0) } ?? .infinity
        let available = min(own, shared)
        if available > 1e-9 {
          let taken = min(available, remaining)
          moderatorHours[assignment.moderator, default: [:]][week, default: 0] += taken
          siteHours[site, default: [:]][week, default: 0] += taken
          remaining -= taken
          if start == nil { start = week }
        }
        if remaining > 1e-9 { week += 1 }
      }
      let possible = remaining <= 1e-9
      if possible { finished[assignment.moderator, default: [:]][assignment.module] = week }
      items.append(
        ScheduledModule(
          moderator: assignment.moderator, site: site, vendor: person?.vendor ?? "", market: person?.market ?? "",
          module: module.id, title: module.title, hours: module.hours, priority: assignment.priority,
          rule: assignment.rule, reason: assignment.reason, startWeek: possible ? weekLabel(start ?? week) : nil,
          endWeek: possible ? weekLabel(week) : nil, weeksFromNow: possible ? week + 1 : nil,
          withinHorizon: possible && week < horizonWeeks))
    }
    items.sort {
      ($0.moderator, $0.weeksFromNow ?? .max, $0.priority) < ($1.moderator, $1.weeksFromNow ?? .max, $1.priority)
    }
    return TrainingSchedule(
      asOf: asOf.description, horizonWeeks: horizonWeeks, firstWeek: weekLabel(0), items: items,
      skipped: skipped.sorted { ($0.moderator, $0.module) < ($1.moderator, $1.module) },
      sites: rollups(items, by: \.site, capacity: { capacity.siteHours($0) }),
      vendors: rollups(items, by: \.vendor, capacity: { _ in nil }))
  }

  /// Per moderator, the modules completed by the as-of day and still valid then.
  private func validCompletions(
    _ training: [TrainingRecord]
  ) -> [String: [String: (on: CalendarDate, until: CalendarDate?)]] {
    var valid: [String: [String: (on: CalendarDate, until: CalendarDate?)]] = [:]
    for record in training {
      guard let completed = record.completedAt?.date, completed <= asOf else { continue }
      let until = catalog[record.moduleID]?.expiresDays.map {
        CalendarDate(daysSinceEpoch: completed.daysSinceEpoch + Int64($0))
      }
      if let until, until <= asOf { continue }
      if let existing = valid[record.moderatorID]?[record.moduleID], existing.on >= completed { continue }
      valid[record.moderatorID, default: [:]][record.moduleID] = (completed, until)
    }
    return valid
  }

  private func rollups(
    _ items: [ScheduledModule], by key: KeyPath<ScheduledModule, String>, capacity: (String) -> Double?
  ) -> [CapacityRollup] {
    Dictionary(grouping: items, by: { $0[keyPath: key] }).map { name, entries in
      let hours = entries.reduce(0) { $0 + $1.hours }
      let weekly = capacity(name)
      return CapacityRollup(
        name: name, moderators: Set(entries.map(\.moderator)).count, modules: entries.count, hoursNeeded: hours,
        hoursPerWeek: weekly, weeksNeeded: entries.compactMap(\.weeksFromNow).max(),
        beyondHorizon: entries.filter { !$0.withinHorizon }.count)
    }.sorted { $0.name < $1.name }
  }
}
