import CaliperCore
import Foundation
import LuaKit
import Testing

@testable import CaliperScripting

/// Bad packs and failing scripts: clear errors naming pack, file, line and KPI; a failing
/// scorecard never hides the others.
@Suite("Scorecard errors")
final class ScorecardErrorTests: Sendable {
  /// Where this suite's packs are written; removed with the suite.
  let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-pack-\(UUID().uuidString)")

  deinit { try? FileManager.default.removeItem(at: scratch) }

  /// Writes a pack named `t` with the given scorecard files into a folder of `scratch`.
  func pack(_ files: [String: String], manifest: String? = nil) throws -> URL {
    let root = scratch.appendingPathComponent("\(UUID().uuidString)/t")
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("scorecards"), withIntermediateDirectories: true)
    try (manifest ?? "return { name = 't', version = '0.1', caliper = 1 }").write(
      to: root.appendingPathComponent("pack.lua"), atomically: true, encoding: .utf8)
    for (name, text) in files {
      try text.write(to: root.appendingPathComponent("scorecards/\(name)"), atomically: true, encoding: .utf8)
    }
    return root
  }

  func card(_ id: String, kpi value: String, extra: String = "") -> String {
    """
    local caliper = require "caliper"
    return caliper.scorecard {
      id = "\(id)", grain = "vendor", period = "month", min_n = 1, \(extra)
      kpis = {
        { id = "good", weight = 1, target = 0.9, value = function(g) return g.qa.accuracy end },
        { id = "broken", value = function(g)
            \(value)
          end },
      },
    }
    """
  }

  func run(_ root: URL, limits: RunLimits? = nil) async throws -> Report {
    try await runScorecards(packs: [root], limits: limits)
  }

  @Test func aKPIReturningANonNumberFailsOnlyItsScorecard() async throws {
    let root = try pack([
      "a_ok.lua": card("fine", kpi: "return g.decisions"),
      "b_bad.lua": card("bad", kpi: "return \"lots\""),
    ])
    let report = try await run(root)
    #expect(report.status == .failed)
    let fine = try #require(report.scorecards.first { $0.id == "fine" })
    #expect(fine.status == .ok)
    #expect(!fine.rows.isEmpty)
    let bad = try #require(report.scorecards.first { $0.id == "bad" })
    #expect(bad.status == .failed)
    #expect(bad.error?.hasPrefix("pack t, scorecard bad, KPI broken (group ") == true)
    #expect(bad.error?.contains("returned a string, not a number, a Metric or nil") == true)
  }

  @Test func aScriptErrorNamesPackFileLineAndKPI() async throws {
    let root = try pack(["bad.lua": card("bad", kpi: "local x = nil\n    return x.field")])
    let report = try await run(root)
    let bad = try #require(report.scorecards.first)
    #expect(bad.status == .failed)
    #expect(bad.error?.contains("KPI broken") == true)
    #expect(bad.error?.contains("t/scorecards/bad.lua:8:") == true)
  }

  @Test func nanAndInfinityAreErrors() async throws {
    for (expression, shown) in [("0/0", "NaN"), ("1/0", "infinity")] {
      let root = try pack(["bad.lua": card("bad", kpi: "return \(expression)")])
      let bad = try #require(try await run(root).scorecards.first)
      #expect(bad.status == .failed)
      #expect(bad.error?.contains("returned \(shown), not a finite number") == true, "\(bad.error ?? "")")
    }
  }

  @Test func aRunawayKPIHitsTheTimeLimitAndTheProcessGoesOn() async throws {
    let root = try pack([
      "a_loop.lua": card("loop", kpi: "while true do end"),
      "b_ok.lua": card("fine", kpi: "return 1"),
    ])
    let report = try await run(root, limits: RunLimits(timeout: .milliseconds(300)))
    #expect(report.scorecards.first { $0.id == "loop" }?.status == .failed)
    #expect(report.scorecards.first { $0.id == "loop" }?.error?.contains("time") == true)
    #expect(report.scorecards.first { $0.id == "fine" }?.status == .ok)
  }

  /// A scorecard declaring measure `m` (a sum of `of`) whose KPI `broken` reads it.
  func measured(_ id: String, of body: String, where predicate: String = "return true") -> String {
    card(
      id, kpi: "return g:measure('m')",
      extra:
        "measures = { caliper.measure { id = 'm', reduce = 'sum', where = function(row) \(predicate) end, of = function(row) \(body) end } },"
    )
  }

  @Test func aFailingMeasureFailsOnlyItsScorecardNamingMeasureFileAndLine() async throws {
    let root = try pack([
      "a.lua": measured("unknown_field", of: "return row.town"),
      "b.lua": measured("assigns", of: "return 1", where: "row.market = 'JP' return true"),
      "c.lua": measured("not_a_number", of: "return row.market"),
      "d.lua": measured("fine", of: "return row.handle_seconds", where: "return row.market == 'JP'"),
    ])
    let report = try await run(root)
    #expect(report.status == .failed)
    let errors = Dictionary(uniqueKeysWithValues: report.scorecards.map { ($0.id, $0.error ?? "") })
    #expect(
      errors["unknown_field"]?.hasPrefix(
        "pack t, scorecard unknown_field, measure m: t/scorecards/a.lua:3: a row has no field 'town' (fields: decision_id, item_id,"
      ) == true, "\(errors)")
    #expect(
      errors["assigns"]?.contains(
        "measure m: t/scorecards/b.lua:3: cannot assign field 'market' of row: it is read-only")
        == true, "\(errors)")
    #expect(
      errors["not_a_number"]
        == "pack t, scorecard not_a_number, measure m: of(row) must return a finite number (got string)")
    let fine = try #require(report.scorecards.first { $0.id == "fine" })
    #expect(fine.status == .ok)
    // The JP vendors' handle time sums are positive; the other vendors keep no row (n = 0).
    #expect(fine.rows.contains { $0.values.contains { $0.kpi == "broken" && ($0.value ?? 0) > 0 } })
    #expect(
      fine.rows.contains { $0.values.contains { $0.kpi == "broken" && $0.status == .insufficient && $0.n == 0 } })
  }

  @Test func aRunawayMeasureStopsThePassWithTheLimitNamed() async throws {
    let root = try pack(["a.lua": measured("loop", of: "return 1", where: "while true do end")])
    let error = await #expect(throws: PackError.self) {
      try await run(root, limits: RunLimits(timeout: .milliseconds(300)))
    }
    #expect(error?.location.hasPrefix("pack t, scorecard loop, measure m: ") == true)
    #expect(error?.description.contains("time") == true, "\(String(describing: error))")
  }

  @Test func unknownFilterValuesListWhatExistsAndDoNotHideOtherScorecards() async throws {
    let root = try pack([
      "bad.lua": card("bad", kpi: "return 1", extra: "filter = { market = \"XX\" },"),
      "fine.lua": card("fine", kpi: "return 1"),
    ])
    let report = try await run(root)
    #expect(report.status == .failed)
    let bad = try #require(report.scorecards.first { $0.id == "bad" })
    #expect(bad.status == .failed && bad.grain == nil)
    #expect(
      bad.error?.hasPrefix("t/scorecards/bad.lua: filter.market: unknown market \"XX\" (known: AU, ID, IN, JP") == true)
    #expect(report.scorecards.first { $0.id == "fine" }?.status == .ok)
    let table = TableRenderer(colour: false).render(report)
    #expect(table.contains("FAILED: t/scorecards/bad.lua: filter.market"))
  }

  @Test func badDeclarationsNameTheField() async throws {
    let cases: [(String, String)] = [
      (
        "grain = \"planet\",",
        "t/scorecards/bad.lua: grain: expected one of vendor, site, queue, market, moderator, label (got \"planet\")"
      ),
      (
        "bands = { { min = 50, label = \"ok\" } },",
        "t/scorecards/bad.lua: bands: the last band must have no `min` (it catches every lower score)"
      ),
    ]
    for (extra, expected) in cases {
      let text = card("bad", kpi: "return 1").replacingOccurrences(of: "grain = \"vendor\", ", with: "")
        .replacingOccurrences(
          of: "min_n = 1,", with: "min_n = 1, \(extra)" + (extra.hasPrefix("grain") ? "" : " grain = \"vendor\","))
      let root = try pack(["bad.lua": text])
      let failed = try #require(try await run(root).scorecards.first)
      #expect(failed.status == .failed)
      #expect(failed.error == expected)
    }
  }

  @Test func packsMustTargetThisAPIAndTheirBasesMustExist() async throws {
    let wrongAPI = try pack([:], manifest: "return { name = 't', version = '1', caliper = 9 }")
    let apiError = await #expect(throws: PackError.self) { try await run(wrongAPI) }
    #expect(apiError?.description == "t/pack.lua: targets caliper API 9; this toolkit offers API 1")

    let orphan = try pack([:], manifest: "return { name = 't', version = '1', caliper = 1, extends = 'nowhere' }")
    let baseError = await #expect(throws: PackError.self) { try await run(orphan) }
    #expect(
      baseError?.description.contains("extends 'nowhere', which is neither given with --pack nor a folder beside it")
        == true)
  }

  @Test func findingsFromScriptsCarryTheirPackAndScorecard() async throws {
    let root = try pack([
      "flag.lua": card(
        "flag", kpi: "return 1",
        extra: """
          findings = function(card)
            caliper.finding { severity = "low", subject = card.groups[1], message = "checked", evidence = { n = 3 } }
          end,
          """)
    ])
    let report = try await run(root)
    let finding = try #require(report.findings.first)
    #expect(finding.pack == "t" && finding.scorecard == "flag" && finding.detector == "script")
    #expect(finding.evidence["n"] == .number(3))
  }
}

@Suite("Scores and bands")
struct ScoringTests {
  @Test func attainmentIsFullAtTargetAndLinearBelow() {
    #expect(Scoring.attainment(value: 0.97, target: 0.96, higherIsBetter: true) == 100)
    #expect(abs(Scoring.attainment(value: 0.84, target: 0.96, higherIsBetter: true) - 50) < 1e-9)
    #expect(Scoring.attainment(value: 0.5, target: 0.96, higherIsBetter: true) == 0)
    #expect(Scoring.attainment(value: 0, target: 0, higherIsBetter: false) == 100)
    #expect(Scoring.attainment(value: 0.5, target: 0, higherIsBetter: false) == 50)
    #expect(Scoring.attainment(value: 15, target: 10, higherIsBetter: false) == 50)
  }

  @Test func scoresNeedHalfTheWeightAndBandsTakeTheFirstMinimumReached() {
    let value = { (score: Double?) in KPIValue(kpi: "k", status: .ok, value: 1, n: 1, score: score) }
    #expect(Scoring.score(values: [value(80), value(100)], weights: [1, 3]).score == 95)
    let partial = Scoring.score(values: [value(80), value(nil)], weights: [1, 3])
    #expect(partial.score == nil)
    #expect(partial.reason == "insufficient data for a score: KPIs holding 25% of the weight have values")
    let bands = [Band(min: 90, label: "green"), Band(min: 75, label: "amber"), Band(min: nil, label: "red")]
    #expect(Scoring.band(90, bands) == "green")
    #expect(Scoring.band(89.9, bands) == "amber")
    #expect(Scoring.band(10, bands) == "red")
  }
}
