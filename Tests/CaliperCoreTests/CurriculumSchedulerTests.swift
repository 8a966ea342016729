import Testing

@testable import CaliperCore

@Suite("Curriculum modules and schedules")
struct CurriculumSchedulerTests {
  static let asOf = CalendarDate(year: 2026, month: 7, day: 6)!  // a Monday: week 1 is 2026-W28

  static let modules = [
    TrainingModule(id: "HATE-101", title: "Hate speech", covers: ["hate_speech"], hours: 2),
    TrainingModule(id: "HATE-201", title: "Coded hate", covers: ["hate_speech"], requires: ["HATE-101"], hours: 3),
    TrainingModule(id: "AI-1", title: "AI", skill: "ai_assist", hours: 1, expiresDays: 180),
    TrainingModule(id: "BIG", title: "Long", covers: ["spam"], hours: 10),
  ]

  func moderator(_ id: String, site: String = "Osaka-2") -> Moderator {
    Moderator(
      moderatorID: id, vendor: "Kaizen BPO", site: site, market: "JP", queue: "jp-video",
      hiredOn: CalendarDate(year: 2025, month: 1, day: 1)!, status: .active)
  }

  func assign(_ moderator: String, _ module: String, priority: Int = 1, rule: String = "r") -> TrainingAssignment {
    TrainingAssignment(moderator: moderator, module: module, priority: priority, reason: "why \(module)", rule: rule)
  }

  func scheduler(
    _ capacity: TrainingCapacity = TrainingCapacity(hoursPerWeek: 4), horizon: Int = 4
  ) throws
    -> CurriculumScheduler
  {
    CurriculumScheduler(
      catalog: try ModuleCatalog(
        declared: Self.modules, policyLabels: ["hate_speech", "spam", "self_harm"], defaultHours: 1.5),
      capacity: capacity, asOf: Self.asOf, horizonWeeks: horizon)
  }

  @Test func catalogsGenerateRefreshersAndFindEntryModules() throws {
    let catalog = try ModuleCatalog(
      declared: Self.modules, policyLabels: ["self_harm", "hate_speech"], defaultHours: 1.5)
    #expect(catalog.generated.map(\.id) == ["refresher:self_harm"])
    #expect(catalog["refresher:self_harm"]?.hours == 1.5)
    #expect(catalog.entry(for: "hate_speech")?.id == "HATE-101")
    #expect(catalog.entry(for: "self_harm")?.id == "refresher:self_harm")
    #expect(catalog.entry(for: "unknown") == nil)
    #expect(try catalog.prerequisites(of: "HATE-201") == ["HATE-101"])
  }

  @Test func unknownPrerequisitesAndCyclesAreErrorsNamingTheModules() {
    #expect(throws: CurriculumError.self) {
      try ModuleCatalog(
        declared: [TrainingModule(id: "A", title: "A", covers: ["x"], requires: ["NOPE"], hours: 1)], policyLabels: [],
        defaultHours: 1)
    }
    do {
      _ = try ModuleCatalog(
        declared: [
          TrainingModule(id: "A", title: "A", covers: ["x"], requires: ["B"], hours: 1),
          TrainingModule(id: "B", title: "B", covers: ["x"], requires: ["A"], hours: 1),
        ], policyLabels: [], defaultHours: 1)
      Issue.record("a cycle was accepted")
    } catch {
      #expect("\(error)".contains("A → B → A"), "\(error)")
    }
  }

  @Test func prerequisitesComeFirstAndDuplicatesKeepTheMostUrgent() throws {
    let schedule = try scheduler().schedule(
      [
        assign("m1", "HATE-201", priority: 2), assign("m1", "HATE-201", priority: 1, rule: "urgent"),
        assign("m1", "AI-1", priority: 3),
      ],
      moderators: ["m1": moderator("m1")], training: [])
    #expect(schedule.items.map(\.module) == ["HATE-101", "HATE-201", "AI-1"])
    #expect(schedule.items[0].rule == TrainingAssignment.prerequisiteRule)
    #expect(schedule.items[1].rule == "urgent" && schedule.items[1].priority == 1)
    // 4 hours a week: HATE-101 (2) and 2 of HATE-201's 3 in week 1, the rest and AI-1 in week 2.
    #expect(schedule.firstWeek == "2026-W28")
    #expect(
      schedule.items.map { "\($0.startWeek ?? "-")…\($0.endWeek ?? "-")" } == [
        "2026-W28…2026-W28", "2026-W28…2026-W29", "2026-W29…2026-W29",
      ])
  }

  @Test func validCompletionsAreDroppedAndExpiredOnesAreNot() throws {
    func record(_ module: String, completed: String) -> TrainingRecord {
      TrainingRecord(
        moderatorID: "m1", moduleID: module, enrolledAt: Timestamp(CalendarDate(year: 2025, month: 1, day: 1)!),
        completedAt: Timestamp(CalendarDate(parsing: completed)!), score: 0.9)
    }
    let schedule = try scheduler().schedule(
      [assign("m1", "HATE-201"), assign("m1", "AI-1")], moderators: ["m1": moderator("m1")],
      training: [record("HATE-101", completed: "2026-05-01"), record("AI-1", completed: "2025-06-01")])
    // HATE-101 was done (no expiry); AI-1 expired after 180 days (same priority: by module id).
    #expect(schedule.items.map(\.module) == ["AI-1", "HATE-201"])
    let done = try scheduler().schedule(
      [assign("m1", "AI-1")], moderators: ["m1": moderator("m1")], training: [record("AI-1", completed: "2026-06-01")])
    #expect(done.items.isEmpty)
    #expect(done.skipped.map(\.module) == ["AI-1"])
    #expect(done.skipped.first?.validUntil == "2026-11-28")
  }

  @Test func siteHoursAreSharedAndWhatEndsLateIsFlagged() throws {
    let capacity = TrainingCapacity(hoursPerWeek: 10, siteHoursPerWeek: ["Osaka-2": 10])
    let schedule = try scheduler(capacity, horizon: 2).schedule(
      [assign("m1", "BIG"), assign("m2", "BIG"), assign("m3", "BIG")],
      moderators: ["m1": moderator("m1"), "m2": moderator("m2"), "m3": moderator("m3")], training: [])
    // 30 hours at 10 a week for the site: one module a week, the third after a 2-week horizon.
    #expect(schedule.items.map(\.weeksFromNow) == [1, 2, 3])
    #expect(schedule.items.map(\.withinHorizon) == [true, true, false])
    let site = try #require(schedule.sites.first)
    #expect(site.hoursNeeded == 30 && site.hoursPerWeek == 10 && site.weeksNeeded == 3 && site.beyondHorizon == 1)
  }

  @Test func aModuleNoCapacityFitsIsKeptWithoutWeeks() throws {
    let capacity = TrainingCapacity(hoursPerWeek: 4, siteHoursPerWeek: [:], defaultSiteHoursPerWeek: 4)
    let schedule = try scheduler(capacity).schedule(
      [assign("m1", "BIG")], moderators: ["m1": moderator("m1")], training: [])
    // 10 hours at 4 a week span three weeks; nothing is lost.
    #expect(schedule.items.first?.startWeek == "2026-W28" && schedule.items.first?.endWeek == "2026-W30")
    #expect(throws: CurriculumError.self) {
      try self.scheduler().schedule([self.assign("m1", "NOPE")], moderators: [:], training: [])
    }
  }
}
