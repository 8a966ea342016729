import CaliperCore
import CaliperSQLite
import Foundation
import Testing

@testable import CaliperScripting

/// The data contract as an SQLite file: the example packs give the same reports on the file as
/// on the folder it was imported from, appended days equal a whole import, and bad rows stop
/// the import naming where, writing nothing.
@Suite("SQLite data source")
struct SQLiteSourceTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let data = root.appendingPathComponent("Examples/data")
  static let packs = ["apac-base", "jp", "kr", "id"].map { root.appendingPathComponent("Examples/packs/\($0)") }

  static func scratch() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-sqlite-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// A report's JSON without the data hashes (a database's hash is of its tables, a folder's of
  /// its files).
  static func comparable(_ report: Report) throws -> String {
    String(decoding: try report.json(), as: UTF8.self)
      .replacing(/"sha256" : "[0-9a-f]{64}"/, with: "\"sha256\" : \"…\"")
  }

  /// Every kind of run of the example packs on `source`.
  static func reports(_ engine: CaliperEngine, on source: some DecisionSource) async throws -> [String] {
    [
      try comparable(try await engine.scorecards(on: source)),
      try comparable(try await engine.alignment(on: source)),
      try comparable(try await engine.curricula(on: source, CurriculumRequest(effect: true))),
    ]
  }

  @Test func theExamplePacksGiveTheFoldersReportsOnTheImportedFile() async throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("caliper.sqlite")
    let tallies = try SQLiteImporter(folder: Self.data, into: file).run()
    #expect(tallies.first { $0.file == "decisions.csv" }?.rowsAccepted == 60_000)
    let engine = try await CaliperEngine(packs: Self.packs, options: CaliperEngine.Options(workers: 2))
    let statesMade = engine.statesMade
    let fromFolder = try await Self.reports(engine, on: CSVFolderSource(folder: Self.data))
    let fromFile = try await Self.reports(engine, on: try SQLiteSource(file: file))
    // Decisions read in pages that do not divide the rows (one read transaction each).
    var paged = try SQLiteSource(file: file)
    paged.decisionsPerRead = 7_001
    let fromPages = try await Self.reports(engine, on: paged)
    for (kind, (expected, actual)) in zip(["scorecards", "alignment", "curricula"], zip(fromFolder, fromFile)) {
      #expect(actual == expected, "\(kind) differ")
      #expect(actual.count > 1_000)
    }
    #expect(fromPages == fromFile)
    // A source that makes one sink for two workers: the run gives both states back all the same.
    #expect(engine.statesMade == statesMade)
    // The hashes name their source: the file's differ from the folder's.
    let hashes = try SQLiteSource(file: file).contentHashes(of: ["decisions.csv"])
    let folderHashes = try CSVFolderSource(folder: Self.data).contentHashes(of: ["decisions.csv"])
    #expect(hashes["decisions.csv"]?.count == 64 && hashes != folderHashes)
  }

  @Test func appendingNewDaysGivesTheReportOfTheWholeFolder() async throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    // Two folders: decisions before 2026-06-29 with their audits and every other file, then
    // the later decisions and their audits with the snapshots (policies, queues, moderators).
    let (first, later) = (folder.appendingPathComponent("first"), folder.appendingPathComponent("later"))
    for part in [first, later] { try FileManager.default.createDirectory(at: part, withIntermediateDirectories: true) }
    for name in try FileManager.default.contentsOfDirectory(atPath: Self.data.path) where name.hasSuffix(".csv") {
      let source = Self.data.appendingPathComponent(name)
      try FileManager.default.copyItem(at: source, to: first.appendingPathComponent(name))
      if ["policies.csv", "queues.csv", "moderators.csv"].contains(name) {
        try FileManager.default.copyItem(at: source, to: later.appendingPathComponent(name))
      }
    }
    func split(_ name: String, later isLater: (Substring) -> Bool) throws {
      let lines = try String(contentsOf: Self.data.appendingPathComponent(name), encoding: .utf8)
        .split(separator: "\n")
      let rows = lines.dropFirst()
      try ([String(lines[0])] + rows.filter { !isLater($0) }.map(String.init)).joined(separator: "\n").appending("\n")
        .write(to: first.appendingPathComponent(name), atomically: true, encoding: .utf8)
      try ([String(lines[0])] + rows.filter(isLater).map(String.init)).joined(separator: "\n").appending("\n")
        .write(to: later.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    var laterDecisions = Set<Substring>()
    try split("decisions.csv") { row in
      let fields = row.split(separator: ",", omittingEmptySubsequences: false)
      guard fields[8] >= "2026-06-29" else { return false }
      laterDecisions.insert(fields[0])
      return true
    }
    try split("qa_audits.csv") { row in
      laterDecisions.contains(row.split(separator: ",", omittingEmptySubsequences: false)[1])
    }
    #expect(laterDecisions.count > 1_000)
    let file = folder.appendingPathComponent("history.sqlite")
    try SQLiteImporter(folder: first, into: file).run()
    let appended = try SQLiteImporter(folder: later, into: file, append: true).run()
    #expect(appended.first { $0.file == "decisions.csv" }?.rowsAccepted == laterDecisions.count)
    let engine = try await CaliperEngine(packs: Self.packs, options: CaliperEngine.Options(workers: 2))
    let whole = try Self.comparable(try await engine.scorecards(on: CSVFolderSource(folder: Self.data)))
    let history = try Self.comparable(try await engine.scorecards(on: try SQLiteSource(file: file)))
    #expect(history == whole)
    // Appending to a file that is not there, or importing over one that is, is refused.
    #expect(throws: IngestionError.self) { try SQLiteImporter(folder: first, into: file).run() }
    #expect(throws: IngestionError.self) {
      try SQLiteImporter(folder: later, into: folder.appendingPathComponent("none.sqlite"), append: true).run()
    }
  }

  @Test func aBadRowStopsTheImportNamingFileLineAndColumnAndWritesNothing() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let copy = folder.appendingPathComponent("data")
    try FileManager.default.copyItem(at: Self.data, to: copy)
    let decisions = copy.appendingPathComponent("decisions.csv")
    var lines = try String(contentsOf: decisions, encoding: .utf8).split(separator: "\n").map(String.init)
    var fields = lines[500].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    fields[9] = "fast"
    lines[500] = fields.joined(separator: ",")
    try (lines.joined(separator: "\n") + "\n").write(to: decisions, atomically: true, encoding: .utf8)
    let file = folder.appendingPathComponent("bad.sqlite")
    do {
      try SQLiteImporter(folder: copy, into: file).run()
      Issue.record("a bad row was imported")
    } catch let error as IngestionError {
      #expect(error.file == "decisions.csv" && error.line == 501 && error.column == 10, "\(error)")
      #expect(error.got == "fast")
    }
    #expect(!FileManager.default.fileExists(atPath: file.path))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["data"])
  }

  @Test func aFileThatIsNotCaliperDataIsAClearError() throws {
    let folder = try Self.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let junk = folder.appendingPathComponent("junk.sqlite")
    try "not a database".write(to: junk, atomically: true, encoding: .utf8)
    #expect(throws: IngestionError.self) { try SQLiteSource(file: junk) }
    let empty = folder.appendingPathComponent("empty.sqlite")
    try SQLiteImporter(folder: Self.data, into: empty).run()
    let source = try SQLiteSource(file: empty)
    #expect(try source.records(QAAudit.self)?.records.count == 9_350)
    #expect(throws: IngestionError.self) { try SQLiteSource(file: folder.appendingPathComponent("missing.sqlite")) }
  }
}
