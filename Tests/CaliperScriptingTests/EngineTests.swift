import CaliperCore
import Foundation
import LuaKit
import Synchronization
import Testing

@testable import CaliperScripting

/// The engine compiles packs once and runs them on any data: runs reuse its states and give
/// the reports fresh states would, concurrent runs share nothing, and a cancelled task stops.
@Suite("Caliper engine")
struct EngineTests {
  static let source = CSVFolderSource(folder: ExamplePaths.data)

  @Test func repeatedAndConcurrentRunsOnOneEngineGiveTheSameBytes() async throws {
    let engine = try await CaliperEngine(packs: ExamplePaths.all, options: CaliperEngine.Options(workers: 2))
    let first = try await engine.scorecards(on: Self.source)
    let second = try await engine.scorecards(on: Self.source)
    #expect(try first.json() == second.json())
    let golden = try Data(
      contentsOf: ExamplePaths.root.appendingPathComponent("Tests/CaliperScriptingTests/Golden/example-report.json"))
    #expect(try JSONRenderer().render(second) == String(decoding: golden, as: UTF8.self))
    let concurrent = try await withThrowingTaskGroup(of: Data.self) { group in
      for _ in 0..<3 { group.addTask { try await engine.scorecards(on: Self.source).json() } }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(concurrent.count == 3)
    #expect(concurrent.allSatisfy { $0 == (try? first.json()) })
  }

  @Test func scriptsAreCheckedAgainstEachRunsDataNotWhenCompiled() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-engine-\(UUID().uuidString)/t")
    defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("scorecards"), withIntermediateDirectories: true)
    try "return { name = 't', version = '1', caliper = 1 }".write(
      to: root.appendingPathComponent("pack.lua"), atomically: true, encoding: .utf8)
    try """
    local caliper = require "caliper"
    return caliper.scorecard { id = "mars", grain = "site", period = "week", filter = { market = "MARS" },
      kpis = { { id = "n", value = function(g) return g.decisions end } } }
    """.write(to: root.appendingPathComponent("scorecards/mars.lua"), atomically: true, encoding: .utf8)
    let engine = try await CaliperEngine(packs: [root], options: CaliperEngine.Options(workers: 1))
    let report = try await engine.scorecards(on: Self.source)
    let mars = try #require(report.scorecards.first)
    #expect(mars.status == .failed)
    #expect(mars.error?.hasPrefix("t/scorecards/mars.lua: filter.market: unknown market \"MARS\"") == true)
    // The same compiled engine runs again, with the same answer: the check is per run.
    let again = try await engine.scorecards(on: Self.source)
    #expect(again.scorecards.first?.error == mars.error)
  }

  @Test func seedsDoNotLeakFromOneRunIntoTheNext() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-engine-\(UUID().uuidString)/r")
    defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("scorecards"), withIntermediateDirectories: true)
    try "return { name = 'r', version = '1', caliper = 1 }".write(
      to: root.appendingPathComponent("pack.lua"), atomically: true, encoding: .utf8)
    try """
    local caliper = require "caliper"
    return caliper.scorecard { id = "dice", grain = "vendor", period = "month", min_n = 1,
      kpis = { { id = "roll", value = function(g) return math.random(1, 1000000) end } } }
    """.write(to: root.appendingPathComponent("scorecards/dice.lua"), atomically: true, encoding: .utf8)
    let engine = try await CaliperEngine(packs: [root], options: CaliperEngine.Options(workers: 1))
    let seven = try await engine.scorecards(on: Self.source, ScorecardRequest(seed: 7))
    _ = try await engine.scorecards(on: Self.source, ScorecardRequest(seed: 8))
    let sevenAgain = try await engine.scorecards(on: Self.source, ScorecardRequest(seed: 7))
    #expect(try seven.json() == sevenAgain.json())
    let fresh = try await CaliperEngine(packs: [root], options: CaliperEngine.Options(workers: 1))
      .scorecards(on: Self.source, ScorecardRequest(seed: 7))
    #expect(try fresh.json() == seven.json())
  }

  @Test func cancellingTheTaskStopsTheRun() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-engine-\(UUID().uuidString)/c")
    defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("scorecards"), withIntermediateDirectories: true)
    try "return { name = 'c', version = '1', caliper = 1 }".write(
      to: root.appendingPathComponent("pack.lua"), atomically: true, encoding: .utf8)
    try """
    local caliper = require "caliper"
    return caliper.scorecard { id = "slow", grain = "moderator", period = "day",
      kpis = { { id = "spin", value = function(g) while true do end end } } }
    """.write(to: root.appendingPathComponent("scorecards/slow.lua"), atomically: true, encoding: .utf8)
    // The KPI never returns: only the cancel or the run's own deadline (60 s here) can end the
    // run, and they end it with different errors, so the test needs no clock of its own.
    var options = CaliperEngine.Options(workers: 1)
    options.limits = RunLimits(timeout: .seconds(60))
    let engine = try await CaliperEngine(packs: [root], options: options)
    let passDone = Flag()
    let task = Task { () -> (any Error)? in
      do {
        _ = try await engine.scorecards(
          on: Self.source, ScorecardRequest(progress: { done, total in if done == total { passDone.set() } }))
        return nil
      } catch {
        return error
      }
    }
    // Cancel once the run is inside the KPIs (the decisions pass has finished).
    while !passDone.isSet { try await Task.sleep(for: .milliseconds(20)) }
    try await Task.sleep(for: .milliseconds(300))
    task.cancel()
    guard let error = await task.value else {
      Issue.record("a cancelled run returned a report")
      return
    }
    #expect(error is CancellationError, "stopped by \(error), not by the cancel")
  }
}

/// A flag set from any thread.
final class Flag: Sendable {
  private let value = Mutex(false)
  func set() { value.withLock { $0 = true } }
  var isSet: Bool { value.withLock { $0 } }
}
