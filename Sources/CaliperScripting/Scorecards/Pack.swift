import CaliperCore
import Crypto
import Foundation
import LuaKit

/// What `pack.lua` returns.
public struct PackManifest: Sendable, Codable, Equatable {
  /// The pack's name, unique among packs run together (`jp`, `apac-base`).
  public var name: String
  /// The pack's own version.
  public var version: String
  /// Markets the pack is for.
  public var markets: [String]?
  /// The `caliper` Lua API version it targets.
  public var caliper: Int
  /// What it is for.
  public var description: String?
  /// The pack it extends, by name.
  public var extends: String?
}

/// A pack folder: its manifest, its scripts and a content hash of them.
public struct Pack: Sendable {
  /// The folder.
  public var root: URL
  /// The manifest.
  public var manifest: PackManifest
  /// Scorecard scripts, relative paths sorted (`scorecards/site_weekly.lua`).
  public var scorecards: [String]
  /// SHA-256 over every `.lua` file's relative path and bytes, in path order.
  public var contentHash: String

  /// Reads the pack at `root`: its manifest (run in a sandbox), its file list and hash.
  public init(root: URL) throws {
    let manifestURL = root.appendingPathComponent("pack.lua")
    guard FileManager.default.fileExists(atPath: manifestURL.path) else {
      throw PackError(location: root.path, problem: "not a pack: pack.lua is missing")
    }
    let state = try LuaState()
    let source = try String(contentsOf: manifestURL, encoding: .utf8)
    let report = state.run(limits: RunLimits(instructions: 1_000_000)) { () throws -> PackManifest in
      let env = try state.makeEnvironment(moduleRoot: nil)
      let values = try state.load(source, name: "@\(root.lastPathComponent)/pack.lua", environment: env)
        .callReturningAll()
      guard let first = values.first, case .table = first else {
        throw PackError(location: "\(root.lastPathComponent)/pack.lua", problem: "must return a table")
      }
      return try LuaDecoder(rootName: "pack").decode(PackManifest.self, from: first, in: state)
    }
    let manifest: PackManifest
    do { manifest = try report.get() } catch let error as PackError { throw error } catch {
      throw PackError(location: "\(root.lastPathComponent)/pack.lua", problem: "\(error)")
    }
    guard manifest.caliper == CaliperVersion.luaAPI else {
      throw PackError(
        location: "\(manifest.name)/pack.lua",
        problem: "targets caliper API \(manifest.caliper); this toolkit offers API \(CaliperVersion.luaAPI)")
    }
    self.root = root
    self.manifest = manifest
    let files = Self.luaFiles(under: root)
    scorecards = files.filter { $0.hasPrefix("scorecards/") }
    var hash = SHA256()
    for file in files {
      hash.update(data: Data(file.utf8))
      hash.update(data: Data([0]))
      hash.update(data: try Data(contentsOf: root.appendingPathComponent(file)))
      hash.update(data: Data([0]))
    }
    contentHash = hash.finalize().map { String(format: "%02x", $0) }.joined()
  }

  /// Relative paths of every `.lua` file under `root`, sorted.
  static func luaFiles(under root: URL) -> [String] {
    let base = root.standardizedFileURL.path
    guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
    var files: [String] = []
    while let path = walker.nextObject() as? String {
      if path.hasSuffix(".lua") { files.append(path) }
    }
    return files.sorted()
  }
}

/// Packs to run and the bases they extend, resolved by name among the packs given and the
/// folders beside them.
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
      let candidate = pack.root.deletingLastPathComponent().appendingPathComponent(baseName)
      guard FileManager.default.fileExists(atPath: candidate.appendingPathComponent("pack.lua").path) else {
        throw PackError(
          location: "\(pack.manifest.name)/pack.lua",
          problem: "extends '\(baseName)', which is neither given with --pack nor a folder beside it")
      }
      let base = try Pack(root: candidate)
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

  /// `pack` and its bases, base first.
  func lineage(of pack: Pack) -> [Pack] {
    var chain = [pack]
    while let baseName = chain.first!.manifest.extends, let base = all[baseName] { chain.insert(base, at: 0) }
    return chain
  }
}
