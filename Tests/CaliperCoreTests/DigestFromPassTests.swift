import Foundation
import Testing

@testable import CaliperCore

/// `decisions.csv` hashed by the decisions pass from its read buffers: the same SHA-256 as a
/// read of its own, whatever the blocks, workers and line ends; declined, and read by the
/// run's hashes instead, whenever the fast path does not read the whole file.
@Suite("Hash of decisions.csv from the pass")
struct DigestFromPassTests {
  private static let groupings = [Grouping(grain: .site, period: .week)]

  /// A generated folder (removed by the caller).
  private func folder(decisions: Int = 3_000) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-pass-hash-\(UUID())")
    _ = try SyntheticDataGenerator(seed: 11, decisions: decisions, weeks: 2).write(to: folder)
    return folder
  }

  /// Runs one aggregation of `source` with `hashes`' request; whether the fast path read it.
  @discardableResult
  private func aggregate(
    _ source: CSVFolderSource, _ hashes: BackgroundHashes, workers: Int = 2
  ) throws -> Bool {
    let request = AggregationRequest(groupings: Self.groupings, workers: workers, digest: hashes.digestFromPass)
    return try source.aggregate(request, reference: try source.referenceData()) { _ in NoSink() }.usedFastPath
  }

  /// The hash a read of its own gives (the path every other file takes).
  private func ownRead(_ folder: URL) throws -> String {
    try #require(CSVFolderSource(folder: folder).contentHashes(of: ["decisions.csv"])["decisions.csv"])
  }

  @Test(arguments: [64 << 10, 1 << 20, 4 << 20])
  func thePassDeliversTheHashOfEveryByteWhateverItsBlocks(blockSize: Int) throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for workers in [1, 2, 3] {
      var source = CSVFolderSource(folder: folder)
      source.blockSize = blockSize
      let hashes = BackgroundHashes(source: source, files: ["decisions.csv", "qa_audits.csv"])
      let request = try #require(hashes.digestFromPass)
      #expect(request.file == "decisions.csv")
      #expect(try aggregate(source, hashes, workers: workers))
      #expect(request.delivered == (try ownRead(folder)), "block \(blockSize), workers \(workers)")
      #expect(
        try hashes.hashes(of: ["decisions.csv", "qa_audits.csv"])
          == (try source.contentHashes(of: ["decisions.csv", "qa_audits.csv"])))
    }
  }

  /// A byte-order mark, CRLF line ends: the header's bytes are hashed as read, before the rows.
  @Test func theHeaderAndItsByteOrderMarkAreHashedToo() throws {
    let folder = try folder(decisions: 200)
    defer { try? FileManager.default.removeItem(at: folder) }
    let text =
      "\u{FEFF}decision_id,item_id,queue,market,vendor,site,moderator_id,enqueued_at,decided_at,handle_seconds,"
      + "label,ai_label,ai_confidence,ai_assisted,model_version\r\n"
      + "x-1,i-x1,jp-video,JP,Kaizen BPO,Tokyo-1,m-x,2026-06-10T08:00:00Z,2026-06-10T08:05:00Z,300,spam,spam,0.9,true,\r\n"
      + "x-2,i-x2,jp-video,JP,Kaizen BPO,Tokyo-1,m-x,2026-06-10T08:00:00Z,2026-06-10T08:05:00Z,12,spam,,,false,\r\n"
    try Data(text.utf8).write(to: folder.appendingPathComponent("decisions.csv"))
    let source = CSVFolderSource(folder: folder)
    let hashes = BackgroundHashes(source: source, files: ["decisions.csv"])
    #expect(try aggregate(source, hashes))
    // By sha256sum of the same bytes.
    #expect(hashes.digestFromPass?.delivered == "a56a0f36ac99cff36d2fd45b0f396ffc5267567512ad6e580849f6fc774bf97d")
  }

  /// A syntax error the fast path refuses: the exact reader takes over, the pass declines, and
  /// the run's hashes read the file themselves, with the same hash.
  @Test func whenTheExactReaderTakesOverTheHashesReadTheFile() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("decisions.csv")
    var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    var fields = lines[2_000].split(separator: ",", omittingEmptySubsequences: false)
    fields[4] = "Kaizen\"BPO"  // a quote inside an unquoted field
    lines[2_000] = fields.joined(separator: ",")
    try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: false, encoding: .utf8)
    let quarantine = folder.appendingPathComponent("rejects")
    let source = CSVFolderSource(folder: folder, policy: .quarantine(directory: quarantine))
    let hashes = BackgroundHashes(source: source, files: ["decisions.csv"])
    #expect(try !aggregate(source, hashes))
    #expect(hashes.digestFromPass?.delivered == nil)
    #expect(try hashes.hashes(of: ["decisions.csv"])["decisions.csv"] == (try ownRead(folder)))

    // Strict: the run stops at the row's error, and the hash is still the file's.
    let strict = CSVFolderSource(folder: folder)
    let strictHashes = BackgroundHashes(source: strict, files: ["decisions.csv"])
    #expect(throws: CSVSyntaxError.self) { try aggregate(strict, strictHashes) }
    #expect(strictHashes.digestFromPass?.delivered == nil)
    #expect(try strictHashes.hashes(of: ["decisions.csv"])["decisions.csv"] == (try ownRead(folder)))
  }

  /// A hash the pass worked out is remembered like one read for itself: the next run neither
  /// asks the pass nor reads the file.
  @Test func theHashThePassWorkedOutIsRemembered() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var cache = FileDigestCache(directory: folder.appendingPathComponent("cache"))
    cache.settleSeconds = 0  // the file was written just now
    let source = CSVFolderSource(folder: folder, digestCache: cache)
    let first = BackgroundHashes(source: source, files: ["decisions.csv"])
    #expect(first.digestFromPass != nil)
    try aggregate(source, first)
    let expected = try ownRead(folder)
    #expect(cache.remembered(path: folder.appendingPathComponent("decisions.csv").path) == expected)
    let second = BackgroundHashes(source: source, files: ["decisions.csv"])
    #expect(second.digestFromPass == nil)
    #expect(try second.hashes(of: ["decisions.csv"])["decisions.csv"] == expected)
  }

  /// Runs that never aggregate, or a header without a line end: the hashes read the file.
  @Test func withoutAPassOrAWholeReadTheHashesReadTheFile() throws {
    let folder = try folder(decisions: 200)
    defer { try? FileManager.default.removeItem(at: folder) }
    let source = CSVFolderSource(folder: folder)
    let unused = BackgroundHashes(source: source, files: ["decisions.csv"])
    #expect(try unused.hashes(of: ["decisions.csv"])["decisions.csv"] == (try ownRead(folder)))

    try Data("decision_id,item_id".utf8).write(to: folder.appendingPathComponent("decisions.csv"))
    let headerOnly = BackgroundHashes(source: source, files: ["decisions.csv"])
    _ = try? aggregate(source, headerOnly)
    #expect(headerOnly.digestFromPass?.delivered == nil)
    #expect(try headerOnly.hashes(of: ["decisions.csv"])["decisions.csv"] == (try ownRead(folder)))
  }
}
