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
  }
}
