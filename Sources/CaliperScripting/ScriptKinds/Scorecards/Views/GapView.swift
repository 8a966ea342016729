import CaliperCore
import LuaKit

/// `g.qa_gap`: vendor QA against internal QA on the decisions both audited.
struct GapView { var state: GroupAggregate }

extension GapView: LuaUserdataType {
  static let luaTypeName = "QAGap"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<GapView>) {
    face.field("pairs") { $0.state.qa.paired.pairs }
    face.field("vendor_accuracy") { LuaObject($0.state.qaGap.vendorAccuracy) }
    face.field("internal_accuracy") { LuaObject($0.state.qaGap.internalAccuracy) }
    face.field("gap") { view -> Double? in
      let gap = view.state.qaGap
      guard let vendor = gap.vendorAccuracy.value, let inHouse = gap.internalAccuracy.value else { return nil }
      return vendor - inHouse
    }
    face.field("p_value") { $0.state.qaGap.pValue }
    face.method("by_label") { view, call in
      try call.push(view.state.qaLabelGaps.map { LuaObject($0) })
      return 1
    }
  }
}

extension QALabelGap: LuaUserdataType {
  /// `QALabelGap`.
  public static let luaTypeName = "QALabelGap"

  /// `label`, `vendor_pass`, `internal_pass` (Metrics), `gap`, `z`, `p`.
  public static func declareLuaFace(_ face: inout LuaTypeRegistration<Self>) {
    face.field("label") { $0.label }
    face.field("vendor_pass") { LuaObject($0.vendorPass) }
    face.field("internal_pass") { LuaObject($0.internalPass) }
    face.field("gap") { $0.gap }
    face.field("z") { $0.test.value?.z }
    face.field("p") { $0.test.value?.p }
  }
}
