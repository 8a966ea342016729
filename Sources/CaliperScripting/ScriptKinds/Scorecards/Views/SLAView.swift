import CaliperCore
import LuaKit

/// `g.sla`: decisions within their queue's SLA.
struct SLAView { var state: GroupAggregate }

extension SLAView: LuaUserdataType {
  static let luaTypeName = "SLA"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<SLAView>) {
    face.field("within_rate") { LuaObject($0.state.slaWithinRate) }
    face.field("measured") { $0.state.sla.measured }
    face.field("within") { $0.state.sla.within }
  }
}
