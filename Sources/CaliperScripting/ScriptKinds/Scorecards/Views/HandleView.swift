import CaliperCore
import LuaKit

/// `g.handle`: handle-time mean and quantiles in seconds.
struct HandleView { var state: GroupAggregate }

extension HandleView: LuaUserdataType {
  static let luaTypeName = "HandleTime"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<HandleView>) {
    face.field("mean") { LuaObject($0.state.handleMean) }
    face.field("p50") { LuaObject($0.state.handleQuantile(0.5)) }
    face.field("p90") { LuaObject($0.state.handleQuantile(0.9)) }
    face.field("p99") { LuaObject($0.state.handleQuantile(0.99)) }
  }
}
