import CaliperCore
import LuaKit

/// `g.ai` and `g.ai:model(version)`: AI-assist counts and rates against QA.
struct AIView {
  var tally: AITally<String>
  var byModel: [String: AITally<String>]
  var decisions: Int
  var confusion: ConfusionCounts { ConfusionCounts(tally.confusion) }
}

extension AIView: LuaUserdataType {
  static let luaTypeName = "AI"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<AIView>) {
    face.field("suggested") { $0.tally.suggested }
    face.field("assisted") { $0.tally.assisted }
    face.field("overridden") { $0.tally.overridden }
    face.field("coverage") { LuaObject(Metric.proportion($0.tally.suggested, of: $0.decisions, what: "decisions")) }
    face.field("agreement") {
      LuaObject(Metric.proportion($0.tally.agreed, of: $0.tally.suggested, what: "suggestions"))
    }
    face.field("override_rate") {
      LuaObject(Metric.proportion($0.tally.overridden, of: $0.tally.assisted, what: "assisted decisions"))
    }
    face.field("overridden_accuracy") {
      LuaObject(
        Metric.proportion($0.tally.overriddenCorrect, of: $0.tally.overriddenAudited, what: "audited overrides"))
    }
    face.field("overrode_right_rate") {
      LuaObject(
        Metric.proportion(
          $0.tally.overriddenSuggestionRight, of: $0.tally.overriddenAudited, what: "audited overrides"))
    }
    face.field("accepted_accuracy") {
      LuaObject(
        Metric.proportion($0.tally.acceptedCorrect, of: $0.tally.acceptedAudited, what: "audited acceptances"))
    }
    face.field("accuracy") { LuaObject($0.confusion.accuracy) }
    face.field("macro_recall") { view in LuaObject(view.confusion.macro(view.confusion.recall)) }
    face.field("macro_precision") { view in LuaObject(view.confusion.macro(view.confusion.precision)) }
    face.field("macro_f1") { view in LuaObject(view.confusion.macro(view.confusion.f1)) }
    face.field("confusion") { LuaObject($0.confusion.matrix) }
    face.field("models") { $0.byModel.keys.sorted() }
    for (name, rate) in [
      ("recall", ConfusionCounts.recall), ("precision", ConfusionCounts.precision),
      ("f1", ConfusionCounts.f1), ("fpr", ConfusionCounts.falsePositiveRate),
      ("fnr", ConfusionCounts.falseNegativeRate),
    ] as [(String, (ConfusionCounts) -> (String) -> Metric)] {
      face.method(name) { view, call in
        try call.push(LuaObject(rate(view.confusion)(try call.argument(2, as: String.self))))
        return 1
      }
    }
    face.method("model") { view, call in
      let version = try call.argument(2, as: String.self)
      guard let tally = view.byModel[version] else {
        throw call.error(
          "no model '\(version)' in this group (known: \(view.byModel.keys.sorted().joined(separator: ", ")))")
      }
      try call.push(LuaObject(AIView(tally: tally, byModel: [version: tally], decisions: view.decisions)))
      return 1
    }
  }
}
