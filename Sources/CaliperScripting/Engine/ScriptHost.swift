import CaliperCore
import Foundation
import LuaKit

/// One Lua state with the `caliper` module and every selected pack's scorecards loaded: the
/// unit of the state pool (one host per worker core). Findings that scripts emit go to its
/// ``FindingLog``, scoped by the script that runs.
final class ScriptHost {
  let state: LuaState
  let findings = FindingLog()
  /// Every scorecard the selected packs run, keyed by `pack/id` (``ScorecardDefinition/key``),
  /// in pack and declaration order.
  private(set) var scorecards: [ScorecardDefinition] = []
  /// Scorecard files that could not be loaded, reported as failed scorecards.
  private(set) var failures: [LoadFailure] = []

  init(packs: PackSet, knownValues: KnownValues, seed: UInt64, memoryLimit: Int?) throws {
    state = try LuaState(
      options: LuaOptions(
        memoryLimit: memoryLimit, clock: FixedClock(instant: 0),
        output: { FileHandle.standardError.write(Data($0.utf8)) }))
    try state.seedRandom(Int64(bitPattern: seed))
    try CaliperModule.install(in: state, findings: findings)
    try GroupViewTypes.register(in: state)
    try CardView.register(in: state)
    let loader = DefinitionLoader<ScorecardKind>(state: state, packs: packs, known: knownValues)
    for pack in packs.selected {
      let loaded = try loader.load(pack)
      scorecards += loaded.definitions
      failures += loaded.failures
    }
  }
}
