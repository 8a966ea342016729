import CaliperCore
import LuaKit

/// The `caliper` Lua module: what scripts get from `require "caliper"`.
///
/// Every function is documented in `docs/lua-api.md`.
public enum CaliperModule {
  /// The name scripts require.
  public static let name = "caliper"

  /// Offers the module to every environment of `state` (findings go nowhere: `caliper eval`).
  public static func install(in state: LuaState) throws {
    try install(in: state, findings: FindingLog(), curricula: CurriculumContext(), host: state.newTable())
  }

  /// Offers the module, with findings collected in `findings`, `caliper.module_for`
  /// answering from the curriculum `curricula` holds while its rules run, and `caliper.host` a
  /// read-only view of `host` (the host app's bindings, ``HostBindings``).
  static func install(in state: LuaState, findings: FindingLog, curricula: CurriculumContext, host: LuaTable) throws {
    try StatsModule.registerTypes(in: state)
    let hostView = try state.readOnlyView(of: host, name: "caliper.host")
    // Made once per state and shared by its environments: each `require` gets a read-only view
    // of it (and every table in it is a read-only view too), so no script can change what another
    // sees. A state runs many scripts (13 environments a worker for the four example packs):
    // a module each was 661 Swift functions a state, past the 256 with a trampoline of their own.
    var shared: LuaTable?
    state.registerModule(name) { state in
      if let shared { return shared }
      let module = try makeModule(in: state, findings: findings, curricula: curricula, host: hostView)
      shared = module
      return module
    }
  }

  /// Builds the module's table: its functions and its read-only tables of functions.
  private static func makeModule(
    in state: LuaState, findings: FindingLog, curricula: CurriculumContext, host hostView: LuaTable
  ) throws -> LuaTable {
    let module = try state.newTable()
    try module.set("version", CaliperVersion.toolkit)
    try module.set("api_version", CaliperVersion.luaAPI)
    try module.set("stats", try StatsModule.make(in: state))
    try module.set("format", try FormatFunctions.make(in: state))
    try FindingFunctions.add(to: module, in: state, log: findings)
    try ScorecardFunctions.add(to: module, in: state, findings: findings)
    try curricula.install(in: module, state: state)
    try module.set("host", hostView)
    return module
  }
}
