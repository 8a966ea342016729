import CaliperCore
import Foundation
import LuaKit
import Testing

@testable import CaliperScripting

/// Where the repository's examples are.
enum ExamplePaths {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let data = root.appendingPathComponent("Examples/data")
  static let packs = root.appendingPathComponent("Examples/packs")
  static func pack(_ name: String) -> URL { packs.appendingPathComponent(name) }
  static let all = ["apac-base", "jp", "kr", "id"].map(pack)
}

/// Runs the scorecards of `packs` on a CSV folder through the engine, as the CLI does.
func runScorecards(
  data: URL = ExamplePaths.data, packs: [URL], period: String? = nil, workers: Int? = nil, limits: RunLimits? = nil
) async throws -> Report {
  var options = CaliperEngine.Options()
  if let workers { options.workers = workers }
  if let limits { options.limits = limits }
  let engine = try await CaliperEngine(packs: packs, options: options)
  return try await engine.scorecards(on: CSVFolderSource(folder: data), ScorecardRequest(period: period))
}

@Suite("Scorecards on the example packs")
struct ExampleScorecardTests {
  @Test func examplePacksRunAndRecordWhereEachKPICameFrom() async throws {
    let report = try await runScorecards(packs: ExamplePaths.all)
    #expect(report.status == .ok)
    #expect(report.scorecards.count == 16)
    #expect(report.scorecards.allSatisfy { $0.status == .ok })
    let jp = try #require(report.scorecards.first { $0.pack == "jp" && $0.id == "site_weekly" })
    #expect(jp.name == "JP site weekly")
    #expect(jp.kpis.first { $0.id == "qa_accuracy" }?.source == "jp")
    #expect(jp.kpis.first { $0.id == "qa_accuracy" }?.target == 0.97)
    #expect(jp.kpis.first { $0.id == "sla" }?.source == "apac-base")
    #expect(Set(jp.rows.map(\.group)) == ["Osaka-2", "Tokyo-1"])
    let kr = try #require(report.scorecards.first { $0.pack == "kr" && $0.id == "site_weekly" })
    #expect(kr.kpis.map(\.id).contains("hate_speech_recall"))
    #expect(kr.kpis.first { $0.id == "sla" }?.target == 0.97)
    // Every value carries its n; values under min_n are never numbers.
    for card in report.scorecards {
      for row in card.rows {
        for (value, kpi) in zip(row.values, card.kpis) {
          if value.status == .insufficient {
            #expect(value.value == nil && value.n < kpi.minN)
          }
          if value.status == .ok { #expect(value.value?.isFinite == true && value.n >= kpi.minN) }
        }
      }
    }
    // The planted drop is visible even on the small example set.
    #expect(
      report.findings.contains {
        $0.detector == "control_chart" && $0.subject == "Osaka-2" && $0.period == "2026-W25"
      })
    #expect(report.packs.map(\.name) == ["apac-base", "id", "jp", "kr"])
    #expect(report.packs.allSatisfy { $0.sha256.count == 64 })
    #expect(
      report.data.files.map(\.file) == [
        "decisions.csv", "golden.csv", "moderators.csv", "policies.csv", "qa_audits.csv", "queues.csv",
      ])
    #expect(report.data.files.allSatisfy { $0.sha256.count == 64 && $0.rowsRead == $0.rowsAccepted + $0.rowsRejected })
  }

  @Test func twoRunsGiveByteIdenticalJSONAndEveryFormatRenders() async throws {
    let packs = [ExamplePaths.pack("jp")]
    let first = try await runScorecards(packs: packs, workers: 2)
    let second = try await runScorecards(packs: packs, workers: 1)
    #expect(try first.json() == second.json())
    let json = String(decoding: try first.json(), as: UTF8.self)
    #expect(json.contains("\"schema\" : \"caliper.report/2\""))
    #expect(json.contains("\"lua_api\" : 1"))

    let csv = CSVRenderer().render(first)
    let expectedRows = first.scorecards.reduce(0) { $0 + $1.rows.count * $1.kpis.count }
    #expect(csv.split(separator: "\n").count == expectedRows + 1)
    #expect(csv.hasPrefix(CSVRenderer.columns.joined(separator: ",") + "\n"))

    let table = TableRenderer(colour: false, rowLimit: 5).render(first)
    #expect(table.contains("== JP site weekly [jp/site_weekly] — site by week, 2026-W27 =="))
    #expect(table.contains("more moderators"))
    #expect(!table.contains("\u{1B}["))

    let html = HTMLRenderer().render(first)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<svg") && html.contains("<path d=\"M"))
    #expect(!html.contains("<script") && !html.contains("https://") && !html.contains("src=\"http"))
    #expect(html.contains(first.packs[0].sha256))
  }

  @Test func customMeasuresCountTheRowsTheirPredicateKeeps() async throws {
    let report = try await runScorecards(
      packs: [ExamplePaths.pack("apac-base"), ExamplePaths.pack("jp")], period: "2026-W24")
    // Count the same thing straight from the CSV.
    var reader = try CSVReader(url: ExamplePaths.data.appendingPathComponent("decisions.csv"))
    let header = try #require(try reader.next()).fields
    let site = header.firstIndex(of: "site")!
    let decided = header.firstIndex(of: "decided_at")!
    let market = header.firstIndex(of: "market")!
    var rows = 0
    var night = 0
    var marketOfSite: [String: String] = [:]
    while let record = try reader.next() {
      marketOfSite[record.fields[site]] = record.fields[market]
      guard record.fields[site] == "Osaka-2", let time = FieldParsingProbe.timestamp(record.fields[decided]),
        PeriodGrain.week.label(of: time) == "2026-W24"
      else { continue }
      rows += 1
      let hour = Int(time.secondsSinceEpoch % 86_400 / 3_600)
      if hour >= 22 || hour < 6 { night += 1 }
    }
    // The base pack's scorecard and JP's, which inherits the measure (one function, run once
    // per row for both), count the same rows.
    let cards = report.scorecards.filter { $0.id == "site_weekly" }
    #expect(Set(cards.map(\.pack)) == ["apac-base", "jp"])
    for card in cards {
      let index = try #require(card.kpis.firstIndex { $0.id == "night_share" })
      let osaka = try #require(card.rows.first { $0.group == "Osaka-2" }, "\(card.pack)")
      #expect(osaka.values[index].n == rows)
      #expect(osaka.values[index].value == Double(night) / Double(rows))
    }
    #expect(rows > 100)
    // The two share each row's group key but not their filters: JP's card sees JP's sites only.
    let jp = try #require(cards.first { $0.pack == "jp" })
    let base = try #require(cards.first { $0.pack == "apac-base" })
    #expect(!jp.rows.isEmpty && jp.rows.allSatisfy { marketOfSite[$0.group] == "JP" })
    #expect(base.rows.contains { marketOfSite[$0.group] != "JP" })
  }
}

/// Parses timestamps the contract's way for test-side counting.
enum FieldParsingProbe {
  static func timestamp(_ text: String) -> Timestamp? {
    let parts = text.split(whereSeparator: { "-T:Z".contains($0) }).compactMap { Int($0) }
    guard parts.count == 6, let date = CalendarDate(year: parts[0], month: parts[1], day: parts[2]) else { return nil }
    return Timestamp(date, hour: parts[3], minute: parts[4], second: parts[5])
  }
}

@Suite("Planted problems")
struct PlantedProblemTests {
  /// On a generated data set (1M decisions, 4 weeks: enough audits per moderator and label),
  /// the example packs surface every planted problem that quality data shows.
  @Test(.timeLimit(.minutes(5))) func everyPlantedQualityProblemBecomesAFinding() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-planted-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let generator = SyntheticDataGenerator(seed: 1, decisions: 1_000_000, weeks: 4)
    _ = try generator.write(to: folder)
    let answers = try String(contentsOf: folder.appendingPathComponent("ANSWERS.md"), encoding: .utf8)
    let report = try await runScorecards(data: folder, packs: [ExamplePaths.pack("apac-base")])
    #expect(report.status == .ok)
    let findings = report.findings

    // 1. The site whose accuracy drops in one week.
    #expect(answers.contains("site `Osaka-2`") && answers.contains(generator.driftWeekLabel))
    #expect(
      findings.contains {
        $0.detector == "control_chart" && $0.subject == "Osaka-2" && $0.period == generator.driftWeekLabel
      })
    // 2. The vendor whose own QA runs above internal QA: the only QA-gap finding.
    #expect(answers.contains("vendor `Archipelago CX`"))
    #expect(findings.filter { $0.detector == "qa_gap" }.map(\.subject) == ["Archipelago CX"])
    // 3. The moderators weak on one label, and no one else.
    let weak = findings.filter { $0.detector == "label_weakness" }.map(\.subject)
    #expect(weak == ["m-hyderabad1-0 / hate_speech", "m-hyderabad1-1 / hate_speech", "m-hyderabad1-2 / hate_speech"])
    // 4. The market where the model misses a label.
    #expect(findings.filter { $0.detector == "ai_recall_gaps" }.map(\.subject) == ["TH / royal_defamation"])
  }
}
