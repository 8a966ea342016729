import Foundation

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
