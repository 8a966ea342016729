import CaliperCore
import LuaKit

/// The curriculum whose rules are running on a host, for `caliper.module_for(label)`: set by
/// the evaluator around each curriculum's rules, `nil` otherwise (one per host, as the host's
/// ``FindingLog`` is).
final class CurriculumContext {
  var catalog: ModuleCatalog?

  /// Adds `caliper.module_for` to the module.
  func install(in module: LuaTable, state: LuaState) throws {
    try module.set(
      "module_for",
      try state.function(named: "module_for") { [self] call in
        let label = try call.argument(1, as: String.self)
        guard let catalog else { throw call.error("module_for: only curriculum rules can call it") }
        try call.push(catalog.entry(for: label)?.id)
        return 1
      })
  }
}
