import Foundation
import Testing

@testable import CaliperCore

@Suite("Whole file read")
struct WholeFileReadTests {
  private func temporaryFile(_ bytes: [UInt8]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-whole-\(UUID()).csv")
    try Data(bytes).write(to: url)
    return url
  }

  /// The bytes read on several threads are the file's, whatever its size against the shares.
  @Test(arguments: [0, 1, (1 << 20) - 1, (3 << 20) + 7])
  func readsEveryByteInPlace(size: Int) throws {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let url = try temporaryFile(bytes)
    defer { try? FileManager.default.removeItem(at: url) }
    for workers in [1, 2, 3, 5] {
      let data = try WholeFileRead.contents(of: url, name: "x.csv", workers: workers)
      #expect(data.count == size)
      #expect(data.elementsEqual(bytes), "workers \(workers)")
    }
  }

  /// Releasing a range gives back only its whole pages (they read as zeros after); the bytes
  /// around them, shared with neighbouring ranges, stay.
  @Test func releasingARangeFreesOnlyItsWholePages() throws {
    let bytes = (0..<(4 << 20)).map { UInt8(1 + $0 % 251) }
    let url = try temporaryFile(bytes)
    defer { try? FileManager.default.removeItem(at: url) }
    let data = try WholeFileRead.contents(of: url, name: "x.csv", workers: 2)
    let range = 1_000..<3_000_001
    WholeFileRead.release(range, of: data)
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let (first, end) = ((range.lowerBound + page - 1) / page * page, range.upperBound / page * page)
    data.withUnsafeBytes { read in
      #expect(read[..<first].elementsEqual(bytes[..<first]))
      #expect(read[first..<end].allSatisfy { $0 == 0 })
      #expect(read[end...].elementsEqual(bytes[end...]))
    }
  }

  @Test func aMissingFileOrADirectoryIsNamedInTheError() throws {
    let missing = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-missing-\(UUID()).csv")
    let error = #expect(throws: IngestionError.self) {
      try WholeFileRead.contents(of: missing, name: "qa_audits.csv", workers: 2)
    }
    #expect(error?.file == "qa_audits.csv")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-dir-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let notAFile = #expect(throws: IngestionError.self) {
      try WholeFileRead.contents(of: directory, name: "qa_audits.csv", workers: 2)
    }
    #expect(notAFile?.description.contains("directory") == true)
  }
}
