import CaliperCore
import LuaKit

/// The `caliper` Lua module: what scripts get from `require "caliper"`.
///
/// It grows with the domain (scorecards, statistics, findings); every function is documented in
/// `docs/lua-api.md`.
public enum CaliperModule {
  /// The name scripts require.
  public static let name = "caliper"

  /// Offers the module to every environment of `state`.
  public static func install(in state: LuaState) throws {
    try StatsModule.registerTypes(in: state)
    state.registerModule(name) { state in
      let module = try state.newTable()
      try module.set("version", CaliperVersion.toolkit)
      try module.set("api_version", CaliperVersion.luaAPI)
      try module.set("stats", try StatsModule.make(in: state))
      return module
    }
  }
}
