import Foundation
import Testing

@testable import CaliperScripting

/// What the build-time check (`caliper-pack-check`, the `CaliperPackValidator` plugin) reports:
/// each script that does not compile or declare, at its file and line, once; nothing for packs
/// that load.
@Suite("Pack check")
struct PackCheckTests {
  @Test func problemsNameTheScriptsFileAndLineInTheCompilersForm() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-check-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = try scratchPack(
      "c", in: folder, folder: "scorecards",
      [
        "fine.lua": """
        local caliper = require "caliper"
        return caliper.scorecard { id = "fine", grain = "site", period = "week",
          kpis = { { id = "n", value = function(g) return g.decisions end } } }
        """,
        "syntax.lua": """
        local caliper = require "caliper"
        return caliper.scorecard { id = "syntax", grain = "site",
          kpis = { { id = "n", value = function(g) return g.decisions end end } } }
        """,
        "declared.lua": """
        local caliper = require "caliper"
        return caliper.scorecard { id = "declared", grain = "galaxy", period = "week",
          kpis = { { id = "n", value = function(g) return 1 end } } }
        """,
      ])
    let problems = PackCheck.problems(packs: [root])
    #expect(problems.count == 2, "\(problems)")
    let syntax = try #require(problems.first { $0.file?.lastPathComponent == "syntax.lua" })
    #expect(syntax.line == 3)
    #expect(syntax.description.hasPrefix(root.appendingPathComponent("scorecards/syntax.lua").path + ":3: error: "))
    let declared = try #require(problems.first { $0.file?.lastPathComponent == "declared.lua" })
    #expect(declared.message.contains("grain"), "\(declared.message)")
    #expect(declared.description.contains("declared.lua: error: ") || declared.line != nil)

    let extending = try scratchPack(
      "d", in: folder, folder: "scorecards", extends: "c",
      ["own.lua": "local caliper = require 'caliper'\nreturn caliper.scorecard {"])
    // The base's problems once, the extending pack's own at its file.
    let both = PackCheck.problems(packs: [root, extending])
    #expect(both.count == 3, "\(both)")
    #expect(both.contains { $0.file?.path == extending.appendingPathComponent("scorecards/own.lua").path })

    try "return {".write(to: root.appendingPathComponent("pack.lua"), atomically: true, encoding: .utf8)
    let manifest = PackCheck.problems(packs: [root])
    #expect(manifest.count == 1 && manifest[0].file?.lastPathComponent == "pack.lua", "\(manifest)")
    #expect(PackCheck.problems(packs: [ExamplePaths.pack("apac-base"), ExamplePaths.pack("jp")]).isEmpty)
  }
}
