import CaliperCore
import Foundation
import Testing

@testable import CaliperScripting

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A pack reads only its own files (docs/sandbox.md, "Pack files"): links, FIFOs, devices and
/// folders named like scripts are refused by type before anything is read, `extends` is a name
/// and never a path, and no error quotes a refused file.
@Suite("Pack confinement")
struct PackConfinementTests {
  /// A temporary folder holding `packs/t` (a valid pack with one scorecard), `packs/other` (a
  /// second pack) and `secret.txt` outside both, whose content is a unique marker.
  struct Sandbox {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-confine-\(UUID().uuidString)")
    let marker = "CALIPER-SECRET-\(UUID().uuidString)"
    var packs: URL { base.appendingPathComponent("packs") }
    var pack: URL { packs.appendingPathComponent("t") }
    var other: URL { packs.appendingPathComponent("other") }
    var secret: URL { base.appendingPathComponent("secret.txt") }

    init(manifest: String = "return { name = 't', version = '1', caliper = 1 }") throws {
      try write(manifest, to: "packs/t/pack.lua")
      try write(Self.card("fine"), to: "packs/t/scorecards/fine.lua")
      try write("return { name = 'other', version = '1', caliper = 1 }", to: "packs/other/pack.lua")
      try write(Self.card("stolen") + "\n-- \(marker)", to: "packs/other/scorecards/stolen.lua")
      try write("\(marker)\nsecond line \(marker)\n", to: "secret.txt")
    }

    /// Writes `text` at `path` under the base folder, creating folders.
    func write(_ text: String, to path: String) throws {
      let url = base.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Makes `path` (under the base folder) a symbolic link to `destination`.
    func link(_ path: String, to destination: String) throws {
      let url = base.appendingPathComponent(path)
      try? FileManager.default.removeItem(at: url)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: destination)
    }

    /// A scorecard declaration with id `id`.
    static func card(_ id: String) -> String {
      """
      local caliper = require "caliper"
      return caliper.scorecard {
        id = "\(id)", grain = "vendor", period = "month", min_n = 1,
        kpis = { { id = "n", value = function(g) return g.decisions end } },
      }
      """
    }

    func remove() { try? FileManager.default.removeItem(at: base) }
  }

  /// Loads `roots` (the sandbox's pack by default) and returns the error, which must be a
  /// ``PackError`` refused for `refusal`, whose text names `file` and never the secret marker.
  @discardableResult
  func expectRefusal(
    _ sandbox: Sandbox, _ refusal: PackRefusal, naming file: String, roots: [URL]? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> PackError {
    let error = #expect(throws: PackError.self, sourceLocation: sourceLocation) {
      _ = try PackSet(roots: roots ?? [sandbox.pack])
    }
    let found = try #require(error, sourceLocation: sourceLocation)
    #expect(found.refusal == refusal, "\(found)", sourceLocation: sourceLocation)
    #expect(found.description.contains(file), "\(found)", sourceLocation: sourceLocation)
    #expect(!found.description.contains(sandbox.marker), "\(found)", sourceLocation: sourceLocation)
    #expect(!found.description.contains("root:x:0:0"), "\(found)", sourceLocation: sourceLocation)
    return found
  }

  @Test func aScriptLinkedToASecretFileIsRefusedWithoutReadingIt() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    try sandbox.link("packs/t/scorecards/leak.lua", to: sandbox.secret.path)
    let error = try expectRefusal(sandbox, .symbolicLink, naming: "t/scorecards/leak.lua")
    #expect(error.problem.hasPrefix("is a symbolic link; a pack reads only its own files"))
  }

  @Test func scriptsLinkedToSystemFilesAreRefused() throws {
    for target in ["/etc/passwd", "/proc/self/environ", "/dev/zero"] {
      let sandbox = try Sandbox()
      defer { sandbox.remove() }
      try sandbox.link("packs/t/scorecards/leak.lua", to: target)
      try expectRefusal(sandbox, .symbolicLink, naming: "t/scorecards/leak.lua")
    }
  }

  @Test func aManifestLinkedToAnotherFileIsRefused() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    try sandbox.link("packs/t/pack.lua", to: "/etc/passwd")
    try expectRefusal(sandbox, .symbolicLink, naming: "t/pack.lua")
    try sandbox.link("packs/t/pack.lua", to: sandbox.secret.path)
    try expectRefusal(sandbox, .symbolicLink, naming: "t/pack.lua")
  }

  @Test func aLinkToAnotherPacksScriptIsRefusedAndItsCodeNeverRuns() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    try sandbox.link("packs/t/scorecards/stolen.lua", to: "../../other/scorecards/stolen.lua")
    try expectRefusal(sandbox, .symbolicLink, naming: "t/scorecards/stolen.lua")
    // A relative link inside the pack is refused as well: the rule is "no links", not "no links out".
    try sandbox.link("packs/t/scorecards/stolen.lua", to: "fine.lua")
    try expectRefusal(sandbox, .symbolicLink, naming: "t/scorecards/stolen.lua")
  }

  @Test func aLinkedKindFolderIsRefused() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    try sandbox.link("packs/t/alignment", to: sandbox.other.appendingPathComponent("scorecards").path)
    try expectRefusal(sandbox, .symbolicLink, naming: "t/alignment")
  }

  @Test func aFIFONamedLikeAScriptIsRefusedWithoutBlocking() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    let fifo = sandbox.pack.appendingPathComponent("scorecards/pipe.lua")
    #expect(mkfifo(fifo.path, 0o644) == 0)
    let error = try expectRefusal(sandbox, .notRegularFile, naming: "t/scorecards/pipe.lua")
    #expect(error.problem.contains("a FIFO (named pipe)"))
  }

  @Test func aFIFOAnywhereInThePackIsRefused() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    #expect(mkfifo(sandbox.pack.appendingPathComponent("notes").path, 0o644) == 0)
    try expectRefusal(sandbox, .notRegularFile, naming: "t/notes")
  }

  @Test func aFolderNamedLikeAScriptIsRefused() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    try FileManager.default.createDirectory(
      at: sandbox.pack.appendingPathComponent("scorecards/x.lua"), withIntermediateDirectories: true)
    let error = try expectRefusal(sandbox, .notRegularFile, naming: "t/scorecards/x.lua")
    #expect(error.problem.contains("a directory"))
  }

  @Test func extendsByPathIsRefusedNamingPackAndValue() throws {
    for value in ["../elsewhere/evilbase", "/abs/evilbase", "~/evilbase", ".hidden", "a\\b", "x/y", ".."] {
      let sandbox = try Sandbox(
        manifest: "return { name = 't', version = '1', caliper = 1, extends = [[\(value)]] }")
      defer { sandbox.remove() }
      // The base the path names exists and is a valid pack: it must still not be loaded.
      try sandbox.write(
        "return { name = 'evilbase', version = '1', caliper = 1 }", to: "elsewhere/evilbase/pack.lua")
      let error = try expectRefusal(sandbox, .extendsNotAName, naming: "t/pack.lua")
      #expect(error.problem.contains("'\(value)' is not a pack name"), "\(error)")
    }
  }

  @Test func aBaseBesideThePackIsFoundByNameOnly() throws {
    let sandbox = try Sandbox(manifest: "return { name = 't', version = '1', caliper = 1, extends = 'other' }")
    defer { sandbox.remove() }
    let set = try PackSet(roots: [sandbox.pack])
    #expect(Set(set.all.keys) == ["t", "other"])
    #expect(set.lineage(of: set.selected[0]).map(\.manifest.name) == ["other", "t"])

    // A base folder beside the pack that is a link is refused, even to a valid pack.
    try FileManager.default.moveItem(at: sandbox.other, to: sandbox.base.appendingPathComponent("other"))
    try sandbox.link("packs/other", to: sandbox.base.appendingPathComponent("other").path)
    try expectRefusal(sandbox, .symbolicLink, naming: "t/pack.lua")

    // A folder of that name holding a pack of another name is not that base.
    try FileManager.default.removeItem(at: sandbox.other)
    try sandbox.write("return { name = 'impostor', version = '1', caliper = 1 }", to: "packs/other/pack.lua")
    let error = #expect(throws: PackError.self) { _ = try PackSet(roots: [sandbox.pack]) }
    #expect(
      error?.description == "t/pack.lua: extends 'other', but the folder 'other' beside it holds the pack 'impostor'")
  }

  @Test func readsOutsideThePackOrThroughALinkedFolderAreRefused() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    let folder = try PackFolder(root: sandbox.pack, packName: "t")
    #expect(try folder.text(at: "scorecards/fine.lua").contains("\"fine\""))
    for path in [
      "../secret.txt", "../../secret.txt", "/etc/passwd", "scorecards/../pack.lua", "", "scorecards//fine.lua",
    ] {
      let error = #expect(throws: PackError.self) { _ = try folder.data(at: path) }
      #expect(error?.refusal == .outsidePack, "\(path)")
    }
    try sandbox.link("packs/t/lib", to: sandbox.base.path)
    let linked = #expect(throws: PackError.self) { _ = try folder.data(at: "lib/secret.txt") }
    #expect(linked?.refusal == .symbolicLink)
    #expect(linked?.description.hasPrefix("t/lib/secret.txt: lies in 'lib', which is a symbolic link") == true)
    #expect(linked?.description.contains(sandbox.marker) == false)
    #expect(mkfifo(sandbox.pack.appendingPathComponent("scorecards/late.lua").path, 0o644) == 0)
    let fifo = #expect(throws: PackError.self) { _ = try folder.text(at: "scorecards/late.lua") }
    #expect(fifo?.refusal == .notRegularFile)
    let missing = #expect(throws: PackError.self) { _ = try folder.data(at: "scorecards/none.lua") }
    #expect(missing?.refusal == .missing)
    #expect(try folder.moduleText(at: "scorecards/none.lua") == nil)
  }

  @Test func requireReadsUnderTheSameRule() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    try sandbox.write("return require 'leak'", to: "eval/main.lua")
    try sandbox.link("eval/leak.lua", to: sandbox.secret.path)
    let outcome = try ScriptEvaluator(output: { _ in }).evaluate(
      file: sandbox.base.appendingPathComponent("eval/main.lua"))
    let message = try #require(outcome.error).description
    #expect(outcome.exitCode == 1)
    #expect(message.contains("module 'leak' is refused: eval/leak.lua: is a symbolic link"), "\(message)")
    #expect(!message.contains(sandbox.marker))
  }

  @Test func requireByPathIsRefusedBeforeAnyFileIsRead() async throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    let evaluator = ScriptEvaluator(output: { _ in })
    let moduleRoot = sandbox.pack.appendingPathComponent("scorecards")
    for name in ["../secret", "../../secret.txt", "/etc/passwd", "..", ".hidden", "a..b", "lib/x", "a\\b"] {
      let outcome = try evaluator.evaluate(
        source: "return require [[\(name)]]", chunkName: "@main.lua", moduleRoot: moduleRoot)
      let message = try #require(outcome.error, "\(name)").description
      #expect(outcome.exitCode == 1)
      #expect(message.contains("require: invalid module name"), "\(name): \(message)")
      #expect(!message.contains(sandbox.marker))
    }
    // The same from a pack's scorecard: it fails, naming its line, and the others still run.
    try sandbox.write("local x = require '../secret'\n" + Sandbox.card("escape"), to: "packs/t/scorecards/escape.lua")
    let report = try await runScorecards(packs: [sandbox.pack])
    let escape = try #require(report.scorecards.first { $0.id == "escape" })
    #expect(escape.status == .failed)
    #expect(escape.error?.contains("t/scorecards/escape.lua:1: require: invalid module name '../secret'") == true)
    #expect(escape.error?.contains(sandbox.marker) == false)
    #expect(report.scorecards.first { $0.id == "fine" }?.status == .ok)
  }

  @Test func aModuleThatIsAFIFOIsRefusedWithoutBlocking() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    try sandbox.write("return require 'pipe'", to: "eval/main.lua")
    #expect(mkfifo(sandbox.base.appendingPathComponent("eval/pipe.lua").path, 0o644) == 0)
    let outcome = try ScriptEvaluator(output: { _ in }).evaluate(
      file: sandbox.base.appendingPathComponent("eval/main.lua"))
    let message = try #require(outcome.error).description
    #expect(message.contains("module 'pipe' is refused: eval/pipe.lua: is a FIFO (named pipe)"), "\(message)")
  }

  @Test func aScriptPastTheSizeBoundIsRefusedByItsSize() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    // A sparse file: its size is past the bound, and nothing of it is read.
    let big = sandbox.pack.appendingPathComponent("scorecards/big.lua")
    #expect(FileManager.default.createFile(atPath: big.path, contents: nil))
    #expect(truncate(big.path, off_t(PackFolder.maximumFileBytes + 1)) == 0)
    let error = try expectRefusal(sandbox, .tooLarge, naming: "t/scorecards/big.lua")
    #expect(error.problem.contains("larger than 4 MiB"), "\(error)")

    // A file that grows past the bound after the pack was listed is refused when read.
    #expect(truncate(big.path, 10) == 0)
    let folder = try PackFolder(root: sandbox.pack, packName: "t")
    #expect(try folder.luaFiles().contains("scorecards/big.lua"))
    #expect(truncate(big.path, off_t(PackFolder.maximumFileBytes) * 2) == 0)
    let late = #expect(throws: PackError.self) { _ = try folder.data(at: "scorecards/big.lua") }
    #expect(late?.refusal == .tooLarge)
    // Exactly at the bound is fine.
    #expect(truncate(big.path, off_t(PackFolder.maximumFileBytes)) == 0)
    #expect(try folder.data(at: "scorecards/big.lua").count == PackFolder.maximumFileBytes)
  }

  @Test func aPackPastItsEntryOrDepthBoundIsRefused() throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    var deep = "packs/t/notes"
    // notes is level 1, so notes/1/.../31 lies exactly maximumDepth (32) levels below the pack.
    for level in 1..<PackFolder.maximumDepth { deep += "/\(level)" }
    try FileManager.default.createDirectory(
      at: sandbox.base.appendingPathComponent(deep), withIntermediateDirectories: true)
    #expect(try PackSet(roots: [sandbox.pack]).selected.count == 1)
    try FileManager.default.createDirectory(
      at: sandbox.base.appendingPathComponent(deep + "/too-deep"), withIntermediateDirectories: true)
    let error = try expectRefusal(sandbox, .tooLarge, naming: "/too-deep")
    #expect(error.problem.contains("more than \(PackFolder.maximumDepth) folders deep"), "\(error)")
    try FileManager.default.removeItem(at: sandbox.pack.appendingPathComponent("notes"))

    let many = sandbox.pack.appendingPathComponent("data")
    try FileManager.default.createDirectory(at: many, withIntermediateDirectories: true)
    for index in 0..<PackFolder.maximumEntries {
      #expect(FileManager.default.createFile(atPath: many.appendingPathComponent("\(index)").path, contents: nil))
    }
    let crowded = try expectRefusal(sandbox, .tooLarge, naming: "t/data")
    #expect(crowded.problem.contains("past \(PackFolder.maximumEntries) files and folders"), "\(crowded)")
  }

  @Test func aSyntaxErrorQuotesOnlyItsOwnScript() async throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    try sandbox.write("return { id = 'broken' ", to: "packs/t/scorecards/broken.lua")
    let report = try await runScorecards(packs: [sandbox.pack])
    let broken = try #require(report.scorecards.first { $0.id == "broken" })
    #expect(broken.status == .failed)
    #expect(broken.error?.contains("t/scorecards/broken.lua:1:") == true, "\(broken.error ?? "")")
    #expect(broken.error?.contains(sandbox.marker) == false)
    #expect(report.scorecards.first { $0.id == "fine" }?.status == .ok)
  }

  @Test func theEngineRefusesALinkedScriptBeforeAnyRun() async throws {
    let sandbox = try Sandbox()
    defer { sandbox.remove() }
    try sandbox.link("packs/t/scorecards/leak.lua", to: sandbox.secret.path)
    let error = await #expect(throws: PackError.self) { _ = try await runScorecards(packs: [sandbox.pack]) }
    #expect(error?.refusal == .symbolicLink)
    #expect(error?.description.contains(sandbox.marker) == false)
  }
}
