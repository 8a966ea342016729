import Foundation
import Testing

@testable import CaliperCore

@Suite("Domain model and shared definitions")
struct DomainTests {
  func date(_ y: Int, _ m: Int, _ d: Int) -> CalendarDate { CalendarDate(year: y, month: m, day: d)! }

  @Test(arguments: [
    ((2026, 1, 1), "2026-W01"), ((2021, 1, 3), "2020-W53"), ((2024, 12, 30), "2025-W01"),
    ((2026, 7, 1), "2026-W27"), ((2026, 12, 31), "2026-W53"), ((2027, 1, 3), "2026-W53"), ((2027, 1, 4), "2027-W01"),
  ])
  func isoWeeks(_ ymd: (Int, Int, Int), _ expected: String) {
    let stamp = Timestamp(date(ymd.0, ymd.1, ymd.2), hour: 23, minute: 59, second: 59)
    #expect(PeriodGrain.week.label(of: stamp) == expected)
  }

  @Test func dayAndMonthGrainsAndFormatting() {
    let stamp = Timestamp(date(2026, 7, 1), hour: 8, minute: 15)
    #expect(stamp.description == "2026-07-01T08:15:00Z")
    #expect(stamp.secondsSinceEpoch == 1_782_893_700)
    #expect(PeriodGrain.day.label(of: stamp) == "2026-07-01")
    #expect(PeriodGrain.month.label(of: stamp) == "2026-07")
    #expect(Timestamp(secondsSinceEpoch: -1).description == "1969-12-31T23:59:59Z")
  }

  @Test func calendarArithmeticRoundTrips() {
    for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
      #expect(CalendarDate(daysSinceEpoch: days).daysSinceEpoch == days)
    }
    #expect(date(1970, 1, 1).isoWeekday == 4)
    #expect(date(2026, 11, 25).isoWeekday == 3)
    #expect(CalendarDate(year: 2026, month: 2, day: 29) == nil)
    #expect(CalendarDate(year: 2024, month: 2, day: 29) != nil)
    #expect(CalendarDate(year: 2026, month: 13, day: 1) == nil)
  }

  @Test func errorSeverityIsTheHigherOfTheTwoLabels() {
    let book = PolicyBook([
      PolicyLabel(label: "benign", severity: .none, policyVersion: "v1", effectiveFrom: date(2026, 1, 1)),
      PolicyLabel(label: "spam", severity: .minor, policyVersion: "v1", effectiveFrom: date(2026, 1, 1)),
      PolicyLabel(label: "csam", severity: .critical, policyVersion: "v1", effectiveFrom: date(2026, 1, 1)),
      PolicyLabel(label: "spam", severity: .major, policyVersion: "v2", effectiveFrom: date(2026, 6, 1)),
    ])
    #expect(book.errorSeverity("benign", "csam") == .critical)
    #expect(book.errorSeverity("spam", "benign") == .major)
    #expect(book.errorSeverity("benign", "unknown") == nil)
    #expect(book.labels == ["benign", "csam", "spam"])
    #expect(Severity.allCases.sorted() == [.none, .minor, .major, .critical])
  }

  @Test func slaCorrectnessAndAIOverride() {
    let queue = Queue(
      queue: "jp-video", market: "JP", lineOfBusiness: "video", slaSeconds: 3_600, forecastDailyVolume: 5_000,
      goLive: nil)
    let enqueued = Timestamp(date(2026, 7, 1), hour: 8)
    var decision = Decision(
      decisionID: "d1", itemID: "i1", queue: "jp-video", market: "JP", vendor: "Acme", site: "Tokyo-1",
      moderatorID: "m1", enqueuedAt: enqueued,
      decidedAt: Timestamp(secondsSinceEpoch: enqueued.secondsSinceEpoch + 3_600),
      handleSeconds: 42, label: "spam", aiLabel: "benign", aiConfidence: 0.7, aiAssisted: true, modelVersion: "m-3")
    #expect(decision.isWithinSLA(of: queue))
    decision.decidedAt.secondsSinceEpoch += 1
    #expect(!decision.isWithinSLA(of: queue))
    #expect(decision.overridesAI)
    let audit = QAAudit(
      auditID: "a1", decisionID: "d1", auditorID: "q1", auditorOrganisation: .internal, auditedAt: enqueued,
      qaLabel: "spam", disputed: false, disputeOutcome: nil)
    #expect(decision.isCorrect(per: audit))
    #expect(decision.period(.week) == "2026-W27")
  }

  @Test func entitiesRoundTripThroughJSON() throws {
    let incident = Incident(
      incidentID: "inc-1", market: "ID", queue: "id-ads", severity: .sev2, category: "backlog",
      openedAt: Timestamp(secondsSinceEpoch: 1_782_893_700), resolvedAt: nil)
    let data = try JSONEncoder().encode(incident)
    #expect(try JSONDecoder().decode(Incident.self, from: data) == incident)
    let rating = CalibrationRating(
      sessionID: "s1", market: "KR", itemID: "i9", raterID: "p1", raterOrganisation: .policy, label: "hate",
      ratedAt: Timestamp(secondsSinceEpoch: 0))
    #expect(rating.rating == Rating(unit: "i9", rater: "p1", value: .name("hate")))
    #expect(
      RedTeamCase(
        caseID: "r", market: "TH", technique: "leetspeak", expectedLabel: "hate", aiLabel: "benign", aiConfidence: 0.4,
        modelVersion: "m"
      ).caught == false)
  }
}
