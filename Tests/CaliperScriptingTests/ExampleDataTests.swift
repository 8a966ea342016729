import Foundation
import Testing

@testable import CaliperCore
@testable import CaliperScripting

/// The Quick start's first screen: the example packs' scorecards on the bundled example data
/// report every planted problem that scorecards can see (`Examples/data/ANSWERS.md`, 1 to 4),
/// each exactly once, and nothing else; every scorecard shows a period the data covers whole.
@Suite("Example data shows every planted scorecard problem once")
struct ExampleDataTests {
  @Test func theQuickStartFindsEachScorecardPlantOnceAndNothingElse() async throws {
    let report = try await runScorecards(packs: ExamplePaths.all)
    #expect(report.status == .ok)
    let found = report.findings.map { "\($0.detector) \($0.subject) \($0.period ?? "-")" }.sorted()
    let answers = try String(contentsOf: ExamplePaths.data.appendingPathComponent("ANSWERS.md"), encoding: .utf8)
    // The drop's week as ANSWERS.md names it, and the weak moderators it lists.
    let week = try #require(answers.firstMatch(of: /in week `(\d{4}-W\d{2})` only/)?.1)
    let weak = answers.matches(of: /`(m-hyderabad1-\d+)`/).map { String($0.1) }
    #expect(weak.count == 3)
    var expected = [
      "control_chart \(SyntheticWorld.driftSite) \(week)",
      "qa_gap \(SyntheticWorld.inflatedVendor) -",
      "ai_recall_gaps \(SyntheticWorld.aiBlindMarket) / \(SyntheticWorld.aiBlindLabel) -",
    ]
    expected += weak.map { "label_weakness \($0) / \(SyntheticWorld.weakLabel) -" }
    #expect(found == expected.sorted())
    // The drop is seen by the base's chart and by the JP pack's copy of it: one finding, both packs.
    let drop = try #require(report.findings.first { $0.detector == "control_chart" })
    #expect(drop.pack == "apac-base")
    #expect(drop.also?.map(\.pack) == ["jp"])
    #expect(drop.message.contains("(n=") && !drop.message.contains("p = 0)"))
  }

  @Test func defaultPeriodsAreCompleteAndTheTrailingMonthIsMarkedPartial() async throws {
    let report = try await runScorecards(packs: [ExamplePaths.pack("apac-base")])
    // Five weeks from Monday 2026-06-01: weeks W23 to W27 are whole, June is, July has 5 days.
    for card in report.scorecards {
      switch card.periodGrain {
      case .week?:
        #expect(card.period == "2026-W27")
        #expect(card.partialPeriods.isEmpty)
      case .month?:
        #expect(card.period == "2026-06")
        #expect(card.partialPeriods == ["2026-07"])
        let july = card.trends.flatMap(\.points).filter { $0.period == "2026-07" }
        #expect(!july.isEmpty && july.allSatisfy { $0.partial == true })
        #expect(card.bandCounts?.period == "2026-06")
        #expect(card.bandCounts?.previousPeriod == nil)
        #expect(card.bandCounts.map { $0.bands.reduce(0) { $0 + $1.count } } == card.rows.count)
      default: Issue.record("unexpected period grain in \(card.id)")
      }
    }
    // Asked for, the partial month is shown and marked in every format.
    let july = try await runScorecards(packs: [ExamplePaths.pack("apac-base")], period: "2026-07")
    let monthly = try #require(july.scorecards.first { $0.id == "moderator_quality" })
    #expect(monthly.period == "2026-07")
    #expect(TableRenderer(colour: false).render(july).contains("2026-07 (partial: the data ends inside it)"))
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(july).utf8)) as? [String: Any])
    let cards = try #require((json["sections"] as? [String: Any])?["scorecards"] as? [[String: Any]])
    let monthlyJSON = try #require(cards.first { $0["id"] as? String == "moderator_quality" })
    #expect(monthlyJSON["partial_periods"] as? [String] == ["2026-07"])
    let csv = CSVRenderer().render(july)
    #expect(csv.hasPrefix("scorecard,pack,grain,period,period_partial,"))
    #expect(csv.contains(",moderator,2026-07,true,"))
    #expect(HTMLRenderer().render(july).contains("partial"))
  }
}
