import CaliperCore
import LuaKit

/// A QA auditor against internal reference audits (`over = "auditors"`).
struct AuditorView {
  var auditor: AuditorAgreement
}

extension AuditorView: LuaUserdataType {
  static let luaTypeName = "Auditor"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<AuditorView>) {
    face.field("id") { $0.auditor.auditor }
    face.field("org") { $0.auditor.organisation.rawValue }
    face.field("agreement") { LuaObject($0.auditor.agreement) }
    face.field("weeks") { view in view.auditor.weeks.map(\.week) }
    face.method("week") { view, call in
      let week = try call.argument(2, as: String.self)
      try call.push(view.auditor.weeks.first { $0.week == week }.map { LuaObject($0.agreement) })
      return 1
    }
    face.field("first_week") { view in view.auditor.weeks.first.map { LuaObject($0.agreement) } }
    face.field("last_week") { view in view.auditor.weeks.last.map { LuaObject($0.agreement) } }
    face.field("trend_z") { $0.auditor.trend.value?.z }
    face.field("trend_p") { $0.auditor.trend.value?.p }
    face.field("trend_reason") { $0.auditor.trend.reason }
  }
}
