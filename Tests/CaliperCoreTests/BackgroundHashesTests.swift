import Foundation
import Testing

@testable import CaliperCore

@Suite("Background hashes")
struct BackgroundHashesTests {
  private func folder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-hashes-\(UUID())")
    _ = try SyntheticDataGenerator(seed: 3, decisions: 2_000, weeks: 2).write(to: folder)
    return folder
  }

  @Test func theThreadsHashesAreTheSources() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let source = CSVFolderSource(folder: folder)
    let names = ["decisions.csv", "qa_audits.csv", "calibration.csv"]  // the last one not started early
    let hashes = BackgroundHashes(source: source, files: ["decisions.csv", "qa_audits.csv"])
    #expect(try hashes.hashes(of: names) == source.contentHashes(of: names))
    #expect(try hashes.hashes(of: names)["decisions.csv"]?.count == 64)
  }

  @Test func aFileThatCannotBeHashedThrowsTheSourcesError() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let hashes = BackgroundHashes(source: CSVFolderSource(folder: folder), files: ["nowhere.csv", "decisions.csv"])
    #expect(throws: IngestionError.self) { try hashes.hashes(of: ["decisions.csv", "nowhere.csv"]) }
    #expect(try hashes.hashes(of: ["decisions.csv"]).count == 1)
  }
}
