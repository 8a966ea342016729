import CaliperCore
import LuaKit

/// A calibration session as rules see it (`over = "sessions"`).
struct SessionView {
  var session: CalibrationSession
  var policy: PolicyBook
  var seed: UInt64
}

extension SessionView: LuaUserdataType {
  static let luaTypeName = "CalibrationSession"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<SessionView>) {
    face.field("id") { $0.session.id }
    face.field("market") { $0.session.market }
    face.field("markets") { $0.session.markets }
    face.field("date") { $0.session.date.description }
    face.field("items") { $0.session.items.count }
    face.field("ratings") { $0.session.ratings.count }
    face.field("raters") { view in view.session.raters.map { ["id": $0.id, "org": $0.organisation.rawValue] } }
    face.method("agreement") { view, call in
      try call.push(LuaObject(try view.session.agreement(try request(view, call))))
      return 1
    }
    face.method("rater_accuracy") { view, call in
      try call.push(view.session.raterAccuracy().map { LuaObject($0) })
      return 1
    }
    face.method("disagreements") { view, call in
      try call.push(view.session.disagreements().map { LuaObject($0) })
      return 1
    }
    face.method("by_label") { view, call in
      try call.push(view.session.byLabel().map { LuaObject($0) })
      return 1
    }
  }

  /// Reads `s:agreement{ metric =, among =, level =, reps = }`.
  private static func request(_ view: SessionView, _ call: LuaCall) throws -> CalibrationSession.AgreementRequest {
    let options = try call.argument(2, as: LuaTable?.self)
    let metricName = try options?.get("metric", as: String?.self) ?? "krippendorff"
    guard let metric = CalibrationSession.AgreementMetric(rawValue: metricName) else {
      let known = CalibrationSession.AgreementMetric.allCases.map(\.rawValue).joined(separator: ", ")
      throw call.error("agreement: metric must be one of \(known) (got \"\(metricName)\")")
    }
    let levelName = try options?.get("level", as: String?.self) ?? "nominal"
    guard levelName == "nominal" || levelName == "ordinal" else {
      throw call.error("agreement: level must be nominal or ordinal (got \"\(levelName)\")")
    }
    let reps = try options?.get("reps", as: Int?.self) ?? 1000
    var among = Set(Organisation.allCases)
    switch try options?.get("among", as: LuaValue.self) ?? .nil {
    case .nil: break
    case .string(let name): among = try organisations([name], call)
    case .table: among = try organisations(try options?.get("among", as: [String].self) ?? [], call)
    case let other: throw call.error("agreement: among must be a name or a list of names (got \(other.typeName))")
    }
    // Ordinal agreement orders labels by policy severity, then by name.
    let order = view.policy.labels.sorted {
      let (a, b) = (view.policy[$0]?.severity ?? .none, view.policy[$1]?.severity ?? .none)
      return a != b ? a < b : $0 < $1
    }
    return CalibrationSession.AgreementRequest(
      metric: metric, among: among, ordinal: levelName == "ordinal", order: order, resamples: reps, seed: view.seed)
  }

  private static func organisations(_ names: [String], _ call: LuaCall) throws -> Set<Organisation> {
    if names == ["all"] { return Set(Organisation.allCases) }
    return Set(
      try names.map { name in
        guard let organisation = Organisation(rawValue: name) else {
          throw call.error("agreement: among names all, policy, internal or vendor (got \"\(name)\")")
        }
        return organisation
      })
  }
}

extension CalibrationSession.RaterAccuracy: LuaUserdataType {
  /// `RaterAccuracy`.
  public static let luaTypeName = "RaterAccuracy"

  /// `rater`, `org`, `accuracy` (a Metric).
  public static func declareLuaFace(_ face: inout LuaTypeRegistration<Self>) {
    face.field("rater") { $0.rater }
    face.field("org") { $0.organisation.rawValue }
    face.field("accuracy") { LuaObject($0.accuracy) }
  }
}

extension CalibrationSession.ItemDisagreement: LuaUserdataType {
  /// `ItemDisagreement`.
  public static let luaTypeName = "ItemDisagreement"

  /// `item`, `reference`, `modal_share`, `labels` (label → ratings).
  public static func declareLuaFace(_ face: inout LuaTypeRegistration<Self>) {
    face.field("item") { $0.item }
    face.field("reference") { $0.reference }
    face.field("modal_share") { $0.modalShare }
    face.field("labels") { Dictionary(uniqueKeysWithValues: $0.labelCounts.map { ($0.label, $0.count) }) }
  }
}

extension CalibrationSession.LabelAgreement: LuaUserdataType {
  /// `LabelAgreement`.
  public static let luaTypeName = "LabelAgreement"

  /// `label`, `items`, `agreement` (a Metric).
  public static func declareLuaFace(_ face: inout LuaTypeRegistration<Self>) {
    face.field("label") { $0.label }
    face.field("items") { $0.items }
    face.field("agreement") { LuaObject($0.agreement) }
  }
}
