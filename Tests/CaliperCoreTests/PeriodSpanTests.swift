import Testing

@testable import CaliperCore

@Suite("Periods the data covers whole")
struct PeriodSpanTests {
  func date(_ text: String) -> CalendarDate { CalendarDate(parsing: text)! }

  @Test func periodsKnowTheirFirstAndLastDays() throws {
    let week = try #require(PeriodGrain.week.days(of: "2026-W27"))
    #expect(week.first == date("2026-06-29") && week.last == date("2026-07-05"))
    let newYear = try #require(PeriodGrain.week.days(of: "2021-W01"))
    #expect(newYear.first == date("2021-01-04"))
    #expect(PeriodGrain.week.days(of: "2020-W53")?.last == date("2021-01-03"))
    #expect(PeriodGrain.week.days(of: "2021-W53") == nil)  // 2021 has 52 ISO weeks
    #expect(PeriodGrain.week.days(of: "2026-W00") == nil)
    let february = try #require(PeriodGrain.month.days(of: "2028-02"))
    #expect(february.first == date("2028-02-01") && february.last == date("2028-02-29"))
    #expect(PeriodGrain.month.days(of: "2026-13") == nil)
    #expect(PeriodGrain.day.days(of: "2026-07-01")?.first == date("2026-07-01"))
    #expect(PeriodGrain.day.days(of: "2026-W27") == nil)
  }

  @Test func aPeriodIsCompleteWhenTheDataCoversEveryDayOfIt() {
    let span = DataSpan(first: date("2026-06-01"), last: date("2026-07-05"))
    #expect(span.covers("2026-W23", grain: .week))
    #expect(span.covers("2026-W27", grain: .week))
    #expect(!span.covers("2026-W28", grain: .week))
    #expect(span.covers("2026-06", grain: .month))
    #expect(!span.covers("2026-07", grain: .month))
    // Data that starts on a Wednesday does not cover its first week.
    let late = DataSpan(first: date("2026-06-03"), last: date("2026-06-30"))
    #expect(!late.covers("2026-W23", grain: .week))
    #expect(!late.covers("2026-06", grain: .month))
    #expect(late.covers("2026-W24", grain: .week))
    #expect(!span.covers("not a period", grain: .week))
  }
}
