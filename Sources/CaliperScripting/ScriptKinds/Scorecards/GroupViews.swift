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

/// `g.qa`, `g.qa.internal`, `g.qa.vendor`: QA audit counts and rates.
struct QAView {
  var tally: QATally<String>
  var policy: PolicyBook
  /// The internal-QA and vendor-QA parts (only on the group's all-audits view).
  var parts: (internal: QATally<String>, vendor: QATally<String>)?
}

/// `g.ai` and `g.ai:model(version)`: AI-assist counts and rates against QA.
struct AIView {
  var tally: AITally<String>
  var byModel: [String: AITally<String>]
  var decisions: Int
  var confusion: ConfusionCounts { ConfusionCounts(tally.confusion) }
}

/// `g.handle`, `g.sla`, `g.golden`, `g.qa_gap`: small read-only records.
struct HandleView { var state: GroupAggregate }
struct SLAView { var state: GroupAggregate }
struct GoldenView { var state: GroupAggregate }
struct GapView { var state: GroupAggregate }

/// Registers the view types with a state (once per state).
enum GroupViewTypes {
  static func register(in state: LuaState) throws {
    try state.registerType(Metric.self, name: "Metric") { type in
      type.field("value") { $0.value }
      type.field("n") { $0.n }
      type.field("k") { $0.k }
      type.field("lo") { $0.lo }
      type.field("hi") { $0.hi }
      type.field("reason") { $0.reason }
      type.field("defined") { $0.value != nil }
    }
    try state.registerType(GroupView.self, name: "Group") { type in
      type.field("name") { $0.key.group }
      type.field("period") { $0.key.period }
      type.field("grain") { $0.grain.rawValue }
      type.field("decisions") { $0.state.decisions }
      type.field("markets") { $0.state.markets.sorted() }
      type.field("vendors") { $0.state.vendors.sorted() }
      type.field("sites") { $0.state.sites.sorted() }
      type.field("handle") { LuaObject(HandleView(state: $0.state)) }
      type.field("sla") { LuaObject(SLAView(state: $0.state)) }
      type.field("golden") { LuaObject(GoldenView(state: $0.state)) }
      type.field("qa_gap") { LuaObject(GapView(state: $0.state)) }
      type.field("qa") {
        LuaObject(QAView(tally: $0.state.qa, policy: $0.policy, parts: ($0.state.internalQA, $0.state.vendorQA)))
      }
      type.field("ai") {
        LuaObject(AIView(tally: $0.state.ai, byModel: $0.state.aiByModel, decisions: $0.state.decisions))
      }
      type.method("measure") { view, call in
        let id = try call.argument(2, as: String.self)
        guard let metric = view.measures[id] else {
          let known = view.measures.keys.sorted().joined(separator: ", ")
          throw call.error("no measure '\(id)' in this scorecard (known: \(known.isEmpty ? "none" : known))")
        }
        try call.push(LuaObject(metric))
        return 1
      }
    }
    try state.registerType(HandleView.self, name: "HandleTime") { type in
      type.field("mean") { LuaObject($0.state.handleMean) }
      type.field("p50") { LuaObject($0.state.handleQuantile(0.5)) }
      type.field("p90") { LuaObject($0.state.handleQuantile(0.9)) }
      type.field("p99") { LuaObject($0.state.handleQuantile(0.99)) }
    }
    try state.registerType(SLAView.self, name: "SLA") { type in
      type.field("within_rate") { LuaObject($0.state.slaWithinRate) }
      type.field("measured") { $0.state.slaMeasured }
      type.field("within") { $0.state.slaWithin }
    }
    try state.registerType(GoldenView.self, name: "Golden") { type in
      type.field("seen") { $0.state.goldenSeen }
      type.field("correct") { $0.state.goldenCorrect }
      type.field("accuracy") { LuaObject($0.state.goldenAccuracy) }
    }
    try state.registerType(GapView.self, name: "QAGap") { type in
      type.field("pairs") { $0.state.paired.pairs }
      type.field("vendor_accuracy") { LuaObject($0.state.qaGap.vendorAccuracy) }
      type.field("internal_accuracy") { LuaObject($0.state.qaGap.internalAccuracy) }
      type.field("gap") { view -> Double? in
        let gap = view.state.qaGap
        guard let vendor = gap.vendorAccuracy.value, let inHouse = gap.internalAccuracy.value else { return nil }
        return vendor - inHouse
      }
      type.field("p_value") { $0.state.qaGap.pValue }
    }
    try registerQA(in: state)
    try registerAI(in: state)
  }

  private static func registerQA(in state: LuaState) throws {
    try state.registerType(QAView.self, name: "QA") { type in
      type.field("audited") { $0.tally.audited }
      type.field("correct") { $0.tally.correct }
      type.field("errors") { $0.tally.errors() }
      type.field("critical_errors") { $0.tally.errors(severity: .critical) }
      type.field("major_errors") { $0.tally.errors(severity: .major) }
      type.field("minor_errors") { $0.tally.errors(severity: .minor) }
      type.field("disputed") { $0.tally.disputed }
      type.field("overturned") { $0.tally.overturned }
      type.field("accuracy") { LuaObject($0.tally.accuracy) }
      type.field("dispute_rate") { LuaObject($0.tally.disputeRate) }
      type.field("overturn_rate") { LuaObject($0.tally.overturnRate) }
      type.field("confusion") { LuaObject(ConfusionCounts($0.tally.confusion).matrix) }
      type.field("labels") { ConfusionCounts($0.tally.confusion).labels }
      type.field("internal") { view in
        view.parts.map { LuaObject(QAView(tally: $0.internal, policy: view.policy, parts: nil)) }
      }
      type.field("vendor") { view in
        view.parts.map { LuaObject(QAView(tally: $0.vendor, policy: view.policy, parts: nil)) }
      }
      type.method("count_errors") { view, call in
        let options = try call.argument(2, as: LuaTable?.self)
        let severityName = try options?.get("severity", as: String?.self)
        let label = try options?.get("label", as: String?.self)
        var severity: Severity?
        if let severityName {
          guard let parsed = Severity(rawValue: severityName) else {
            let known = Severity.allCases.map(\.rawValue).joined(separator: ", ")
            throw call.error("unknown severity '\(severityName)' (known: \(known))")
          }
          severity = parsed
        }
        try call.push(view.tally.errors(severity: severity, label: label, policy: view.policy))
        return 1
      }
      type.method("recall") { view, call in
        try call.push(LuaObject(view.tally.recall(try call.argument(2, as: String.self))))
        return 1
      }
    }
  }

  private static func registerAI(in state: LuaState) throws {
    try state.registerType(AIView.self, name: "AI") { type in
      type.field("suggested") { $0.tally.suggested }
      type.field("assisted") { $0.tally.assisted }
      type.field("overridden") { $0.tally.overridden }
      type.field("coverage") { LuaObject(Metric.proportion($0.tally.suggested, of: $0.decisions, what: "decisions")) }
      type.field("agreement") {
        LuaObject(Metric.proportion($0.tally.agreed, of: $0.tally.suggested, what: "suggestions"))
      }
      type.field("override_rate") {
        LuaObject(Metric.proportion($0.tally.overridden, of: $0.tally.assisted, what: "assisted decisions"))
      }
      type.field("overridden_accuracy") {
        LuaObject(
          Metric.proportion($0.tally.overriddenCorrect, of: $0.tally.overriddenAudited, what: "audited overrides"))
      }
      type.field("accepted_accuracy") {
        LuaObject(
          Metric.proportion($0.tally.acceptedCorrect, of: $0.tally.acceptedAudited, what: "audited acceptances"))
      }
      type.field("accuracy") { LuaObject($0.confusion.accuracy) }
      type.field("macro_recall") { view in LuaObject(view.confusion.macro(view.confusion.recall)) }
      type.field("macro_precision") { view in LuaObject(view.confusion.macro(view.confusion.precision)) }
      type.field("macro_f1") { view in LuaObject(view.confusion.macro(view.confusion.f1)) }
      type.field("confusion") { LuaObject($0.confusion.matrix) }
      type.field("models") { $0.byModel.keys.sorted() }
      for (name, rate) in [
        ("recall", ConfusionCounts.recall), ("precision", ConfusionCounts.precision),
        ("f1", ConfusionCounts.f1), ("fpr", ConfusionCounts.falsePositiveRate),
        ("fnr", ConfusionCounts.falseNegativeRate),
      ] as [(String, (ConfusionCounts) -> (String) -> Metric)] {
        type.method(name) { view, call in
          try call.push(LuaObject(rate(view.confusion)(try call.argument(2, as: String.self))))
          return 1
        }
      }
      type.method("model") { view, call in
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
}
