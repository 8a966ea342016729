import CaliperCore
import LuaKit

/// `g.golden`: golden-set (honeypot) decisions.
struct GoldenView { var state: GroupAggregate }

extension GoldenView: LuaUserdataType {
  static let luaTypeName = "Golden"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<GoldenView>) {
    face.field("seen") { $0.state.golden.seen }
    face.field("correct") { $0.state.golden.correct }
    face.field("accuracy") { LuaObject($0.state.goldenAccuracy) }
  }
}
