import CaliperCore
import LuaKit

/// One policy label across markets (`over = "labels"`).
struct LabelView {
  var label: LabelAcrossMarkets
  var policy: PolicyBook
}

extension LabelView: LuaUserdataType {
  static let luaTypeName = "LabelAcrossMarkets"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<LabelView>) {
    face.field("id") { $0.label.label }
    face.field("label") { $0.label.label }
    face.field("severity") { $0.policy[$0.label.label]?.severity.rawValue }
    face.field("markets") { view in view.label.markets.map { LuaObject($0) } }
    face.field("chi2") { $0.label.test.value?.chi2 }
    face.field("p") { $0.label.test.value?.p }
    face.field("adjusted_p") { $0.label.adjustedP }
    face.field("test_reason") { $0.label.test.reason }
    face.method("diverging") { view, call in
      let alpha = try call.argument(2, as: Double?.self) ?? 0.05
      guard alpha > 0, alpha < 1 else { throw call.error("diverging: alpha must lie in (0, 1) (got \(alpha))") }
      try call.push(view.label.diverging(alpha: alpha))
      return 1
    }
  }
}

extension LabelAcrossMarkets.Market: LuaUserdataType {
  /// `LabelInMarket`.
  public static let luaTypeName = "LabelInMarket"

  /// Its fields, as the Lua API documents them.
  public static func declareLuaFace(_ face: inout LuaTypeRegistration<Self>) {
    face.field("market") { $0.market }
    face.field("accuracy") { LuaObject($0.accuracy) }
    face.field("calibration") { LuaObject($0.calibration) }
    face.field("z") { $0.againstOthers.value?.z }
    face.field("p") { $0.againstOthers.value?.p }
  }
}
