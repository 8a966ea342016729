import CaliperCore
import LuaKit

/// `caliper.scorecard`, `caliper.measure` and `caliper.detect.*`.
enum ScorecardFunctions {
  static func add(to module: LuaTable, in state: LuaState, findings: FindingLog) throws {
    // Declarations are plain tables, checked when the runner reads them (errors then name
    // pack, file and field); these mark intent and catch the obvious mistake early.
    for name in PackScriptKinds.constructors + ["measure"] {
      try module.set(
        name,
        try state.function(named: name) { call in
          guard call.stack.type(at: 1) == .table else { throw call.error("expects a table: caliper.\(name){ ... }") }
          call.stack.setTop(1)
          return 1
        })
    }
    try module.set("detect", try DetectFunctions.make(in: state, findings: findings))
  }
}
