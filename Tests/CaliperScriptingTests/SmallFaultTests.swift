import Foundation
import LuaKit
import Testing

@testable import CaliperScripting

/// Smaller faults found by the hostile review: each one fixed and kept fixed.
@Suite("Small faults")
struct SmallFaultTests {
  @Test func aCoroutineResumingItselfGetsFalseThenTheMessage() throws {
    let (outcome, printed) = try evaluateScript(
      """
      local co
      co = coroutine.create(function() print(coroutine.resume(co)) end)
      coroutine.resume(co)
      """, chunkName: "@co.lua")
    #expect(outcome.error == nil)
    #expect(printed.hasPrefix("false\tcannot resume non-suspended coroutine"), "\(printed)")
  }

  @Test func nonFiniteTargetsAndBandMinimaAreDeclarationErrors() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-small-\(UUID().uuidString)/t")
    defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("scorecards"), withIntermediateDirectories: true)
    try "return { name = 't', version = '1', caliper = 1 }".write(
      to: root.appendingPathComponent("pack.lua"), atomically: true, encoding: .utf8)
    for (file, extra, kpi) in [
      ("a.lua", "", "target = 1/0,"), ("b.lua", "bands = { { min = 0/0, label = 'x' }, { label = 'y' } },", ""),
    ] {
      try """
      local caliper = require "caliper"
      return caliper.scorecard { grain = "site", period = "week", \(extra)
        kpis = { { id = "n", \(kpi) value = function(g) return g.decisions end } } }
      """.write(to: root.appendingPathComponent("scorecards/\(file)"), atomically: true, encoding: .utf8)
    }
    let report = try await runScorecards(packs: [root])
    let errors = report.scorecards.compactMap(\.error)
    #expect(errors.contains("t/scorecards/a.lua: kpis[1].target: must be a finite number (got inf)"), "\(errors)")
    #expect(errors.contains { $0.hasPrefix("t/scorecards/b.lua: bands[1].min: must be a finite number") }, "\(errors)")
    #expect(throws: Never.self) { try JSONRenderer().render(report) }
  }

  @Test func terminalEscapesInScriptTextAreSpelledOut() {
    #expect(TerminalText.escaped("red \u{1B}[31mX\u{7}\r") == "red \\u{1B}[31mX\\u{7}\\u{D}")
    #expect(TerminalText.escaped("line\n\ttab") == "line\n\ttab")
    #expect(TerminalText.escaped("日本語") == "日本語")
  }

  @Test func findingsInARunawayLoopStopWithAnErrorInsteadOfFillingMemory() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-small-\(UUID().uuidString)/f")
    defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("scorecards"), withIntermediateDirectories: true)
    try "return { name = 'f', version = '1', caliper = 1 }".write(
      to: root.appendingPathComponent("pack.lua"), atomically: true, encoding: .utf8)
    try """
    local caliper = require "caliper"
    return caliper.scorecard { id = "flood", grain = "vendor", period = "month",
      kpis = { { id = "n", value = function(g) return g.decisions end } },
      findings = function(card)
        for i = 1, 1e9 do caliper.finding { subject = "s" .. i, message = "m" } end
      end }
    """.write(to: root.appendingPathComponent("scorecards/flood.lua"), atomically: true, encoding: .utf8)
    let report = try await runScorecards(packs: [root])
    let flood = try #require(report.scorecards.first)
    #expect(flood.status == .failed)
    #expect(flood.error?.contains("more than 10000 findings from f/flood") == true, "\(flood.error ?? "")")
    #expect(report.findings.isEmpty)
  }

  @Test func aManifestGetsLittleMemoryAndTime() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-small-\(UUID().uuidString)/m")
    defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try "local s = string.rep('x', 1 << 26) return { name = 'm', version = '1', caliper = 1 }".write(
      to: root.appendingPathComponent("pack.lua"), atomically: true, encoding: .utf8)
    let error = #expect(throws: PackError.self) { try Pack(root: root) }
    #expect(error?.location == "m/pack.lua")
    #expect(error?.problem.contains("memory") == true, "\(String(describing: error))")
  }
}
