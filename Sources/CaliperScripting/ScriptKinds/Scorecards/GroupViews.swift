import CaliperCore
import LuaKit

/// The read-only views a KPI's `value(g)` and the findings hooks work with; each declares its
/// Lua face in its own file under `Views/`.
enum GroupViewTypes {
  /// Every view type, registered with each state once.
  static var all: [any LuaUserdataType.Type] {
    [
      Metric.self, GroupView.self, HandleView.self, SLAView.self, GoldenView.self, GapView.self, QALabelGap.self,
      QAView.self,
      AIView.self,
    ]
  }

  /// Registers the view types with a state.
  static func register(in state: LuaState) throws {
    for type in all { try state.register(type) }
  }
}
