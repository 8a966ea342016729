import CaliperCore
import Foundation
import LuaKit

/// One Lua state with the `caliper` module and every selected pack's scripts compiled: the
/// unit of the engine's pool (a run borrows one host per worker). Hosts are made once and
/// reused across runs, so nothing in them depends on a run's data. Findings that scripts emit
/// go to its ``FindingLog``, scoped by the script that runs.
final class ScriptHost {
  let state: LuaState
  let findings = FindingLog()
  /// Every scorecard the selected packs run, keyed by `pack/id` (``ScorecardDefinition/key``),
  /// in pack and declaration order.
  private(set) var scorecards: [ScorecardDefinition] = []
  /// Scorecard files that could not be loaded, reported as failed scorecards.
  private(set) var failures: [LoadFailure] = []
  /// Every alignment script the selected packs run, in pack and declaration order.
  private(set) var alignments: [AlignmentDefinition] = []
  /// Alignment files that could not be loaded, reported as failed scripts.
  private(set) var alignmentFailures: [LoadFailure] = []
  /// Every curriculum the selected packs run, in pack and declaration order.
  private(set) var curriculumDefinitions: [CurriculumDefinition] = []
  /// Curriculum files that could not be loaded, reported as failed curricula.
  private(set) var curriculumFailures: [LoadFailure] = []
  /// The curriculum whose rules are running (for `caliper.module_for`).
  let curricula = CurriculumContext()
  /// The table behind `caliper.host`, refilled when the engine's bindings change.
  private let hostRoot: LuaTable
  /// The version of the engine's bindings `hostRoot` holds.
  private var bindingsVersion: UInt64 = 0
  /// The memory cap the state was made with, restored after a run that set its own.
  private let defaultMemoryLimit: Int?

  init(packs: PackSet, memoryLimit: Int?) throws {
    state = try LuaState(
      options: LuaOptions(
        memoryLimit: memoryLimit, clock: FixedClock(instant: 0),
        output: { FileHandle.standardError.write(Data($0.utf8)) }))
    defaultMemoryLimit = memoryLimit
    hostRoot = try state.newTable()
    try CaliperModule.install(in: state, findings: findings, curricula: curricula, host: hostRoot)
    try GroupViewTypes.register(in: state)
    try CardView.register(in: state)
    try AlignmentViewTypes.register(in: state)
    try CurriculumViewTypes.register(in: state)
    let loader = DefinitionLoader<ScorecardKind>(state: state, packs: packs)
    let alignmentLoader = DefinitionLoader<AlignmentKind>(state: state, packs: packs)
    let curriculumLoader = DefinitionLoader<CurriculumKind>(state: state, packs: packs)
    for pack in packs.selected {
      let loaded = try loader.load(pack)
      scorecards += loaded.definitions
      failures += loaded.failures
      let aligned = try alignmentLoader.load(pack)
      alignments += aligned.definitions
      alignmentFailures += aligned.failures
      let taught = try curriculumLoader.load(pack)
      curriculumDefinitions += taught.definitions
      curriculumFailures += taught.failures
    }
  }

  /// A definition's parameters as the read-only table rules get as their second argument.
  func paramsView(_ params: [String: LuaValue]) throws -> LuaTable {
    let table = try state.newTable()
    for (key, value) in params.sorted(by: { $0.key < $1.key }) { try table.set(key, value) }
    return try state.readOnlyView(of: table, name: "params")
  }

  /// Every file that could not be loaded, of every script kind.
  var loadFailures: [LoadFailure] { failures + alignmentFailures + curriculumFailures }

  /// Readies the host for a run: `math.random` reseeded, so a run's numbers depend only on its
  /// seed and never on the runs before it; the host app's bindings as of now; the run's memory
  /// cap (the state's own when `memoryLimit` is nil).
  func prepare(seed: UInt64, bindings: (version: UInt64, bindings: HostBindings), memoryLimit: Int?) throws {
    // The run's cap first: what follows allocates under it, not under the previous run's.
    state.memoryLimit = memoryLimit ?? defaultMemoryLimit
    try state.seedRandom(Int64(bitPattern: seed))
    if bindings.version != bindingsVersion {
      try bindings.bindings.install(into: hostRoot, in: state)
      bindingsVersion = bindings.version
    }
  }
}
