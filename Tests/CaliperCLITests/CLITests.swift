import Foundation
import Testing

/// The `caliper` command line as users meet it: exit codes (0 ok, 1 bad data, pack or script,
/// 2 usage, 3 a limit), errors that name where and what, and every report format.
@Suite("caliper command line")
struct CLITests {
  static let examplePacks = ["apac-base", "jp", "kr", "id"].flatMap { ["--pack", "Examples/packs/\($0)"] }

  @Test func versionNamesToolkitAndAPI() throws {
    let result = try CLIRunner.run(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("caliper 0.") && result.stdout.contains("Lua API 1"))
  }

  @Test func usageErrorsExitTwoAndSayWhat() throws {
    let noPack = try CLIRunner.run(["scorecard", "--data", "Examples/data"])
    #expect(noPack.status == 2)
    #expect(noPack.stderr.contains("--pack"))
    let badFormat = try CLIRunner.run(
      ["scorecard", "--data", "Examples/data", "--pack", "Examples/packs/jp", "--format", "pdf"])
    #expect(badFormat.status == 2)
    #expect(badFormat.stderr.contains("--format pdf is not one of table, json, csv, html"))
    let notAFolder = try CLIRunner.run(["validate", "--data", "README.md"])
    #expect(notAFolder.status == 2)
    #expect(notAFolder.stderr.contains("--data README.md is neither a folder nor an SQLite file"))
    let unknown = try CLIRunner.run(["frobnicate"])
    #expect(unknown.status == 2)
  }

  @Test func anImportedSQLiteFileGivesTheGoldenReportButForItsHashes() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-sqlite-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("caliper.sqlite").path
    let imported = try CLIRunner.run(["import", "--data", "Examples/data", "--into", file])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("decisions.csv: 60,000 rows"))
    let again = try CLIRunner.run(["import", "--data", "Examples/data", "--into", file])
    #expect(again.status == 1 && again.stderr.contains("already exists"), "\(again.stderr)")
    let out = folder.appendingPathComponent("report.json")
    let result = try CLIRunner.run(
      ["scorecard", "--data", file] + Self.examplePacks + ["--format", "json", "--out", out.path])
    #expect(result.status == 0, "\(result.stderr)")
    let golden = CLIRunner.repository.appendingPathComponent("Tests/CaliperScriptingTests/Golden/example-report.json")
    let unhashed = { (text: String) in text.replacing(/"sha256" : "[0-9a-f]{64}"/, with: "") }
    #expect(
      unhashed(try String(contentsOf: out, encoding: .utf8))
        == unhashed(try String(contentsOf: golden, encoding: .utf8)))
    let validate = try CLIRunner.run(["validate", "--data", file])
    #expect(validate.status == 2 && validate.stderr.contains("checked by `caliper import`"), "\(validate.stderr)")
  }

  @Test func docsDescribeWhatAPackRunsInheritedPartsMarked() throws {
    let result = try CLIRunner.run(["docs", "--pack", "Examples/packs/jp"])
    #expect(result.status == 0, "\(result.stderr)")
    let page = result.stdout
    #expect(page.hasPrefix("# Pack `jp` 1.0.0"))
    for heading in ["## Scorecards", "## Alignment rules", "## Curricula"] {
      #expect(page.contains(heading), "\(heading)")
    }
    // JP's site card overrides the region's targets; the KPIs it does not declare come from the base.
    #expect(page.contains("| `qa_accuracy`") && page.contains("0.97"))
    #expect(page.contains("(from `apac-base`)"))
    #expect(page.contains("`HAR-JP-201`"))
    let bad = try CLIRunner.run(["docs", "--pack", "README.md"])
    #expect(bad.status == 1 && bad.stderr.contains("not a pack"), "\(bad.stderr)")
  }

  @Test func theJSONReportIsTheGoldenOneByteForByte() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try CLIRunner.run(
      ["scorecard", "--data", "Examples/data"] + Self.examplePacks + ["--format", "json", "--out", out.path])
    #expect(result.status == 0, "\(result.stderr)")
    let golden = CLIRunner.repository.appendingPathComponent("Tests/CaliperScriptingTests/Golden/example-report.json")
    #expect(try Data(contentsOf: out) == Data(contentsOf: golden))
  }

  @Test func dataFileHashesAreRememberedUnlessTurnedOff() throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cli-cache-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let cache = scratch.appendingPathComponent("cache")
    let arguments = ["scorecard", "--data", "Examples/data", "--pack", "Examples/packs/jp", "--format", "json"]
    let first = try CLIRunner.run(arguments, environment: ["CALIPER_CACHE_DIR": cache.path])
    #expect(first.status == 0, "\(first.stderr)")
    let file = cache.appendingPathComponent("file-digests-v1.tsv")
    let text = try String(contentsOf: file, encoding: .utf8)
    let policies = try #require(text.split(separator: "\n").first { $0.hasSuffix("/Examples/data/policies.csv") })
    let digest = String(policies.prefix(64))
    #expect(first.stdout.contains(digest))
    // The remembered digest is what the next run reports (here a planted one, to tell).
    let planted = String(repeating: "0", count: 64)
    try text.replacingOccurrences(of: digest, with: planted).write(to: file, atomically: true, encoding: .utf8)
    let second = try CLIRunner.run(arguments, environment: ["CALIPER_CACHE_DIR": cache.path])
    #expect(second.stdout.contains(planted) && !second.stdout.contains(digest))
    // --no-hash-cache hashes the file and neither reads nor writes the cache.
    let off = try CLIRunner.run(arguments + ["--no-hash-cache"], environment: ["CALIPER_CACHE_DIR": cache.path])
    #expect(off.stdout.contains(digest) && !off.stdout.contains(planted))
    let elsewhere = scratch.appendingPathComponent("unused")
    _ = try CLIRunner.run(arguments + ["--no-hash-cache"], environment: ["CALIPER_CACHE_DIR": elsewhere.path])
    #expect(!FileManager.default.fileExists(atPath: elsewhere.path))
  }

  @Test func everyFormatPrintsToStandardOutput() throws {
    for (format, marker) in [("table", "== Findings ("), ("csv", "scorecard,pack,grain"), ("html", "<!DOCTYPE html>")] {
      let result = try CLIRunner.run(
        ["scorecard", "--data", "Examples/data", "--pack", "Examples/packs/jp", "--format", format])
      #expect(result.status == 0, "\(format): \(result.stderr)")
      #expect(result.stdout.contains(marker), "\(format)")
    }
  }

  @Test func aMissingPackExitsOneNamingIt() throws {
    let result = try CLIRunner.run(["scorecard", "--data", "Examples/data", "--pack", "Examples/no-such-pack"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("no-such-pack: not a pack: pack.lua is missing"))
  }

  @Test func aPackWithALinkedScriptExitsOneNamingItAndNeverItsContent() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-pack-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let pack = folder.appendingPathComponent("t")
    try FileManager.default.createDirectory(
      at: pack.appendingPathComponent("scorecards"), withIntermediateDirectories: true)
    try "return { name = 't', version = '1', caliper = 1 }".write(
      to: pack.appendingPathComponent("pack.lua"), atomically: true, encoding: .utf8)
    let marker = "CALIPER-SECRET-\(UUID().uuidString)"
    let secret = folder.appendingPathComponent("secret.txt")
    try marker.write(to: secret, atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      at: pack.appendingPathComponent("scorecards/leak.lua"), withDestinationURL: secret)
    let result = try CLIRunner.run(["scorecard", "--data", "Examples/data", "--pack", pack.path])
    #expect(result.exited)
    #expect(result.status == 1)
    #expect(result.stderr.contains("t/scorecards/leak.lua: is a symbolic link"), "\(result.stderr)")
    #expect(!result.stderr.contains(marker) && !result.stdout.contains(marker))
  }

  @Test func aBadRowExitsOneWithFileLineAndColumn() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-data-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(at: CLIRunner.repository.appendingPathComponent("Examples/data"), to: folder)
    let decisions = folder.appendingPathComponent("decisions.csv")
    var text = try String(contentsOf: decisions, encoding: .utf8)
    text +=
      "d-bad,i-bad,kr-video,KR,Han River Ops,Incheon-2,m-incheon2-8,2026-06-14T04:22:57Z,yesterday,1,benign,,,false,\n"
    try text.write(to: decisions, atomically: true, encoding: .utf8)
    let result = try CLIRunner.run(["validate", "--data", folder.path])
    #expect(result.status == 1)
    #expect(result.stderr.contains("decisions.csv:60002:"), "\(result.stderr)")
    #expect(result.stderr.contains("decided_at"))
  }

  @Test func evalExitsOneOnAScriptErrorAndThreeOnALimit() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-eval-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let failing = folder.appendingPathComponent("fails.lua")
    try "local x = 1\nerror('boom')\n".write(to: failing, atomically: true, encoding: .utf8)
    let failed = try CLIRunner.run(["eval", failing.path])
    #expect(failed.status == 1)
    #expect(failed.stderr.contains("fails.lua:2: boom"))
    let looping = folder.appendingPathComponent("loops.lua")
    try "while true do end\n".write(to: looping, atomically: true, encoding: .utf8)
    let stopped = try CLIRunner.run(["eval", looping.path, "--timeout", "0.3"])
    #expect(stopped.status == 3)
    #expect(stopped.stderr.contains("stopped"))
  }

  @Test func packTestsPrintTheirTally() throws {
    let result = try CLIRunner.run(["test"] + Self.examplePacks)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains(" passed, 0 failed"))
  }
}

@Suite("caliper command line, limits and hostile text")
struct CLILimitTests {
  @Test func limitsThatCannotBeMetAreUsageErrorsNotCrashes() throws {
    for arguments in [
      ["scorecard", "--data", "Examples/data", "--pack", "Examples/packs/jp", "--timeout", "0"],
      ["scorecard", "--data", "Examples/data", "--pack", "Examples/packs/jp", "--memory-limit", "inf"],
      ["eval", "README.md", "--timeout", "inf"],
      ["eval", "README.md", "--memory-limit", "1e300"],
    ] {
      let result = try CLIRunner.run(arguments)
      #expect(result.status == 2, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains("must lie in"), "\(arguments): \(result.stderr)")
    }
  }

  @Test func aLoopingCloseHandlerEndsTheRunWithTheLimitsExitCode() throws {
    let script = FileManager.default.temporaryDirectory.appendingPathComponent("cli-close-\(UUID().uuidString).lua")
    defer { try? FileManager.default.removeItem(at: script) }
    try """
    local co = coroutine.create(function()
      local x <close> = setmetatable({}, { __close = function() while true do end end })
      coroutine.yield()
    end)
    coroutine.resume(co) print(coroutine.close(co))
    """.write(to: script, atomically: true, encoding: .utf8)
    for limit in [["--timeout", "0.3"], ["--instruction-limit", "1000000"]] {
      let result = try CLIRunner.run(["eval", script.path] + limit)
      #expect(result.status == 3, "\(limit): \(result.stderr)")
      #expect(result.stderr.contains("stopped:"), "\(limit): \(result.stderr)")
      #expect(result.stdout.isEmpty, "\(limit): \(result.stdout)")
    }
  }

  @Test func aScriptCannotSendTerminalEscapesThroughEval() throws {
    let script = FileManager.default.temporaryDirectory.appendingPathComponent("cli-escape-\(UUID().uuidString).lua")
    defer { try? FileManager.default.removeItem(at: script) }
    try "print('\\27[2J\\27[31mred') error('\\27]0;title\\7')".write(to: script, atomically: true, encoding: .utf8)
    let result = try CLIRunner.run(["eval", script.path])
    #expect(result.status == 1)
    #expect(!result.stdout.contains("\u{1B}") && !result.stderr.contains("\u{1B}"))
    #expect(result.stdout.contains("\\u{1B}[2J"))
  }

  @Test func alignRunsThePacksRulesInEveryFormat() throws {
    let table = try CLIRunner.run(["align", "--data", "Examples/data", "--pack", "Examples/packs/apac-base"])
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains("[apac-base/go_live]") && table.stdout.contains("vn-ads"))
    #expect(table.stdout.contains("Calibration sessions"))
    for (format, marker) in [("json", "\"alignment\""), ("csv", "rule"), ("html", "<!DOCTYPE html>")] {
      let result = try CLIRunner.run(
        ["align", "--data", "Examples/data", "--pack", "Examples/packs/apac-base", "--format", format])
      #expect(result.status == 0, "\(format): \(result.stderr)")
      #expect(result.stdout.contains(marker), "\(format)")
    }
    let badDate = try CLIRunner.run(
      ["align", "--data", "Examples/data", "--pack", "Examples/packs/apac-base", "--as-of", "2026-13-40"])
    #expect(badDate.status == 2)
    #expect(badDate.stderr.contains("--as-of"), "\(badDate.stderr)")
    let unknownSession = try CLIRunner.run(
      ["align", "--data", "Examples/data", "--pack", "Examples/packs/apac-base", "--session", "no-such-session"])
    #expect(unknownSession.status != 0)
    #expect(unknownSession.stderr.contains("no-such-session"), "\(unknownSession.stderr)")
  }
}
