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

/// A pack folder: its manifest, its scripts and a content hash of them. Every file is listed
/// and read through ``PackFolder``, under the pack-file rule.
public struct Pack: Sendable {
  /// The folder, as given.
  public var root: URL
  /// The folder every file is read through (its real path, and the rule).
  public var folder: PackFolder
  /// The manifest.
  public var manifest: PackManifest
  /// Every `.lua` file of the pack, relative paths sorted (`scorecards/site_weekly.lua`).
  public var files: [String]
  /// SHA-256 over every `.lua` file's relative path and bytes, in path order.
  public var contentHash: String

  /// The memory cap of the state that runs `pack.lua`.
  static let manifestMemoryLimit = 16 << 20

  /// Reads the pack at `root`: its manifest (run in a sandbox), its file list and hash. A pack
  /// whose folder holds anything the pack-file rule refuses is refused whole.
  public init(root: URL) throws {
    guard var folder = try? PackFolder(root: root), folder.contains("pack.lua") else {
      throw PackError(location: root.path, problem: "not a pack: pack.lua is missing")
    }
    // The whole folder is checked before any of its code runs.
    let files = try folder.luaFiles()
    var script = PackScript(folder: folder, file: "pack.lua", displayName: "\(folder.packName)/pack.lua")
    script.modules = nil
    // A manifest is a few lines of data: it gets little memory and little time (an instruction
    // budget alone let a C loop in it hang, and it had no memory cap at all).
    let state = try LuaState(options: LuaOptions(memoryLimit: Self.manifestMemoryLimit))
    let limits = RunLimits(timeout: .seconds(5), instructions: 1_000_000)
    let manifest = try script.evaluate(in: state, limits: limits) { values in
      guard let first = values.first, case .table = first else {
        throw PackError(location: script.displayName, problem: "must return a table")
      }
      return try LuaDecoder(rootName: "pack").decode(PackManifest.self, from: first, in: state)
    }
    guard manifest.caliper == CaliperVersion.luaAPI else {
      throw PackError(
        location: "\(manifest.name)/pack.lua",
        problem: "targets caliper API \(manifest.caliper); this toolkit offers API \(CaliperVersion.luaAPI)")
    }
    try manifest.checkExtends()
    folder.packName = manifest.name
    // Every state made from this pack, now or after the files change, runs these bytes.
    try folder.keepContents(of: files)
    self.root = root
    self.folder = folder
    self.manifest = manifest
    self.files = files
    var hash = SHA256()
    for file in files {
      hash.update(data: Data(file.utf8))
      hash.update(data: Data([0]))
      hash.update(data: try folder.data(at: file))
      hash.update(data: Data([0]))
    }
    contentHash = ContentHash.hex(hash.finalize())
  }

  /// The scripts in one kind folder of the pack (`scorecards`, `alignment`), relative paths
  /// sorted; read each with `PackScript(pack:file:)` (or ``PackFolder/text(at:)``).
  public func scripts(in folder: String) -> [String] {
    files.filter { $0.hasPrefix(folder + "/") }
  }
}
