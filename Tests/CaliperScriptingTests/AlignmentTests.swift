import Foundation
import LuaKit
import Testing

@testable import CaliperCore
@testable import CaliperScripting

/// Runs the alignment scripts of `packs` on a CSV folder through the engine, as `caliper align`
/// does.
func runAlignment(
  data: URL = ExamplePaths.data, packs: [URL], request: AlignmentRequest = AlignmentRequest()
) async throws -> Report {
  let engine = try await CaliperEngine(packs: packs, options: CaliperEngine.Options(workers: 2))
  return try await engine.alignment(on: CSVFolderSource(folder: data), request)
}

/// Liaison alignment rules: the example packs' rules run on the example data, a market pack
/// overrides its base's rules by id, and a failing rule fails only its script with a located error.
@Suite("Alignment rules")
struct AlignmentTests {
  static func failing(_ report: Report, pack: String, script: String, rule: String) -> [String] {
    let scripts = report.sections.alignment?.scripts ?? []
    let record = scripts.first { $0.pack == pack && $0.id == script }?.rules.first { $0.id == rule }
    return record?.checks.filter { !$0.passed }.map(\.subject) ?? []
  }

  /// Writes a pack `name` (optionally extending `extends`) with the given alignment scripts.
  static func pack(
    _ name: String, in folder: URL, extends: String? = nil, _ files: [String: String]
  ) throws -> URL {
    try scratchPack(name, in: folder, folder: "alignment", extends: extends, files)
  }

  @Test func theExampleRulesFindThePlantedProblems() async throws {
    let report = try await runAlignment(packs: [ExamplePaths.pack("apac-base")])
    #expect(report.status == .ok)
    let section = try #require(report.sections.alignment)
    #expect(section.scripts.allSatisfy { $0.status == .ok })
    #expect(Self.failing(report, pack: "apac-base", script: "go_live", rule: "staffed") == ["vn-ads"])
    #expect(
      Self.failing(report, pack: "apac-base", script: "qa_alignment", rule: "vendor_qa_inflation")
        == ["Archipelago CX"])
    #expect(!section.sessions.isEmpty)
    #expect(section.sessions.allSatisfy { $0.items > 0 && !$0.agreements.isEmpty })
  }

  /// Every alignment plant of a generated set (sizes and seed unlike the bundled example) is
  /// found by the example packs, and the same organisation without plants raises nothing.
  @Test func theExamplePacksFindEveryPlantAndNothingOnAPlantFreeSet() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-plants-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let packs = [ExamplePaths.pack("apac-base"), ExamplePaths.pack("jp"), ExamplePaths.pack("kr")]
    let planted = folder.appendingPathComponent("planted")
    let generator = SyntheticDataGenerator(seed: 11, decisions: 30_000, weeks: 5)
    _ = try generator.write(to: planted)
    let report = try await runAlignment(data: planted, packs: packs)
    #expect(report.status == .ok)
    let flagged = Set(report.findings.map { "\($0.scorecard) \($0.subject)" })
    let session = "cal-\(SyntheticWorld.lowAgreementMarket.lowercased())-w\(SyntheticWorld.lowAgreementWeek)"
    let expected = [
      "apac_calibration \(session)",
      "qa_alignment \(SyntheticWorld.inflatedVendor)",
      "go_live \(SyntheticWorld.understaffedQueue)",
      "auditor_drift qa-\(SyntheticWorld.driftingAuditorSite.lowercased())-0",
      "redteam_regressions \(SyntheticWorld.regressedTechnique) / all markets",
    ]
    for plant in expected { #expect(flagged.contains(plant), "\(plant) not flagged; flagged: \(flagged.sorted())") }
    #expect(
      report.findings.contains {
        $0.scorecard == "vendor_reports" && $0.subject.hasPrefix(SyntheticWorld.overReportingVendor + " ")
          && $0.subject.hasSuffix("qa_accuracy")
      }, "\(flagged.sorted())")
    #expect(
      report.findings.contains {
        $0.scorecard == "policy_rollout" && $0.subject.contains(SyntheticWorld.changedLabel)
      }, "\(flagged.sorted())")
    // Nothing but the plants: every finding is about one of them.
    let plantNames = [
      session, SyntheticWorld.inflatedVendor, SyntheticWorld.understaffedQueue,
      SyntheticWorld.driftingAuditorSite.lowercased(),
      SyntheticWorld.regressedTechnique, SyntheticWorld.overReportingVendor, SyntheticWorld.changedLabel,
    ]
    for finding in report.findings {
      #expect(
        plantNames.contains { finding.subject.contains($0) },
        "unplanted finding: \(finding.subject): \(finding.message)")
    }

    let clean = folder.appendingPathComponent("clean")
    _ = try SyntheticDataGenerator(seed: 11, decisions: 30_000, weeks: 5, plants: false).write(to: clean)
    let control = try await runAlignment(data: clean, packs: packs)
    #expect(control.status == .ok)
    #expect(control.findings.isEmpty, "\(control.findings.map { "\($0.subject): \($0.message)" })")
    let checked = control.sections.alignment?.scripts.flatMap(\.rules).map(\.checked).reduce(0, +) ?? 0
    #expect(checked > 100)
  }

  @Test func runsAreByteIdenticalAndTheSeedIsRecorded() async throws {
    let request = AlignmentRequest(seed: 9)
    let first = try await runAlignment(packs: [ExamplePaths.pack("apac-base")], request: request)
    let second = try await runAlignment(packs: [ExamplePaths.pack("apac-base")], request: request)
    #expect(try first.json() == second.json())
    #expect(first.run.seed == 9)
  }

  @Test func aMarketPackOverridesItsBasesParametersAndRulesByID() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-align-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let base = try Self.pack(
      "base", in: folder,
      [
        "sessions.lua": """
        local caliper = require "caliper"
        return caliper.alignment { id = "sessions", params = { most_items = 1000 },
          rules = {
            { id = "small", over = "sessions", check = function(s, p)
                if s.items > p.most_items then return { message = "too many items" } end
              end },
            { id = "every", over = "sessions", check = function(s) return { message = "listed" } end },
          } }
        """
      ])
    let market = try Self.pack(
      "market", in: folder, extends: "base",
      [
        "sessions.lua": """
        local caliper = require "caliper"
        return caliper.alignment { base = "sessions", params = { most_items = 1 },
          rules = { { id = "every", remove = true } } }
        """
      ])
    let report = try await runAlignment(packs: [base, market])
    let scripts = try #require(report.sections.alignment?.scripts)
    let inBase = try #require(scripts.first { $0.pack == "base" })
    let inMarket = try #require(scripts.first { $0.pack == "market" })
    #expect(inBase.rules.map(\.id) == ["small", "every"])
    #expect(inMarket.rules.map(\.id) == ["small"])
    let small = try #require(inMarket.rules.first)
    #expect(small.checked > 0 && small.failed == small.checked)
    #expect(inBase.rules[0].failed == 0)
  }

  @Test func everySubjectIsReachableWithItsFieldsAndMethods() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-align-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    // Each rule reports what it read as a finding, so the test can hold it against the data.
    let root = try Self.pack(
      "t", in: folder,
      [
        "probe.lua": """
        local caliper = require "caliper"
        local function say(subject, text) return { subject = subject, message = text } end
        return caliper.alignment { id = "probe", rules = {
          { id = "labels", over = "labels", check = function(l)
              local n = 0
              for _, m in ipairs(l.markets) do if m.accuracy.defined then n = n + m.accuracy.n end end
              assert(l.adjusted_p == nil or l.adjusted_p >= l.p - 1e-12, "BH never lowers p")
              return say(l.label, ("markets=%d audits=%d diverging=%d"):format(#l.markets, n, #l:diverging(0.05)))
            end },
          { id = "policies", over = "policies", check = function(c)
              local t = c:training { modules = c.modules }
              local a = c:accuracy { by = "vendor" }
              return say(c.id, ("%s %s->%s from %s trained=%d/%d vendors=%d early=%d"):format(
                c.label, c.previous_version, c.version, c.effective_from, t.share.k, t.share.n, #a, c.early_uses))
            end },
          { id = "reports", over = "reports", check = function(r)
              local lo, hi = r:interval(0.95)
              assert(not r.proportion or (lo <= r.measured.value and r.measured.value <= hi))
              return say(r.id, ("%s %.4f vs %.4f"):format(r.kpi, r.reported, r.measured.value))
            end },
          { id = "vendors", over = "vendors", check = function(v)
              local n, last = 0, math.huge
              for _, l in ipairs(v.qa_gap:by_label()) do
                if l.gap then
                  assert(math.abs(l.gap - (l.vendor_pass.value - l.internal_pass.value)) < 1e-12)
                  assert(l.gap <= last, "largest gap first")
                  last = l.gap
                end
                n = n + 1
              end
              return say(v.name, ("labels=%d"):format(n))
            end },
          { id = "queues", over = "queues", check = function(q)
              local s = q:staffing { shift_hours = 8, target_level = 0.8 }
              assert(q.aht_basis and math.abs(q.decisions_per_moderator_hour * q.aht_seconds - 3600) < 1e-6)
              return say(q.id, ("moderators=%d required=%s"):format(q.moderators, tostring(s.required_agents)))
            end },
          { id = "sessions", over = "sessions", check = function(s)
              local d = s:disagreements()
              local b = s:by_label()
              local o = s:agreement { metric = "krippendorff", level = "ordinal", reps = 200 }
              return say(s.id, ("items=%d disputed=%d labels=%d ordinal=%s"):format(
                s.items, #d, #b, tostring(o.defined)))
            end },
        } }
        """
      ])
    let report = try await runAlignment(packs: [root])
    #expect(report.status == .ok, "\(report.sections.alignment?.scripts.compactMap(\.error) ?? [])")
    let messages = Dictionary(report.findings.map { ($0.subject, $0.message) }, uniquingKeysWith: { a, _ in a })
    let benign = try #require(messages["benign"])
    #expect(benign.hasPrefix("markets=8 audits="), "\(benign)")
    let change = try #require(messages["\(SyntheticWorld.changedLabel) v7 → \(SyntheticWorld.changedVersion)"])
    #expect(change.contains("hate_speech v7->v8 from 2026-06-18 trained="), "\(change)")  // mid-way through 5 weeks
    #expect(change.contains("early=0"))
    #expect(report.findings.filter { $0.detector == "reports" }.count == 24)  // 6 vendors x 2 months x 2 figures
    #expect(messages["vn-ads"]?.hasPrefix("moderators=2 required=") == true)
    #expect(report.findings.filter { $0.detector == "vendors" }.count == 6)
    #expect(
      report.findings.filter { $0.detector == "vendors" }.allSatisfy {
        (Int($0.message.dropFirst("labels=".count)) ?? 0) >= 5
      })
    #expect(report.findings.filter { $0.detector == "sessions" }.count == 40)  // 8 markets x 5 weeks
    #expect(messages["cal-jp-w1"]?.contains("ordinal=true") == true)
  }

  @Test func aFailingRuleFailsOnlyItsScriptNamingPackFileRuleAndLine() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-align-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = try Self.pack(
      "t", in: folder,
      [
        "a_broken.lua": """
        local caliper = require "caliper"
        return caliper.alignment { id = "broken", rules = {
          { id = "boom", over = "vendors", check = function(v)
              return v.no_such_field.value
            end } } }
        """,
        "b_fine.lua": """
        local caliper = require "caliper"
        return caliper.alignment { id = "fine", rules = {
          { id = "ok", over = "vendors", check = function(v) return true end } } }
        """,
      ])
    let report = try await runAlignment(packs: [root])
    #expect(report.status == .failed)
    let scripts = try #require(report.sections.alignment?.scripts)
    let broken = try #require(scripts.first { $0.id == "broken" })
    #expect(broken.status == .failed)
    let error = try #require(broken.error)
    #expect(error.contains("boom"), "\(error)")
    #expect(error.contains("a_broken.lua:4"), "\(error)")
    let fine = try #require(scripts.first { $0.id == "fine" })
    #expect(fine.status == .ok)
    #expect(fine.rules[0].checked > 0 && fine.rules[0].failed == 0)
  }

  @Test func aRuleOverAnUnknownSubjectIsAPackErrorNamingTheFile() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-align-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = try Self.pack(
      "t", in: folder,
      [
        "bad.lua": """
        local caliper = require "caliper"
        return caliper.alignment { id = "bad", rules = {
          { id = "r", over = "planets", check = function() end } } }
        """
      ])
    let report = try await runAlignment(packs: [root])
    let scripts = report.sections.alignment?.scripts ?? []
    let failure = try #require(scripts.first?.error)
    #expect(report.status == .failed)
    #expect(failure.contains("bad.lua"), "\(failure)")
    #expect(failure.contains("planets"), "\(failure)")
  }
}
