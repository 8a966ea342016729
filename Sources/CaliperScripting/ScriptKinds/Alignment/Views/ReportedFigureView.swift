import CaliperCore
import LuaKit

/// A vendor's self-reported figure beside Caliper's measurement (`over = "reports"`).
struct ReportedFigureView {
  var figure: ReportedFigure
}

extension ReportedFigureView: LuaUserdataType {
  static let luaTypeName = "ReportedFigure"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<ReportedFigureView>) {
    face.field("id") { $0.figure.subject }
    face.field("vendor") { $0.figure.report.vendor }
    face.field("site") { $0.figure.report.site }
    face.field("period") { $0.figure.report.period.label }
    face.field("grain") { $0.figure.report.period.grain.rawValue }
    face.field("kpi") { $0.figure.report.kpi.rawValue }
    face.field("proportion") { $0.figure.report.kpi.isProportion }
    face.field("reported") { $0.figure.report.value }
    face.field("measured") { LuaObject($0.figure.measured) }
    face.field("difference") { $0.figure.difference }
    face.method("interval") { view, call in
      let confidence = try call.argument(2, as: Double?.self) ?? 0.95
      let result = try StatsModule.statistic { try view.figure.interval(confidence: confidence) }
      return try StatsModule.pushResult(call, result) {
        try call.push($0.lowerBound)
        try call.push($0.upperBound)
        return 2
      }
    }
  }
}
