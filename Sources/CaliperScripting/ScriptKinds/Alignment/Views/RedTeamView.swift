import CaliperCore
import LuaKit

/// A newer model version against the one before it on one technique (`over = "redteam"`).
struct RedTeamView {
  var comparison: RedTeamResults.Comparison
  /// The catch rate of every model version on the same technique and market.
  var cells: [RedTeamResults.Cell]
}

extension RedTeamView: LuaUserdataType {
  static let luaTypeName = "RedTeamComparison"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<RedTeamView>) {
    face.field("technique") { $0.comparison.technique }
    face.field("market") { $0.comparison.market }
    face.field("before") { $0.comparison.before }
    face.field("after") { $0.comparison.after }
    face.field("caught_before") { LuaObject($0.comparison.caughtBefore) }
    face.field("caught_after") { LuaObject($0.comparison.caughtAfter) }
    face.field("z") { $0.comparison.z }
    face.field("p_value") { $0.comparison.p }
    face.field("adjusted_p") { $0.comparison.adjustedP }
    face.field("reason") { $0.comparison.reason }
    face.field("regressed") { $0.comparison.regressed }
    face.field("models") { view in view.cells.map(\.model) }
    face.method("caught") { view, call in
      let model = try call.argument(2, as: String.self)
      try call.push(view.cells.first { $0.model == model }.map { LuaObject($0.caught) })
      return 1
    }
  }
}
