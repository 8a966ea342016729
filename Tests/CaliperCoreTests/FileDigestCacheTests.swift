import Foundation
import Testing

@testable import CaliperCore

/// Remembered file digests: reused only for the file as it was hashed, never wrong, never a
/// reason for a run to fail.
@Suite("File digest cache")
struct FileDigestCacheTests {
  /// A scratch folder with a data file and a cache folder; removed by `body`'s end.
  private func withScratch(_ body: (URL, FileDigestCache) throws -> Void) throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-digests-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var cache = FileDigestCache(directory: folder.appendingPathComponent("cache"))
    cache.settleSeconds = 0  // files written by the test are seconds old at most
    try body(folder, cache)
  }

  /// SHA-256 of the contents the tests write (by `sha256sum`).
  private static func sha256(_ text: String) -> String {
    [
      "decision_id\nd-1\n": "327eb6e04c3eab8979c38ed2062c198ff2d6c07fd314fd3d5a6a06caa4644500",
      "decision_id\nd-1\nd-2\n": "1dbd096b056bfca25835e95ceddaa62622ca67058e2de777bd231449802142e9",
      "decision_id\nd-9\nd-8\n": "9f3e71223e783feec85fc9a59bc917ad4265f291bc378ac5a305ada34df85cff",
    ][text] ?? "unknown"
  }

  /// The digest of `url` through `cache`, and whether it was computed (not remembered).
  private func digest(_ url: URL, _ cache: FileDigestCache) throws -> (digest: String, computed: Bool) {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    var computed = false
    let digest = try cache.digest(of: handle.fileDescriptor, path: url.path) { _ in
      computed = true
      let name = url.lastPathComponent
      return try CSVFolderSource(folder: url.deletingLastPathComponent()).contentHashes(of: [name])[name] ?? ""
    }
    return (digest, computed)
  }

  @Test func anUnchangedFileIsNotReadAgain() throws {
    try withScratch { folder, cache in
      let file = folder.appendingPathComponent("decisions.csv")
      try "decision_id\nd-1\n".write(to: file, atomically: false, encoding: .utf8)
      let first = try digest(file, cache)
      let second = try digest(file, cache)
      #expect(first.computed && !second.computed)
      #expect(first.digest == Self.sha256("decision_id\nd-1\n") && second.digest == first.digest)
      #expect(cache.load().count == 1)
    }
  }

  @Test func aChangedOrReplacedFileIsHashedAgain() throws {
    try withScratch { folder, cache in
      let file = folder.appendingPathComponent("decisions.csv")
      try "decision_id\nd-1\n".write(to: file, atomically: false, encoding: .utf8)
      _ = try digest(file, cache)
      // Appended in place: another size.
      let handle = try FileHandle(forWritingTo: file)
      try handle.seekToEnd()
      try handle.write(contentsOf: Data("d-2\n".utf8))
      try handle.close()
      let appended = try digest(file, cache)
      #expect(appended.computed && appended.digest == Self.sha256("decision_id\nd-1\nd-2\n"))
      // Replaced by another file of the same size: another inode.
      try "decision_id\nd-9\nd-8\n".write(to: file, atomically: true, encoding: .utf8)
      let replaced = try digest(file, cache)
      #expect(replaced.computed && replaced.digest == Self.sha256("decision_id\nd-9\nd-8\n"))
      #expect(!(try digest(file, cache).computed))
      #expect(cache.load().count == 1)  // one entry per path
    }
  }

  @Test func aFileWrittenJustNowIsNotRemembered() throws {
    try withScratch { folder, cache in
      var cache = cache
      cache.settleSeconds = 3_600  // as if written in the clock tick of its hashing
      let file = folder.appendingPathComponent("decisions.csv")
      try "decision_id\nd-1\n".write(to: file, atomically: false, encoding: .utf8)
      #expect(try digest(file, cache).computed)
      #expect(try digest(file, cache).computed)
      #expect(cache.load().isEmpty)
    }
  }

  @Test func settledMeansBothTimesOlderThanTheMargin() {
    let stamp = FileStamp(device: 1, inode: 2, size: 3, modifiedNanos: 10_000_000_000, changedNanos: 11_000_000_000)
    #expect(stamp.isSettled(at: 13_000_000_000, seconds: 2))
    #expect(!stamp.isSettled(at: 12_999_999_999, seconds: 2))  // ctime too recent
    var older = stamp
    older.changedNanos = 5_000_000_000
    older.modifiedNanos = 12_000_000_000  // mtime set ahead, ctime old: still not settled
    #expect(!older.isSettled(at: 13_000_000_000, seconds: 2))
  }

  @Test func aDamagedOrUnwritableCacheIsIgnored() throws {
    try withScratch { folder, cache in
      let file = folder.appendingPathComponent("decisions.csv")
      try "decision_id\nd-1\n".write(to: file, atomically: false, encoding: .utf8)
      // A damaged cache file: read as empty, then replaced by a good one.
      try FileManager.default.createDirectory(at: cache.directory, withIntermediateDirectories: true)
      let cacheFile = cache.directory.appendingPathComponent(FileDigestCache.fileName)
      try "caliper file digests 1\nnot\ta line\n\u{0}\u{1}".write(to: cacheFile, atomically: true, encoding: .utf8)
      #expect(try digest(file, cache).computed)
      #expect(!(try digest(file, cache).computed))
      // A cache file of another version is not read.
      try "caliper file digests 0\n".write(to: cacheFile, atomically: true, encoding: .utf8)
      #expect(try digest(file, cache) == (Self.sha256("decision_id\nd-1\n"), true))
      // A cache folder that is a file: digests still right, nothing remembered.
      let blocked = FileDigestCache(directory: file)
      #expect(try digest(file, blocked) == (Self.sha256("decision_id\nd-1\n"), true))
      #expect(try digest(file, blocked).computed)
    }
  }

  @Test func theFolderSourceGivesTheSameHashesThroughItsCache() throws {
    try withScratch { folder, cache in
      let data = folder.appendingPathComponent("data")
      _ = try SyntheticDataGenerator(seed: 5, decisions: 1_000, weeks: 1).write(to: data)
      let names = ["decisions.csv", "qa_audits.csv", "queues.csv"]
      let plain = try CSVFolderSource(folder: data).contentHashes(of: names)
      let cached = CSVFolderSource(folder: data, digestCache: cache)
      #expect(try cached.contentHashes(of: names) == plain)
      #expect(cache.load().count == 3)
      #expect(try cached.contentHashes(of: names) == plain)
      #expect(throws: IngestionError.self) { try cached.contentHashes(of: ["nowhere.csv"]) }
    }
  }

  @Test func theStandardCacheFollowsTheEnvironment() {
    #expect(FileDigestCache.standard(environment: ["CALIPER_CACHE_DIR": "/c", "HOME": "/h"])?.directory.path == "/c")
    #expect(
      FileDigestCache.standard(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"])?.directory.path == "/x/caliper")
    #expect(FileDigestCache.standard(environment: ["HOME": "/h"])?.directory.path == "/h/.cache/caliper")
    #expect(FileDigestCache.standard(environment: [:]) == nil)
  }
}
