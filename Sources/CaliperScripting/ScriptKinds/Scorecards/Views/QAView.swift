import CaliperCore
import LuaKit

/// `g.qa`, `g.qa.internal`, `g.qa.vendor`: QA audit counts and rates.
struct QAView {
  var tally: QATally<String>
  var policy: PolicyBook
  /// The internal-QA and vendor-QA parts (only on the group's all-audits view).
  var parts: (internal: QATally<String>, vendor: QATally<String>)?
}

extension QAView: LuaUserdataType {
  static let luaTypeName = "QA"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<QAView>) {
    face.field("audited") { $0.tally.audited }
    face.field("correct") { $0.tally.correct }
    face.field("errors") { $0.tally.errors() }
    face.field("critical_errors") { $0.tally.errors(severity: .critical) }
    face.field("major_errors") { $0.tally.errors(severity: .major) }
    face.field("minor_errors") { $0.tally.errors(severity: .minor) }
    face.field("disputed") { $0.tally.disputed }
    face.field("overturned") { $0.tally.overturned }
    face.field("accuracy") { LuaObject($0.tally.accuracy) }
    face.field("dispute_rate") { LuaObject($0.tally.disputeRate) }
    face.field("overturn_rate") { LuaObject($0.tally.overturnRate) }
    face.field("confusion") { LuaObject(ConfusionCounts($0.tally.confusion).matrix) }
    face.field("labels") { ConfusionCounts($0.tally.confusion).labels }
    face.field("internal") { view in
      view.parts.map { LuaObject(QAView(tally: $0.internal, policy: view.policy, parts: nil)) }
    }
    face.field("vendor") { view in
      view.parts.map { LuaObject(QAView(tally: $0.vendor, policy: view.policy, parts: nil)) }
    }
    face.method("count_errors") { view, call in
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
    face.method("recall") { view, call in
      try call.push(LuaObject(view.tally.recall(try call.argument(2, as: String.self))))
      return 1
    }
  }
}
