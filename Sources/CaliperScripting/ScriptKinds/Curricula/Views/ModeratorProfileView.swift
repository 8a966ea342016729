import CaliperCore
import LuaKit

/// One moderator's profile as curriculum rules see it (`check(m, params)`): read-only.
struct ModeratorProfileView {
  var profile: ModeratorProfile
  /// The modules of the curriculum being run (for expiries and `m:completed(id)`).
  var catalog: ModuleCatalog
  var asOf: CalendarDate
}

extension ModeratorProfileView: LuaUserdataType {
  static let luaTypeName = "ModeratorProfile"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<ModeratorProfileView>) {
    face.field("id") { $0.profile.moderator.moderatorID }
    face.field("site") { $0.profile.moderator.site }
    face.field("vendor") { $0.profile.moderator.vendor }
    face.field("market") { $0.profile.moderator.market }
    face.field("queue") { $0.profile.moderator.queue }
    face.field("status") { $0.profile.moderator.status.rawValue }
    face.field("tenure_days") { $0.profile.tenureDays }
    face.field("decisions") { $0.profile.state.decisions }
    face.field("accuracy") { LuaObject($0.profile.accuracy) }
    face.field("golden") { LuaObject($0.profile.golden) }
    face.field("labels") { view in view.profile.labels.mapValues { LuaObject($0) } }
    face.field("errors") { view in
      Dictionary(
        uniqueKeysWithValues: [Severity.minor, .major, .critical].map { ($0.rawValue, view.profile.errors($0)) })
    }
    face.field("ai") { LuaObject($0.profile.ai) }
    face.field("training") { view in
      view.profile.training.map { record in
        TrainingEntry(record: record, expiresDays: view.catalog[record.moduleID]?.expiresDays)
      }
    }
    face.method("completed") { view, call in
      let module = try call.argument(2, as: String.self)
      let expires = view.catalog[module]?.expiresDays
      try call.push(
        view.profile.training.contains { record in
          guard record.moduleID == module, let done = record.completedAt?.date, done <= view.asOf else { return false }
          return expires.map { done.daysSinceEpoch + Int64($0) > view.asOf.daysSinceEpoch } ?? true
        })
      return 1
    }
  }
}

/// A row of the moderator's training history, as a plain table.
struct TrainingEntry: LuaPushable {
  var record: TrainingRecord
  var expiresDays: Int?

  func push(onto stack: LuaStack) throws {
    try stack.pushTable(recordCapacity: 6)
    do { try fill(stack, table: stack.top) } catch {
      stack.pop()
      throw error
    }
  }

  private func fill(_ stack: LuaStack, table: Int32) throws {
    try stack.push(record.moduleID)
    try stack.set(table: table, field: "module")
    try stack.push(record.enrolledAt.date.description)
    try stack.set(table: table, field: "enrolled")
    if let completed = record.completedAt?.date {
      try stack.push(completed.description)
      try stack.set(table: table, field: "completed")
      if let expiresDays {
        try stack.push(CalendarDate(daysSinceEpoch: completed.daysSinceEpoch + Int64(expiresDays)).description)
        try stack.set(table: table, field: "expires")
      }
    }
    if let score = record.score {
      stack.push(score)
      try stack.set(table: table, field: "score")
    }
  }
}

extension ModeratorProfile.LabelSkill: LuaUserdataType {
  /// `LabelSkill`.
  public static let luaTypeName = "LabelSkill"

  /// `label`, `recall`, `precision` (Metrics with Wilson intervals) and `support`.
  public static func declareLuaFace(_ face: inout LuaTypeRegistration<ModeratorProfile.LabelSkill>) {
    face.field("label") { $0.label }
    face.field("recall") { LuaObject($0.recall) }
    face.field("precision") { LuaObject($0.precision) }
    face.field("support") { $0.support }
  }
}

extension ModeratorProfile.AIUse: LuaUserdataType {
  /// `AIUse`.
  public static let luaTypeName = "AIUse"

  /// Metrics of how a moderator works with AI suggestions.
  public static func declareLuaFace(_ face: inout LuaTypeRegistration<ModeratorProfile.AIUse>) {
    face.field("acceptance_rate") { LuaObject($0.acceptance) }
    face.field("accuracy_accepting") { LuaObject($0.accuracyAccepting) }
    face.field("accuracy_overriding") { LuaObject($0.accuracyOverriding) }
    face.field("accepted_wrong_rate") { LuaObject($0.acceptedWrong) }
    face.field("overrode_wrongly_rate") { LuaObject($0.overrodeWrongly) }
    face.field("overrode_right_rate") { LuaObject($0.overrodeRight) }
  }
}

/// The view types of curricula.
enum CurriculumViewTypes {
  /// Every view type, registered with each state once.
  static var all: [any LuaUserdataType.Type] {
    [ModeratorProfileView.self, ModeratorProfile.LabelSkill.self, ModeratorProfile.AIUse.self]
  }

  /// Registers the view types with a state.
  static func register(in state: LuaState) throws {
    for type in all { try state.register(type) }
  }
}
