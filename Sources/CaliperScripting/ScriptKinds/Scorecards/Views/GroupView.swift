import CaliperCore
import LuaKit

/// What a KPI's `value(g)` receives: one group (a site in a week, say) with its built-in
/// aggregates and custom measures, as read-only userdata (nothing is copied into tables).
struct GroupView {
  var grain: Grain
  var key: GroupKey
  var state: GroupAggregate
  var measures: [String: Metric]
  var policy: PolicyBook
}

extension GroupView: LuaUserdataType {
  static let luaTypeName = "Group"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<GroupView>) {
    face.field("name") { $0.key.group }
    face.field("period") { $0.key.period }
    face.field("grain") { $0.grain.rawValue }
    face.field("decisions") { $0.state.decisions }
    face.field("markets") { $0.state.context.markets.sorted() }
    face.field("vendors") { $0.state.context.vendors.sorted() }
    face.field("sites") { $0.state.context.sites.sorted() }
    face.field("handle") { LuaObject(HandleView(state: $0.state)) }
    face.field("sla") { LuaObject(SLAView(state: $0.state)) }
    face.field("golden") { LuaObject(GoldenView(state: $0.state)) }
    face.field("qa_gap") { LuaObject(GapView(state: $0.state)) }
    face.field("qa") {
      LuaObject(
        QAView(tally: $0.state.qa.all, policy: $0.policy, parts: ($0.state.qa.internalQA, $0.state.qa.vendorQA)))
    }
    face.field("ai") {
      LuaObject(AIView(tally: $0.state.ai.overall, byModel: $0.state.ai.byModel, decisions: $0.state.decisions))
    }
    face.method("measure") { view, call in
      let id = try call.argument(2, as: String.self)
      guard let metric = view.measures[id] else {
        let known = view.measures.keys.sorted().joined(separator: ", ")
        throw call.error("no measure '\(id)' in this scorecard (known: \(known.isEmpty ? "none" : known))")
      }
      try call.push(LuaObject(metric))
      return 1
    }
  }
}
