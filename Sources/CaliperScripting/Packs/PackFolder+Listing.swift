import CaliperCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension PackFolder {
  /// Every `.lua` file of the pack, relative paths sorted (`pack.lua`, `scorecards/site.lua`).
  ///
  /// The whole folder is walked without following links, and it must hold only regular files and
  /// folders: a symbolic link anywhere in it, a FIFO, device or socket, or a folder named like a
  /// script (`x.lua`) is an error naming it, so a link cannot smuggle in another pack's script or
  /// a file from outside, not even one that is never read. The walk is bounded too: at most
  /// ``maximumEntries`` entries, ``maximumDepth`` levels of folders, ``maximumFileBytes`` per
  /// script and ``maximumPackBytes`` for all of them.
  public func luaFiles() throws -> [String] {
    var listing = Listing()
    try walk("", depth: 0, into: &listing)
    return listing.files.sorted()
  }

  /// The `.lua` files of one kind folder (`scorecards`, `tests`, `lib/x`), relative to the pack
  /// and sorted (`scorecards/site.lua`, including those in its subfolders); none when the pack
  /// has no such folder. The whole pack is checked as by ``luaFiles()``.
  public func luaFiles(in kind: String) throws -> [String] {
    try luaFiles().filter { $0.hasPrefix(kind + "/") }
  }

  /// What a walk has found so far.
  private struct Listing {
    var files: [String] = []
    var entries = 0
    var scriptBytes: Int64 = 0
  }

  /// Adds the `.lua` files under the folder `relative` ("" for the pack's own), `depth` levels
  /// below the pack's folder, to `listing`.
  private func walk(_ relative: String, depth: Int, into listing: inout Listing) throws {
    let folder = relative.isEmpty ? root : root.appendingPathComponent(relative)
    let names: [String]
    do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
      throw refusal(relative.isEmpty ? "." : relative, .unreadable, "cannot be listed: \(error.localizedDescription)")
    }
    listing.entries += names.count
    guard listing.entries <= Self.maximumEntries else {
      throw refusal(
        relative.isEmpty ? "." : relative, .tooLarge,
        "brings the pack past \(Self.maximumEntries) files and folders, the most a pack may hold")
    }
    for name in names.sorted() {
      let path = relative.isEmpty ? name : relative + "/" + name
      var info = stat()
      guard lstat(root.appendingPathComponent(path).path, &info) == 0 else {
        throw refusal(path, .unreadable, "cannot be read: \(Self.errorText())")
      }
      let isScript = name.hasSuffix(".lua")
      switch info.st_mode & S_IFMT {
      case S_IFREG:
        guard isScript else { continue }
        guard info.st_size <= Self.maximumFileBytes else { throw tooLarge(path, size: Int64(info.st_size)) }
        listing.scriptBytes += Int64(info.st_size)
        guard listing.scriptBytes <= Self.maximumPackBytes else {
          throw refusal(
            path, .tooLarge,
            "brings the pack's scripts past \(Self.maximumPackBytes >> 20) MiB together, the most a pack may hold")
        }
        listing.files.append(path)
      case S_IFDIR where !isScript:
        guard depth < Self.maximumDepth else {
          throw refusal(
            path, .tooLarge, "lies more than \(Self.maximumDepth) folders deep, the deepest a pack folder may go")
        }
        try walk(path, depth: depth + 1, into: &listing)
      case S_IFLNK:
        throw refusal(path, .symbolicLink, "is a symbolic link; \(Self.rule)")
      default:
        let kind = RegularFile.nonRegularKind(mode: info.st_mode) ?? "not a regular file"
        let named = isScript ? "named like a script but is \(kind)" : "is \(kind)"
        throw refusal(path, .notRegularFile, "\(named); \(Self.rule)")
      }
    }
  }
}
