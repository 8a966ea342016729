import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// SHA-256 digests of data files remembered by each file's identity and change time, so that a
/// file unchanged since a run hashed it is not read again (git's index and DVC keep file
/// hashes the same way). Hashing the data files was the largest cost outside the decisions
/// pass: 13% of a 10M-decision scorecard run's cycles, for a pack author who reruns scorecards
/// on the same folder after every edit.
///
/// A digest is reused only when the file's device, inode, size, modification time and status
/// change time (`ctime`, which every write sets to the current time and no program can set
/// back) are all as they were when it was hashed. A file whose times are less than
/// ``settleSeconds`` older than the start of its hashing is hashed but not remembered: a write
/// in the same clock tick would leave its times unchanged. Nor is one that changed while it
/// was read.
///
/// The cache is one small text file in ``directory``; one that cannot be read or written is
/// ignored (a run never fails for its cache), and a write replaces the file atomically, so
/// concurrent runs at worst hash a file again.
public struct FileDigestCache: Sendable {
  /// The folder of the cache file.
  public var directory: URL

  /// The cache file's name in ``directory``.
  public static let fileName = "file-digests-v1.tsv"

  /// How much older than the start of its hashing a file's times must be for its digest to be
  /// remembered (2 s: well above the clock tick of file times).
  public var settleSeconds: Int64 = 2

  /// Entries kept (the most recently hashed files).
  public static let capacity = 512

  /// A cache in `directory` (made when first written).
  public init(directory: URL) {
    self.directory = directory
  }

  /// The cache of the user running the program: `$CALIPER_CACHE_DIR`, or `caliper` in
  /// `$XDG_CACHE_HOME`, or `.cache/caliper` in `$HOME`; `nil` when none is set.
  public static func standard(environment: [String: String]) -> FileDigestCache? {
    if let folder = environment["CALIPER_CACHE_DIR"], !folder.isEmpty {
      return FileDigestCache(directory: URL(fileURLWithPath: folder))
    }
    if let folder = environment["XDG_CACHE_HOME"], !folder.isEmpty {
      return FileDigestCache(directory: URL(fileURLWithPath: folder).appendingPathComponent("caliper"))
    }
    if let home = environment["HOME"], !home.isEmpty {
      return FileDigestCache(directory: URL(fileURLWithPath: home).appendingPathComponent(".cache/caliper"))
    }
    return nil
  }

  /// The digest of the open file `descriptor` at `path`: the remembered one if the file is as
  /// it was, else `compute(descriptor)`'s, remembered when the file was settled and did not
  /// change while it was read.
  public func digest(
    of descriptor: Int32, path: String, compute: (Int32) throws -> String
  ) throws -> String {
    let startedAt = Self.now()
    guard let before = FileStamp(descriptor: descriptor) else { return try compute(descriptor) }
    let entries = load()
    if let known = entries.first(where: { $0.path == path && $0.stamp == before }) { return known.digest }
    let digest = try compute(descriptor)
    remember(
      digest, path: path, before: before, after: FileStamp(descriptor: descriptor), startedAt: startedAt, in: entries)
    return digest
  }

  /// The remembered digest of the file at `path`, when the file is as it was then; nothing is
  /// read but the file's status.
  public func remembered(path: String) -> String? {
    guard let stamp = FileStamp(path: path) else { return nil }
    return load().first { $0.path == path && $0.stamp == stamp }?.digest
  }

  /// Remembers `digest`, worked out elsewhere (the decisions pass hashes its file as it reads
  /// it), of the file at `path` whose stamp was `before` when its reading started at
  /// `startedAt` (``now()``) and `after` when it ended: only when the two are equal and the
  /// file had settled.
  func remember(_ digest: String, path: String, before: FileStamp?, after: FileStamp?, startedAt: Int64) {
    remember(digest, path: path, before: before, after: after, startedAt: startedAt, in: load())
  }

  private func remember(
    _ digest: String, path: String, before: FileStamp?, after: FileStamp?, startedAt: Int64, in entries: [Entry]
  ) {
    guard let before, let after, after == before, before.isSettled(at: startedAt, seconds: settleSeconds),
      !path.contains(where: \.isNewline), !path.contains("\t")
    else { return }
    var kept = entries.filter { $0.path != path }
    kept.append(Entry(path: path, stamp: before, digest: digest))
    save(kept.suffix(Self.capacity))
  }

  /// One remembered file.
  struct Entry: Equatable {
    var path: String
    var stamp: FileStamp
    var digest: String

    /// The entry of one line of the cache file, if it is well formed.
    init?(line: Substring) {
      let parts = line.split(separator: "\t", maxSplits: 6, omittingEmptySubsequences: false)
      guard parts.count == 7, parts[0].count == 64, parts[0].allSatisfy(\.isHexDigit),
        let device = UInt64(parts[1]), let inode = UInt64(parts[2]), let size = Int64(parts[3]),
        let modified = Int64(parts[4]), let changed = Int64(parts[5]), !parts[6].isEmpty
      else { return nil }
      self.init(
        path: String(parts[6]),
        stamp: FileStamp(device: device, inode: inode, size: size, modifiedNanos: modified, changedNanos: changed),
        digest: String(parts[0]))
    }

    init(path: String, stamp: FileStamp, digest: String) {
      self.path = path
      self.stamp = stamp
      self.digest = digest
    }

    /// The entry as a line of the cache file.
    var line: String {
      [
        digest, String(stamp.device), String(stamp.inode), String(stamp.size), String(stamp.modifiedNanos),
        String(stamp.changedNanos), path,
      ].joined(separator: "\t")
    }
  }

  private var file: URL { directory.appendingPathComponent(Self.fileName) }

  private static let header = "caliper file digests 1"

  /// The cache's entries (none when the file is missing, unreadable or of another version).
  func load() -> [Entry] {
    guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
    var lines = text.split(separator: "\n")
    guard lines.first == Substring(Self.header) else { return [] }
    lines.removeFirst()
    return lines.compactMap(Entry.init(line:))
  }

  /// Writes `entries` to a temporary file and renames it over the cache (errors ignored).
  private func save(_ entries: ArraySlice<Entry>) {
    let text = ([Self.header] + entries.map(\.line)).joined(separator: "\n") + "\n"
    let temporary = directory.appendingPathComponent(".\(Self.fileName).\(getpid()).\(UUID().uuidString)")
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try Data(text.utf8).write(to: temporary)
      guard rename(temporary.path, file.path) == 0 else {
        try? FileManager.default.removeItem(at: temporary)
        return
      }
    } catch {
      try? FileManager.default.removeItem(at: temporary)
    }
  }

  /// Nanoseconds since the epoch, on the clock file times are taken from.
  static func now() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
  }
}

/// What tells a file's content apart without reading it: its identity (device and inode),
/// size, and modification and status change times in nanoseconds.
struct FileStamp: Equatable {
  var device: UInt64
  var inode: UInt64
  var size: Int64
  var modifiedNanos: Int64
  var changedNanos: Int64

  init(device: UInt64, inode: UInt64, size: Int64, modifiedNanos: Int64, changedNanos: Int64) {
    self.device = device
    self.inode = inode
    self.size = size
    self.modifiedNanos = modifiedNanos
    self.changedNanos = changedNanos
  }

  /// The stamp of an open file, or `nil` when `fstat` fails.
  init?(descriptor: Int32) {
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return nil }
    self.init(info)
  }

  /// The stamp of the file at `path` (links followed), or `nil` when `stat` fails.
  init?(path: String) {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    self.init(info)
  }

  private init(_ info: stat) {
    #if canImport(Darwin)
      let modified = info.st_mtimespec
      let changed = info.st_ctimespec
    #else
      let modified = info.st_mtim
      let changed = info.st_ctim
    #endif
    self.init(
      device: UInt64(truncatingIfNeeded: info.st_dev), inode: UInt64(truncatingIfNeeded: info.st_ino),
      size: Int64(info.st_size),
      modifiedNanos: Int64(modified.tv_sec) * 1_000_000_000 + Int64(modified.tv_nsec),
      changedNanos: Int64(changed.tv_sec) * 1_000_000_000 + Int64(changed.tv_nsec))
  }

  /// Whether both times are at least `seconds` before `time` (nanoseconds since the epoch).
  func isSettled(at time: Int64, seconds: Int64) -> Bool {
    let limit = time - seconds * 1_000_000_000
    return modifiedNanos <= limit && changedNanos <= limit
  }
}
