import Foundation
import Testing

@testable import CaliperCore
@testable import CaliperScripting

/// Runs the curricula of `packs` on a CSV folder through the engine, as the CLI does.
func runCurricula(
  data: URL = ExamplePaths.data, packs: [URL], request: CurriculumRequest = CurriculumRequest()
) async throws -> Report {
  let engine = try await CaliperEngine(packs: packs, options: CaliperEngine.Options(workers: 2))
  return try await engine.curricula(on: CSVFolderSource(folder: data), request)
}

/// Curricula as scripts: the example curricula assign the planted weak moderators their label's
/// module and the over-reliant ones the AI module, a market pack changes capacity and adds a
/// module, a failing rule fails only its curriculum, and the LMS CSV has its documented columns.
@Suite("Curricula")
struct CurriculumTests {
  /// A pack of curricula; one that extends another serves JP.
  static func pack(_ name: String, in folder: URL, extends: String? = nil, _ files: [String: String]) throws -> URL {
    try scratchPack(
      name, in: folder, folder: "curricula", extends: extends, markets: extends.map { _ in ["JP"] }, files)
  }

  @Test func theExampleCurriculaTrainThePlantedModeratorsAndOnlyThem() async throws {
    let report = try await runCurricula(packs: ExamplePaths.all)
    #expect(report.status == .ok)
    let curricula = try #require(report.sections.curricula?.curricula)
    let items = curricula.flatMap { $0.schedule?.items ?? [] }
    let answers = try String(contentsOf: ExamplePaths.data.appendingPathComponent("ANSWERS.md"), encoding: .utf8)
    let weak = answers.matches(of: /`(m-hyderabad1-\d+)`/).map { String($0.1) }
    let overreliant = Set(answers.matches(of: /`(m-seoul1-\d+)`/).map { String($0.1) })
    #expect(weak.count == 3 && overreliant.count == 2)
    for moderator in weak {
      #expect(
        items.contains { $0.moderator == moderator && $0.module == "HATE-101" && $0.rule.contains("weak_label") },
        "\(moderator) has no hate-speech module from weak_label")
    }
    let aiModule = Set(items.filter { $0.rule.contains("ai_overreliance") }.map(\.moderator))
    #expect(aiModule == overreliant)
    // Every moderator is scheduled by one curriculum: JP's by the jp pack, the rest by their own.
    for (moderator, entries) in Dictionary(grouping: items.map { ($0.moderator, $0) }, by: \.0) {
      let packs = Set(
        curricula.filter { curriculum in curriculum.schedule?.items.contains { $0.moderator == moderator } ?? false }
          .map(\.pack))
      #expect(packs.count == 1, "\(moderator) scheduled by \(packs) (\(entries.count) items)")
    }
    let jp = try #require(curricula.first { $0.pack == "jp" })
    #expect(jp.modules.contains { $0.id == "HAR-JP-201" })
    #expect(jp.schedule?.items.allSatisfy { $0.market == "JP" } == true)
    // The policy change: hate_speech's v8 module, first, for moderators not trained by then.
    #expect(items.contains { $0.rule.contains(TrainingAssignment.policyChangeRule) && $0.priority == 0 })
    // A policy label no module covers gets a refresher.
    let base = try #require(curricula.first { $0.pack == "apac-base" })
    #expect(base.modules.filter(\.generated).map(\.id) == ["refresher:royal_defamation"])
  }

  @Test func theEffectReportFindsTheModuleThatWorkedAndTheOneThatDidNot() async throws {
    // A larger generated set than the bundled one: four times the decisions per moderator, so
    // that the windows around training hold enough audits.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-effect-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try SyntheticDataGenerator(seed: 6, decisions: 300_000, weeks: 5, moderatorsPerSite: 4).write(to: folder)
    let answers = try String(contentsOf: folder.appendingPathComponent("ANSWERS.md"), encoding: .utf8)
    let planted = SyntheticWorld.trainingPlants
    #expect(planted.allSatisfy { answers.contains("`\($0.module)`") })
    let report = try await runCurricula(
      data: folder, packs: [ExamplePaths.pack("apac-base")], request: CurriculumRequest(effect: true, seed: 1))
    let effects = try #require(report.sections.curricula?.curricula.first?.effects)
    for plant in planted {
      let effect = try #require(effects.first { $0.module == plant.module }, "no effect of \(plant.module)")
      let (lo, hi) = (try #require(effect.lo), try #require(effect.hi))
      if plant.works {
        #expect(lo > 0, "\(plant.module): [\(lo), \(hi)]")
        #expect(effect.verdict == "worked")
      } else {
        #expect(lo < 0 && hi > 0, "\(plant.module): [\(lo), \(hi)]")
        #expect(effect.verdict == "unclear")
      }
      #expect(effect.sites?.isEmpty == false)
    }
    // A module too few moderators completed says why it has no estimate.
    #expect(effects.contains { $0.estimate == nil && ($0.reason ?? "").hasPrefix("insufficient data") })
    #expect(TableRenderer(colour: false).render(report).contains("training effect"))
  }

  @Test func reportsAreByteIdenticalAndTheCSVHasTheDocumentedColumns() async throws {
    let first = try await runCurricula(packs: ExamplePaths.all)
    let second = try await runCurricula(packs: ExamplePaths.all)
    #expect(try JSONRenderer().render(first) == JSONRenderer().render(second))
    let csv = CSVRenderer().render(first)
    let documented = try String(
      contentsOf: ExamplePaths.root.appendingPathComponent("docs/curriculum-csv.md"), encoding: .utf8)
    for column in CSVRenderer.curriculumColumns {
      #expect(documented.contains("`\(column)`"), "\(column) undocumented")
    }
    #expect(csv.hasPrefix(CSVRenderer.curriculumColumns.joined(separator: ",") + "\n"))
    let rows = first.sections.curricula!.curricula.reduce(0) { $0 + ($1.schedule?.items.count ?? 0) }
    #expect(csv.split(separator: "\n").count == rows + 1)
    #expect(TableRenderer(colour: false, rowLimit: 3).render(first).contains("— curriculum =="))
    #expect(HTMLRenderer().render(first).contains("Hours against capacity"))
  }

  @Test func aFailingRuleFailsOnlyItsCurriculumWithFileAndLine() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-curricula-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = try Self.pack(
      "t", in: folder,
      [
        "good.lua": """
        local caliper = require "caliper"
        return caliper.curriculum { id = "good", modules = { { id = "M", title = "M", covers = { "spam" }, hours = 1 } },
          rules = { { id = "all", check = function(m) return { { module = caliper.module_for("spam"), reason = "x" } } end } } }
        """,
        "bad.lua": """
        local caliper = require "caliper"
        return caliper.curriculum { id = "bad", modules = { { id = "M", title = "M", covers = { "spam" }, hours = 1 } },
          rules = { { id = "boom", check = function(m)
            if m.site == "Osaka-2" then error("no capacity data") end
          end } } }
        """,
        "twice.lua": """
        local caliper = require "caliper"
        return caliper.curriculum { id = "twice", modules = {
          { id = "M", title = "M", covers = { "spam" }, hours = 1 },
          { id = "M", title = "M again", covers = { "spam" }, hours = 2 } } }
        """,
        "cycle.lua": """
        local caliper = require "caliper"
        return caliper.curriculum { id = "cycle", modules = {
          { id = "A", title = "A", covers = { "spam" }, requires = { "B" }, hours = 1 },
          { id = "B", title = "B", covers = { "spam" }, requires = { "A" }, hours = 1 } } }
        """,
      ])
    let report = try await runCurricula(packs: [root])
    #expect(report.status == .failed)
    let curricula = try #require(report.sections.curricula?.curricula)
    let good = try #require(curricula.first { $0.id == "good" })
    #expect(good.status == .ok && (good.schedule?.items.count ?? 0) > 0)
    let bad = try #require(curricula.first { $0.id == "bad" })
    #expect(bad.status == .failed)
    #expect(bad.error?.contains("curricula/bad.lua:4: no capacity data") == true, "\(bad.error ?? "")")
    #expect(bad.error?.contains("rule boom on m-osaka2-") == true, "\(bad.error ?? "")")
    let cycle = try #require(curricula.first { $0.id == "cycle" })
    #expect(cycle.error?.contains("A → B → A") == true, "\(cycle.error ?? "")")
    let twice = try #require(curricula.first { $0.id == "twice" })
    #expect(twice.error?.contains("modules[2].id: module id 'M' is used twice") == true, "\(twice.error ?? "")")
  }

  @Test func aMarketPackChangesCapacityAndAddsAModuleByID() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-curricula-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let base = try Self.pack(
      "base", in: folder,
      [
        "c.lua": """
        local caliper = require "caliper"
        return caliper.curriculum { id = "c", capacity = { hours_per_week = 4 },
          modules = { { id = "M", title = "M", covers = { "spam" }, hours = 2 } },
          rules = { { id = "all", check = function(m) return { { module = "M" } } end } } }
        """
      ])
    let market = try Self.pack(
      "jpx", in: folder, extends: "base",
      [
        "c.lua": """
        local caliper = require "caliper"
        return caliper.curriculum { base = "c", capacity = { hours_per_week = 1 },
          modules = { { id = "N", title = "N", covers = { "spam" }, requires = { "M" }, hours = 1 } },
          rules = { { id = "more", check = function(m) return { { module = "N", priority = 2 } } end } } }
        """
      ])
    let report = try await runCurricula(packs: [base, market])
    let curricula = try #require(report.sections.curricula?.curricula)
    let jp = try #require(curricula.first { $0.pack == "jpx" })
    let region = try #require(curricula.first { $0.pack == "base" })
    #expect(jp.status == .ok && region.status == .ok)
    let jpItems = try #require(jp.schedule?.items)
    #expect(!jpItems.isEmpty && jpItems.allSatisfy { $0.market == "JP" })
    #expect(region.schedule?.items.contains { $0.market == "JP" } == false)
    // 1 hour a week: M (2 h) spans two weeks, N follows in the third.
    let first = try #require(jpItems.first { $0.module == "M" })
    let next = try #require(jpItems.first { $0.moderator == first.moderator && $0.module == "N" })
    #expect(first.weeksFromNow == 2 && next.weeksFromNow == 3)
  }

  @Test func theAIProfileCountsRightSuggestionsOverriddenAsTheDataDoes() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-ai-use-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = try Self.pack(
      "t", in: folder,
      [
        "ai.lua": """
        local caliper = require "caliper"
        return caliper.curriculum { id = "ai", modules = { { id = "AI-X", title = "AI", skill = "ai_assist", hours = 1 } },
          rules = { { id = "overrides", check = function(m)
            local right, wrongly = m.ai.overrode_right_rate, m.ai.overrode_wrongly_rate
            if right.n > 0 then
              return { { module = "AI-X", reason = ("%d/%d %d"):format(right.k, right.n, wrongly.k) } }
            end
          end } } }
        """
      ])
    let report = try await runCurricula(packs: [root])
    let items = try #require(report.sections.curricula?.curricula.first?.schedule?.items)
    // The same counts straight from the files: audits of assisted decisions whose label is not
    // the suggestion, and of those, the ones whose QA label is the suggestion.
    var expected: [String: (right: Int, audited: Int)] = [:]
    let decisions = try String(contentsOf: ExamplePaths.data.appendingPathComponent("decisions.csv"), encoding: .utf8)
    var overrides: [String: (moderator: String, suggestion: String)] = [:]
    for line in decisions.split(separator: "\n").dropFirst() {
      let field = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      if field[13] == "true", !field[11].isEmpty, field[10] != field[11] { overrides[field[0]] = (field[6], field[11]) }
    }
    let audits = try String(contentsOf: ExamplePaths.data.appendingPathComponent("qa_audits.csv"), encoding: .utf8)
    for line in audits.split(separator: "\n").dropFirst() {
      let field = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard let override = overrides[field[1]] else { continue }
      expected[override.moderator, default: (0, 0)].audited += 1
      if field[5] == override.suggestion { expected[override.moderator, default: (0, 0)].right += 1 }
    }
    #expect(items.count > 20 && items.contains { !$0.reason.hasPrefix("0/") })
    for item in items {
      let counts = try #require(expected[item.moderator], "\(item.moderator) has no audited overrides")
      let parts = item.reason.split(whereSeparator: { $0 == "/" || $0 == " " }).compactMap { Int($0) }
      #expect(parts.count == 3)
      #expect(parts[0] == counts.right && parts[1] == counts.audited, "\(item.moderator): \(item.reason)")
      // A right suggestion overridden is an override QA found wrong.
      #expect(parts[0] <= parts[2])
    }
  }

  @Test func trainingOfUnknownModeratorsOrModulesIsAFindingNotDropped() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-training-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: ExamplePaths.data, to: folder)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("training.csv")
    let original = try String(contentsOf: url, encoding: .utf8)
    try
      (original + "m-nobody,HATE-101,2026-06-10T00:00:00Z,2026-06-11T00:00:00Z,0.9\n"
      + "m-osaka2-0,NO-SUCH-MODULE,2026-06-10T00:00:00Z,,\n").write(to: url, atomically: true, encoding: .utf8)
    let report = try await runCurricula(data: folder, packs: [ExamplePaths.pack("apac-base")])
    let data = report.findings.filter { $0.detector == "training_data" }
    #expect(data.contains { $0.subject == "moderator_id m-nobody" && $0.message.hasPrefix("1 row of training.csv") })
    #expect(data.contains { $0.subject == "module_id NO-SUCH-MODULE" })
    // Both rows are read and reconciled, not dropped.
    let tally = try #require(report.data.files.first { $0.file == "training.csv" })
    #expect(tally.rowsAccepted == original.split(separator: "\n").count - 1 + 2 && tally.rowsRejected == 0)
  }

  @Test func trainingRowsThatCannotBeReadRightAreErrorsNamingFileLineAndField() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-training-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: ExamplePaths.data, to: folder)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("training.csv")
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").count
    for (row, expected) in [
      (
        "m-osaka2-0,HATE-101,2026-06-10T00:00:00Z,2026-06-01T00:00:00Z,0.9",
        "completed_at: expected a time no earlier than enrolled_at"
      ),
      ("m-osaka2-0,HATE-101,2026-06-10T00:00:00Z,2026-06-11T00:00:00Z,7", "score: expected a score between 0 and 1"),
    ] {
      let original = try String(contentsOf: ExamplePaths.data.appendingPathComponent("training.csv"), encoding: .utf8)
      try (original + row + "\n").write(to: url, atomically: true, encoding: .utf8)
      let error = await #expect(throws: (any Error).self) {
        _ = try await runCurricula(data: folder, packs: [ExamplePaths.pack("apac-base")])
      }
      let text = error.map { "\($0)" } ?? ""
      #expect(text.contains("training.csv:\(lines + 1):") && text.contains(expected), "\(text)")
    }
  }
}
