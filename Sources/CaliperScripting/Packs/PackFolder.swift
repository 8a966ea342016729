import CaliperCore
import Foundation
import LuaKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A pack's folder: the one way anything lists or reads a pack's files (its manifest, the
/// scripts of every kind folder, tests, and what `require` loads).
///
/// The rule (docs/sandbox.md, "Pack files"): a pack reads only regular files inside its own
/// folder, reached without symbolic links. The folder's own path is resolved once (`realpath`);
/// below it, a symbolic link anywhere on a file's path is refused, whatever it points to, and so
/// is anything that is not a regular file (a directory named like a script, a FIFO, a device, a
/// socket). Each is refused by its type, from `lstat`, before it is opened, so no byte of a
/// refused file is ever read; the file is then opened without following links and checked again,
/// so it cannot be swapped in between. Errors name the pack, the file relative to the pack and
/// what is wrong, in words, and never quote a refused file's content.
///
/// New script kinds get the rule by listing with ``luaFiles(in:)`` (or `Pack.scripts(in:)`)
/// and reading with ``text(at:)`` (or `PackScript`).
public struct PackFolder: Sendable, LuaModuleSource {
  /// The folder's real path: symbolic links on the way to it are resolved once, here.
  public let root: URL
  /// The name errors give the pack: its manifest's name, or its folder's name until the
  /// manifest is read.
  public var packName: String
  /// The files as they were when the pack was read (``keepContents(of:)``): every later read
  /// of one of them, by a state made after the files changed on disk, gets the same bytes.
  private var kept: [String: Data] = [:]

  /// The folder at `root`, named `packName` in errors (its last path component by default).
  /// Throws when `root` is not an existing folder.
  public init(root: URL, packName: String? = nil) throws {
    let name = packName ?? root.lastPathComponent
    guard let real = realpath(root.path, nil) else {
      throw PackError(
        location: root.path, problem: "the pack folder cannot be opened: \(Self.errorText())", refusal: .missing)
    }
    defer { free(real) }
    let path = String(cString: real)
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
      throw PackError(location: root.path, problem: "is not a folder, so not a pack", refusal: .notRegularFile)
    }
    self.root = URL(fileURLWithPath: path, isDirectory: true)
    self.packName = name
  }

  /// Whether anything (of any type, links included) is at `path` inside the folder.
  public func contains(_ path: String) -> Bool {
    var info = stat()
    return lstat(root.appendingPathComponent(path).path, &info) == 0
  }

  /// The text of the pack file at `path` (relative, `/`-separated): UTF-8, read under the rule.
  public func text(at path: String) throws -> String {
    guard let text = String(data: try data(at: path), encoding: .utf8) else {
      throw refusal(path, .unreadable, "is not UTF-8 text")
    }
    return text
  }

  /// Reads `files` once and keeps their bytes: the pack's scripts stay the ones it was loaded
  /// with, whatever later happens on disk.
  public mutating func keepContents(of files: [String]) throws {
    var kept: [String: Data] = [:]
    for file in files { kept[file] = try data(at: file) }
    self.kept = kept
  }

  /// The bytes of the pack file at `path` (relative, `/`-separated): the kept copy when there is
  /// one, or read under the rule: each folder on the way and the file itself are checked with
  /// `lstat` and opened relative to the one before without following links, and the opened
  /// file is checked again.
  public func data(at path: String) throws -> Data {
    if let data = kept[path] { return data }
    let segments = try self.segments(of: path)
    var directory = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard directory >= 0 else {
      throw refusal(path, .unreadable, "the pack folder cannot be opened: \(Self.errorText())")
    }
    defer { close(directory) }
    for (index, segment) in segments.enumerated() {
      let shown = segments[...index].joined(separator: "/")
      var info = stat()
      guard fstatat(directory, segment, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
        if errno == ENOENT || errno == ENOTDIR { throw refusal(path, .missing, "there is no such file in the pack") }
        throw refusal(path, .unreadable, "cannot be read: \(Self.errorText())")
      }
      let isFile = index == segments.count - 1
      if info.st_mode & S_IFMT == S_IFLNK {
        let what = isFile ? "is a symbolic link" : "lies in '\(shown)', which is a symbolic link"
        throw refusal(path, .symbolicLink, "\(what); \(Self.rule)")
      }
      if isFile { return try read(segment, in: directory, checked: info, path: path) }
      guard info.st_mode & S_IFMT == S_IFDIR else {
        throw refusal(path, .missing, "there is no such file in the pack ('\(shown)' is not a folder)")
      }
      let next = openat(directory, segment, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      guard next >= 0 else {
        if errno == ELOOP || errno == ENOTDIR {
          throw refusal(path, .symbolicLink, "'\(shown)' was replaced while being opened; \(Self.rule)")
        }
        throw refusal(path, .unreadable, "cannot open '\(shown)': \(Self.errorText())")
      }
      close(directory)
      directory = next
    }
    throw refusal(path, .outsidePack, "is not a file path inside the pack")
  }

  /// `LuaModuleSource`: a module file's text, or `nil` when the pack has no such file; a file
  /// the rule refuses is an error saying why.
  public func moduleText(at path: String) throws -> String? {
    do { return try text(at: path) } catch let error as PackError where error.refusal == .missing { return nil }
  }

  /// Opens `name` in `directory` after `lstat` said `checked`: it must be a regular file, and
  /// still the same one once opened (without following links, never blocking on a FIFO).
  private func read(_ name: String, in directory: Int32, checked: stat, path: String) throws -> Data {
    if let kind = RegularFile.nonRegularKind(mode: checked.st_mode) {
      throw refusal(path, .notRegularFile, "is \(kind), not a regular file; \(Self.rule)")
    }
    guard checked.st_size <= Self.maximumFileBytes else { throw tooLarge(path, size: Int64(checked.st_size)) }
    let descriptor = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
    guard descriptor >= 0 else {
      if errno == ELOOP { throw refusal(path, .symbolicLink, "was replaced while being opened; \(Self.rule)") }
      throw refusal(path, .unreadable, "cannot be opened: \(Self.errorText())")
    }
    let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    var opened = stat()
    guard fstat(descriptor, &opened) == 0, RegularFile.nonRegularKind(mode: opened.st_mode) == nil,
      opened.st_dev == checked.st_dev, opened.st_ino == checked.st_ino
    else {
      throw refusal(path, .notRegularFile, "was replaced while being opened; \(Self.rule)")
    }
    guard opened.st_size <= Self.maximumFileBytes else { throw tooLarge(path, size: Int64(opened.st_size)) }
    // Read at most one byte past the bound, so a file that grows after the check is refused too.
    var data = Data()
    do {
      while data.count <= Self.maximumFileBytes {
        guard let chunk = try handle.read(upToCount: Self.maximumFileBytes + 1 - data.count), !chunk.isEmpty else {
          break
        }
        data.append(chunk)
      }
    } catch {
      throw refusal(path, .unreadable, "cannot be read: \(error.localizedDescription)")
    }
    guard data.count <= Self.maximumFileBytes else { throw tooLarge(path, size: nil) }
    return data
  }

  /// The refusal of a file over ``maximumFileBytes`` (of `size` bytes, when known).
  func tooLarge(_ path: String, size: Int64?) -> PackError {
    let actual = size.map { " (\($0) bytes)" } ?? ""
    return refusal(
      path, .tooLarge,
      "is larger than \(Self.maximumFileBytes >> 20) MiB, the most a pack file may hold\(actual)")
  }

  /// The segments of a relative path that names a place inside the folder.
  private func segments(of path: String) throws -> [String] {
    let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard !path.isEmpty, segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.contains("\0") })
    else {
      throw refusal(path, .outsidePack, "is not a file path inside the pack (no '..', '.', empty or absolute paths)")
    }
    return segments
  }

  /// An error naming this pack and `path`.
  func refusal(_ path: String, _ kind: PackRefusal, _ problem: String) -> PackError {
    PackError(location: "\(packName)/\(path)", problem: problem, refusal: kind)
  }

  /// The most bytes one pack file may hold: 4 MiB (checked by size before it is opened, and
  /// again while it is read).
  public static let maximumFileBytes = 4 << 20
  /// The most bytes all of a pack's `.lua` files may hold together: 64 MiB (every one is read to
  /// hash the pack).
  public static let maximumPackBytes = 64 << 20
  /// The most entries (files and folders, at every level) a pack folder may hold: 10,000.
  public static let maximumEntries = 10_000
  /// The deepest a folder inside a pack may lie below the pack's own: 32 levels.
  public static let maximumDepth = 32

  /// The rule, as errors state it.
  static let rule =
    "a pack reads only its own files: its folder may hold only regular files and folders, no symbolic links (docs/sandbox.md, Pack files)"

  /// The current `errno` in words.
  static func errorText() -> String { String(cString: strerror(errno)) }
}
