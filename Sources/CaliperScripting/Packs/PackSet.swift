import CaliperCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Packs to run and the bases they extend, resolved by name (never by path) among the packs
/// given and the folders beside them.
public struct PackSet: Sendable {
  /// Packs named on the command line, in order.
  public var selected: [Pack]
  /// Every pack involved (selected and bases), by name.
  public var all: [String: Pack]

  /// Loads `roots` and, recursively, the packs they extend.
  public init(roots: [URL]) throws {
    var all: [String: Pack] = [:]
    var selected: [Pack] = []
    for root in roots {
      let pack = try Pack(root: root)
      if let other = all[pack.manifest.name], other.root.standardizedFileURL != root.standardizedFileURL {
        throw PackError(location: root.path, problem: "two packs are named '\(pack.manifest.name)'")
      }
      all[pack.manifest.name] = pack
      selected.append(pack)
    }
    var pending = selected
    while let pack = pending.popLast() {
      guard let baseName = pack.manifest.extends, all[baseName] == nil else { continue }
      let base = try Self.base(named: baseName, besideFolderOf: pack)
      all[base.manifest.name] = base
      pending.append(base)
    }
    for pack in all.values {
      var seen: [String] = [pack.manifest.name]
      var current = pack
      while let baseName = current.manifest.extends, let base = all[baseName] {
        guard !seen.contains(baseName) else {
          throw PackError(
            location: "\(pack.manifest.name)/pack.lua",
            problem: "extends forms a cycle: \(seen.joined(separator: " → ")) → \(baseName)")
        }
        seen.append(baseName)
        current = base
      }
    }
    self.selected = selected
    self.all = all
  }

  /// The pack `name` that `pack` extends, from the folder of that name beside `pack`'s folder.
  /// The name was checked when the manifest was read (``PackManifest/checkExtends()``); the
  /// folder must be a real folder (not a symbolic link) and hold the pack of that name.
  static func base(named name: String, besideFolderOf pack: Pack) throws -> Pack {
    let location = "\(pack.manifest.name)/pack.lua"
    let candidate = pack.root.deletingLastPathComponent().appendingPathComponent(name, isDirectory: true)
    var info = stat()
    guard lstat(candidate.path, &info) == 0 else {
      throw PackError(
        location: location, problem: "extends '\(name)', which is neither given with --pack nor a folder beside it",
        refusal: .missing)
    }
    guard info.st_mode & S_IFMT == S_IFDIR else {
      let kind = RegularFile.nonRegularKind(mode: info.st_mode) ?? "a file"
      throw PackError(
        location: location,
        problem:
          "extends '\(name)', but '\(name)' beside it is \(kind), not a pack folder (\(PackFolder.rule)); give the base with --pack",
        refusal: info.st_mode & S_IFMT == S_IFLNK ? .symbolicLink : .notRegularFile)
    }
    let base = try Pack(root: candidate)
    guard base.manifest.name == name else {
      throw PackError(
        location: location,
        problem: "extends '\(name)', but the folder '\(name)' beside it holds the pack '\(base.manifest.name)'")
    }
    return base
  }

  /// `pack` and its bases, base first.
  func lineage(of pack: Pack) -> [Pack] {
    var chain = [pack]
    while let baseName = chain.first!.manifest.extends, let base = all[baseName] { chain.insert(base, at: 0) }
    return chain
  }
}
