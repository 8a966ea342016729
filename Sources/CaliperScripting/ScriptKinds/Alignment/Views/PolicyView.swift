import CaliperCore
import LuaKit

/// A policy change and the data to judge its rollout by (`over = "policies"`).
struct PolicyView {
  var change: PolicyChange
  /// Internal QA by market and by vendor, day by day.
  var byMarket: [GroupKey: GroupAggregate]
  var byVendor: [GroupKey: GroupAggregate]
  /// Decisions by label, day by day.
  var byLabel: [GroupKey: GroupAggregate]
  var training: [TrainingRecord]
  var moderators: [Moderator]
}

extension PolicyView: LuaUserdataType {
  static let luaTypeName = "PolicyChange"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<PolicyView>) {
    face.field("id") { $0.change.subject }
    face.field("label") { $0.change.label }
    face.field("version") { $0.change.current.policyVersion }
    face.field("previous_version") { $0.change.previous?.policyVersion }
    face.field("severity") { $0.change.current.severity.rawValue }
    face.field("previous_severity") { $0.change.previous?.severity.rawValue }
    face.field("effective_from") { $0.change.effectiveFrom.description }
    face.field("is_new") { $0.change.previous == nil }
    face.field("early_uses") { $0.change.earlyUses($0.byLabel) }
    face.field("modules") { view in Set(view.training.map(\.moduleID)).sorted() }
    face.method("accuracy") { view, call in
      let options = try call.argument(2, as: LuaTable?.self)
      let by = try options?.get("by", as: String?.self) ?? "market"
      guard by == "market" || by == "vendor" else {
        throw call.error("accuracy: by must be market or vendor (got \"\(by)\")")
      }
      try call.push(view.change.accuracy(by == "market" ? view.byMarket : view.byVendor).map { LuaObject($0) })
      return 1
    }
    face.method("training") { view, call in
      let options = try call.argument(2, as: LuaTable?.self)
      let modules = try options?.get("modules", as: [String]?.self) ?? []
      guard !modules.isEmpty else {
        throw call.error("training: give modules = { ... }, the training modules that teach this version")
      }
      // The change affects the moderators of the markets whose decisions use the label.
      var markets = Set<String>()
      for (key, state) in view.byLabel where key.group == view.change.label { markets.formUnion(state.context.markets) }
      let training = view.change.training(
        modules: Set(modules), records: view.training,
        moderators: view.moderators.filter { markets.contains($0.market) })
      try call.push(LuaObject(training))
      return 1
    }
  }
}

extension PolicyChange.Accuracy: LuaUserdataType {
  /// `PolicyAccuracy`.
  public static let luaTypeName = "PolicyAccuracy"

  /// Its fields, as the Lua API documents them.
  public static func declareLuaFace(_ face: inout LuaTypeRegistration<Self>) {
    face.field("group") { $0.group }
    face.field("before") { LuaObject($0.before) }
    face.field("after") { LuaObject($0.after) }
    face.field("z") { $0.test.value?.z }
    face.field("p") { $0.test.value?.p }
  }
}

extension PolicyChange.Training: LuaUserdataType {
  /// `PolicyTraining`.
  public static let luaTypeName = "PolicyTraining"

  /// Its fields, as the Lua API documents them.
  public static func declareLuaFace(_ face: inout LuaTypeRegistration<Self>) {
    face.field("share") { LuaObject($0.overall) }
    face.field("by_market") { training in
      training.byMarket.map { ["market": AnyPushable($0.market), "share": AnyPushable(LuaObject($0.share))] }
    }
    face.field("untrained") { $0.untrained }
  }
}
