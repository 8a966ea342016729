import Foundation
import LuaKit

/// The packs of one load and the pool of states compiled from them: what ``CaliperEngine``
/// swaps whole on a reload, so a run sees one set of packs from start to end.
struct PackGeneration: Sendable {
  let packs: PackSet
  let hosts: LuaResourcePool<ScriptHost>
  /// Which load made it (0 for the engine's first; each reload takes the next number).
  let sequence: UInt64

  /// Reads the packs at `roots` and compiles every state of the pool now (requests find them
  /// ready). A `strict` load, a reload's, fails with ``ReloadError`` when a manifest cannot be
  /// read or any script fails to load; otherwise such scripts are reported by every run.
  static func load(
    roots: [URL], options: CaliperEngine.Options, sequence: UInt64, strict: Bool = false
  ) async throws -> PackGeneration {
    let packs: PackSet
    do { packs = try PackSet(roots: roots) } catch {
      if strict { throw ReloadError(problems: ["\(error)"]) }
      throw error
    }
    let memoryLimit = options.memoryLimit
    // Options are a struct a caller may edit after init: a pool never smaller than one run.
    let size = max(options.poolSize, options.workers)
    let hosts = LuaResourcePool(capacity: size) { try ScriptHost(packs: packs, memoryLimit: memoryLimit) }
    let problems = try await hosts.withResources(size, threadName: "caliper-load") { hosts in
      hosts[0].loadFailures.map { "\($0.pack): \($0.message)" }
    }
    if strict, !problems.isEmpty { throw ReloadError(problems: problems) }
    return PackGeneration(packs: packs, hosts: hosts, sequence: sequence)
  }
}
