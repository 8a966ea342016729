import CaliperCore
import LuaKit

/// A `Metric` as scripts see it: value, n, k, interval and why it is undefined.
extension Metric: LuaUserdataType {
  /// `Metric`.
  public static let luaTypeName = "Metric"

  /// `value`, `n`, `k`, `lo`, `hi`, `reason` and `defined`.
  public static func declareLuaFace(_ face: inout LuaTypeRegistration<Metric>) {
    face.field("value") { $0.value }
    face.field("n") { $0.n }
    face.field("k") { $0.k }
    face.field("lo") { $0.lo }
    face.field("hi") { $0.hi }
    face.field("reason") { $0.reason }
    face.field("defined") { $0.value != nil }
  }
}
