import CaliperCore
import Foundation
import LuaKit
import Testing

@testable import CaliperScripting

/// A host embeds the engine: many concurrent requests on a small pool give a serial run's
/// bytes, a request brings its own limits, host functions and data reach scripts read-only
/// with the usual error rules, and packs reload atomically (a failed reload keeps the old).
@Suite("Embedding the engine")
struct EmbeddingTests {
  /// A small generated data set (many requests stay quick) in `folder`'s `data`, made on first
  /// use: inside a test's scratch folder, it goes when the test removes that.
  static func smallData(in folder: URL, decisions: Int = 3_000) throws -> URL {
    let data = folder.appendingPathComponent("data")
    if !FileManager.default.fileExists(atPath: data.path) {
      _ = try SyntheticDataGenerator(seed: 3, decisions: decisions, weeks: 2, moderatorsPerSite: 4).write(to: data)
    }
    return data
  }

  static func scorecard(_ id: String, kpi: String) -> String {
    """
    local caliper = require "caliper"
    return caliper.scorecard { id = "\(id)", grain = "vendor", period = "month", min_n = 1,
      kpis = { { id = "k", value = function(g)
        \(kpi)
      end } } }
    """
  }

  static func scratch() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("caliper-embed-\(UUID().uuidString)")
  }

  /// A scorecard's first KPI value, or its error.
  enum Outcome: Equatable {
    case success(Double)
    case failure(String)
  }

  /// The first row's KPI value of the scorecard `id`, or its error.
  static func value(_ report: Report, _ id: String) -> Outcome {
    guard let card = report.scorecards.first(where: { $0.id == id }) else { return .failure("no scorecard \(id)") }
    if let error = card.error { return .failure(error) }
    guard let value = card.rows.first?.values.first?.value else { return .failure("no value") }
    return .success(value)
  }

  @Test func aThousandConcurrentRequestsOnAPoolOfTwoGiveTheSerialRunsBytes() async throws {
    let folder = Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    // Built-in aggregates, a row measure run in the states, and the seeded random numbers: every
    // part of a run that could leak between requests sharing a state.
    let root = try scratchPack(
      "c", in: folder, folder: "scorecards",
      [
        "sites.lua": """
        local caliper = require "caliper"
        return caliper.scorecard { id = "sites", grain = "site", period = "week", min_n = 1,
          measures = { caliper.measure { id = "night", reduce = "rate",
            where = function(row) return row.hour >= 22 or row.hour < 6 end } },
          kpis = {
            { id = "accuracy", value = function(g) return g.qa.accuracy end },
            { id = "night", value = function(g) return g:measure("night") end },
            { id = "dice", value = function(g) return math.random(1, 1000000) end },
          } }
        """
      ])
    let engine = try await CaliperEngine(packs: [root], options: CaliperEngine.Options(workers: 1, poolSize: 2))
    // Few decisions: the thousand runs are about sharing states, not data (3,000 decisions
    // made this the suite's longest test, 92 s of a debug build).
    let source = CSVFolderSource(folder: try Self.smallData(in: folder, decisions: 600))
    let serial = try await engine.scorecards(on: source, ScorecardRequest(seed: 1)).json()
    let serialOther = try await engine.scorecards(on: source, ScorecardRequest(seed: 2)).json()
    let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
      for index in 0..<1_000 {
        group.addTask {
          let seed = UInt64(1 + index % 2)
          let bytes = try await engine.scorecards(on: source, ScorecardRequest(seed: seed)).json()
          return bytes == (seed == 1 ? serial : serialOther) ? 0 : 1
        }
      }
      return try await group.reduce(0, +)
    }
    #expect(mismatches == 0)
    #expect(serial.count > 10_000)
  }

  @Test func runsGiveTheirStatesBackAndAPassThatStartsOverCountsEachRowOnce() async throws {
    let folder = Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = try scratchPack(
      "g", in: folder, folder: "scorecards",
      [
        "rows.lua": """
        local caliper = require "caliper"
        return caliper.scorecard { id = "rows", grain = "site", period = "week", min_n = 1,
          measures = { caliper.measure { id = "rows", reduce = "count" },
            caliper.measure { id = "night", reduce = "rate",
              where = function(row) return row.hour >= 22 or row.hour < 6 end } },
          kpis = { { id = "rows", value = function(g) return g:measure("rows") end },
            { id = "night", value = function(g) return g:measure("night") end } } }
        """
      ])
    // The same decisions, and a bad row at the end: the parallel pass meets it after both
    // workers fed rows to their sinks, and starts over with the exact reader (quarantining it).
    let bad = folder.appendingPathComponent("bad")
    try FileManager.default.copyItem(at: try Self.smallData(in: folder), to: bad)
    let decisions = bad.appendingPathComponent("decisions.csv")
    let handle = try FileHandle(forWritingTo: decisions)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("d-bad,i-bad,q,KR,v,s,m,not-a-time,2026-06-16T20:36:30Z,1,spam,,,false,\n".utf8))
    try handle.close()

    let engine = try await CaliperEngine(packs: [root], options: CaliperEngine.Options(workers: 2, poolSize: 2))
    let clean = try await engine.scorecards(on: CSVFolderSource(folder: try Self.smallData(in: folder)))
    let rejects = folder.appendingPathComponent("rejects")
    let restarted = try await engine.scorecards(
      on: CSVFolderSource(folder: bad, policy: .quarantine(directory: rejects)))
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    #expect(clean.scorecards.first?.status == .ok)
    #expect(try encoder.encode(restarted.scorecards) == encoder.encode(clean.scorecards))
    #expect(restarted.data.files.first { $0.file == "decisions.csv" }?.rowsRejected == 1)
    // Both runs gave back the two states they were lent: none was made again.
    #expect(engine.statesMade == 2)
  }

  @Test func aRequestBringsItsOwnTimeInstructionAndMemoryLimits() async throws {
    let folder = Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = try scratchPack(
      "l", in: folder, folder: "scorecards",
      [
        "spin.lua": Self.scorecard("spin", kpi: "local n = 0 for i = 1, 3000000 do n = n + 1 end return n"),
        "grow.lua": Self.scorecard("grow", kpi: "local s = string.rep('x', 64 << 20) return #s"),
      ])
    let engine = try await CaliperEngine(packs: [root], options: CaliperEngine.Options(workers: 1))
    let source = CSVFolderSource(folder: try Self.smallData(in: folder))
    let free = try await engine.scorecards(on: source)
    #expect(Self.value(free, "spin") == .success(3_000_000))
    #expect(Self.value(free, "grow") == .success(Double(64 << 20)))
    let bounded = try await engine.scorecards(
      on: source, ScorecardRequest(limits: RunLimits(instructions: 100_000), memoryLimit: 32 << 20))
    guard case .failure(let spin) = Self.value(bounded, "spin"), case .failure(let grow) = Self.value(bounded, "grow")
    else {
      Issue.record("the request's limits did not stop the scripts")
      return
    }
    #expect(spin.contains("instruction"), "\(spin)")
    #expect(grow.contains("memory"), "\(grow)")
    // The report says which limit stopped each, for a host to tell a limit from a script's fault.
    let limits = Dictionary(uniqueKeysWithValues: bounded.scorecards.map { ($0.id, $0.limit ?? "none") })
    #expect(limits == ["spin": "instructions", "grow": "memory"])
    #expect(free.scorecards.allSatisfy { $0.limit == nil })
    // The engine's own limits are back for the next request on the same states.
    let again = try await engine.scorecards(on: source, period: nil)
    #expect(try again.json() == free.json())
  }

  struct Moderator: Codable, Sendable {
    var name: String
    var tenureMonths: Int
  }

  struct LookupFailure: Error, CustomStringConvertible {
    var description: String { "the roster service is down" }
  }

  @Test func hostFunctionsAndDataReachScriptsReadOnlyWithTheUsualErrors() async throws {
    let folder = Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = try scratchPack(
      "h", in: folder, folder: "scorecards",
      [
        "uses.lua": Self.scorecard(
          "uses",
          kpi: """
            local m = caliper.host.roster.lookup("m-1")
            return m.tenureMonths * 1000 + caliper.host.targets.JP * 100 + (caliper.host.roster.lookup("nobody") == nil and 1 or 0)
            """),
        "throws.lua": Self.scorecard("throws", kpi: "return caliper.host.roster.fail()"),
        "badarg.lua": Self.scorecard("badarg", kpi: "return caliper.host.roster.lookup({})"),
        "writes.lua": Self.scorecard("writes", kpi: "caliper.host.targets.JP = 1 return 0"),
        "nested.lua": Self.scorecard("nested", kpi: "caliper.host.sites.list[1] = 'x' return 0"),
        "replace.lua": Self.scorecard("replace", kpi: "caliper.host.roster = {} return 0"),
      ])
    let engine = try await CaliperEngine(packs: [root], options: CaliperEngine.Options(workers: 1))
    let source = CSVFolderSource(folder: try Self.smallData(in: folder))
    // Before anything is bound, `caliper.host` is an empty table: a clear error, not a crash.
    let unbound = try await engine.scorecards(on: source)
    guard case .failure(let missing) = Self.value(unbound, "uses") else {
      Issue.record("an unbound host function ran")
      return
    }
    #expect(missing.contains("scorecards/uses.lua:4"), "\(missing)")

    let roster = ["m-1": Moderator(name: "Aiko", tenureMonths: 7)]
    try engine.register("roster.lookup") { (id: String) -> Moderator? in roster[id] }
    try engine.register("roster.fail") { () throws -> Int in throw LookupFailure() }
    try engine.provide("targets", ["JP": 0.95, "KR": 0.93])
    try engine.provide("sites", ["list": ["Osaka-2", "Seoul-1"]])
    #expect(throws: LuaError.self) { try engine.provide("roster", 1) }
    #expect(throws: LuaError.self) { try engine.provide("bad name", 1) }

    let report = try await engine.scorecards(on: source)
    #expect(Self.value(report, "uses") == .success(7_000 + 95 + 1))
    let errors = [
      ("throws", "scorecards/throws.lua:4", "the roster service is down"),
      ("badarg", "scorecards/badarg.lua:4", "bad argument #1 to 'roster.lookup'"),
      ("writes", "scorecards/writes.lua:4", "read-only table 'caliper.host.targets'"),
      ("nested", "scorecards/nested.lua:4", "read-only table 'caliper.host.sites.list'"),
      ("replace", "scorecards/replace.lua:4", "read-only table 'caliper.host'"),
    ]
    for (id, place, message) in errors {
      guard case .failure(let error) = Self.value(report, id) else {
        Issue.record("\(id) did not fail")
        continue
      }
      #expect(error.contains(place) && error.contains(message), "\(id): \(error)")
    }
    // The host's values are copied: a later edit of the host's data shows only once provided again.
    try engine.provide("targets", ["JP": 0.5])
    #expect(Self.value(try await engine.scorecards(on: source), "uses") == .success(7_000 + 50 + 1))
  }

  @Test func aReloadSwapsPacksAtOnceAndAFailedOneKeepsTheOld() async throws {
    let folder = Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = try scratchPack("r", in: folder, folder: "scorecards", ["v.lua": Self.scorecard("v", kpi: "return 1")])
    let engine = try await CaliperEngine(packs: [root], options: CaliperEngine.Options(workers: 1, poolSize: 2))
    let source = CSVFolderSource(folder: try Self.smallData(in: folder))
    #expect(Self.value(try await engine.scorecards(on: source), "v") == .success(1))
    let file = root.appendingPathComponent("scorecards/v.lua")
    try Self.scorecard("v", kpi: "return 2").write(to: file, atomically: true, encoding: .utf8)
    // Files changed on disk do not show until a reload.
    #expect(Self.value(try await engine.scorecards(on: source), "v") == .success(1))
    let outcome = try await engine.reload()
    #expect(outcome.succeeded && outcome.packs == ["r"])
    #expect(Self.value(try await engine.scorecards(on: source), "v") == .success(2))

    try "local caliper = require 'caliper'\nreturn caliper.scorecard {".write(
      to: file, atomically: true, encoding: .utf8)
    await #expect(throws: ReloadError.self) { try await engine.reload() }
    let failed = try #require(engine.lastReload)
    #expect(!failed.succeeded)
    #expect(failed.problems.contains { $0.contains("scorecards/v.lua:2") }, "\(failed.problems)")
    #expect(Self.value(try await engine.scorecards(on: source), "v") == .success(2))
    try "return {".write(to: root.appendingPathComponent("pack.lua"), atomically: true, encoding: .utf8)
    await #expect(throws: ReloadError.self) { try await engine.reload() }
    #expect(engine.packs.selected.map(\.manifest.name) == ["r"])
  }

  @Test func statesMadeAfterTheFilesChangeRunTheScriptsThePacksWereLoadedWith() async throws {
    let folder = Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = try scratchPack("s", in: folder, folder: "scorecards", ["v.lua": Self.scorecard("v", kpi: "return 1")])
    let packs = try PackSet(roots: [root])
    // The pool drops the states of a run that threw and makes new ones: from the loaded bytes.
    try Self.scorecard("v", kpi: "return 2").write(
      to: root.appendingPathComponent("scorecards/v.lua"), atomically: true, encoding: .utf8)
    let host = try ScriptHost(packs: packs, memoryLimit: nil)
    let values = try host.scorecards[0].kpis[0].value.callReturningAll()
    guard case .integer(1)? = values.first else {
      Issue.record("a state made after the edit ran \(values.first.map { "\($0)" } ?? "nothing")")
      return
    }
    // Options edited after their init to counts below one still give a working engine.
    var options = CaliperEngine.Options(workers: 1)
    options.workers = 0
    options.poolSize = -3
    let engine = try await CaliperEngine(packs: [root], options: options)
    #expect(engine.options.workers == 1 && engine.options.poolSize == 1)
    // (A new engine reads the files as they are now.)
    let report = try await engine.scorecards(on: CSVFolderSource(folder: try Self.smallData(in: folder)))
    #expect(Self.value(report, "v") == .success(2))
  }

  @Test func theFileCheckReloadsChangedPacks() async throws {
    let folder = Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = try scratchPack("w", in: folder, folder: "scorecards", ["v.lua": Self.scorecard("v", kpi: "return 1")])
    let engine = try await CaliperEngine(
      packs: [root], options: CaliperEngine.Options(workers: 1, reloadCheckInterval: .milliseconds(50)))
    try Self.scorecard("v", kpi: "return 3").write(
      to: root.appendingPathComponent("scorecards/v.lua"), atomically: true, encoding: .utf8)
    // Waits for the check to notice (it runs every 50 ms; the bound only ends a broken test).
    for _ in 0..<400 where engine.lastReload == nil { try await Task.sleep(for: .milliseconds(25)) }
    #expect(engine.lastReload?.succeeded == true)
    let source = CSVFolderSource(folder: try Self.smallData(in: folder))
    #expect(Self.value(try await engine.scorecards(on: source), "v") == .success(3))
  }
}
