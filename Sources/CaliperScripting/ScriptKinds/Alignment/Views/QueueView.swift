import CaliperCore
import LuaKit

/// A queue going live (`over = "queues"`): its staff, training and an Erlang C staffing check.
struct QueueView {
  var readiness: QueueReadiness
}

extension QueueView: LuaUserdataType {
  static let luaTypeName = "GoLiveQueue"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<QueueView>) {
    face.field("id") { $0.readiness.queue.queue }
    face.field("market") { $0.readiness.queue.market }
    face.field("lob") { $0.readiness.queue.lineOfBusiness }
    face.field("go_live") { $0.readiness.queue.goLive?.description }
    face.field("days_to_go_live") { $0.readiness.daysToGoLive }
    face.field("sla_seconds") { $0.readiness.queue.slaSeconds }
    face.field("forecast_daily_volume") { $0.readiness.queue.forecastDailyVolume }
    face.field("moderators") { $0.readiness.activeModerators.count }
    face.field("trained") { LuaObject($0.readiness.trained) }
    face.field("aht_seconds") { $0.readiness.measuredHandleSeconds?.seconds }
    face.field("aht_basis") { $0.readiness.measuredHandleSeconds?.basis }
    face.field("decisions_per_moderator_hour") { view in
      view.readiness.measuredHandleSeconds.map { 3600 / $0.seconds }
    }
    face.method("staffing") { view, call in
      let options = try call.argument(2, as: LuaTable?.self)
      var model = QueueReadiness.StaffingModel()
      if let value = try options?.get("hours_per_day", as: Double?.self) { model.hoursPerDay = value }
      if let value = try options?.get("shift_hours", as: Double?.self) { model.shiftHours = value }
      if let value = try options?.get("target_level", as: Double?.self) { model.targetLevel = value }
      model.handleSeconds = try options?.get("aht_seconds", as: Double?.self)
      switch try view.readiness.staffing(model) {
      case .failure(let unknown):
        try call.push(LuaValue.nil)
        try call.push(unknown.reason)
        return 2
      case .success(let staffing):
        try call.push(LuaObject(StaffingView(staffing: staffing)))
        return 1
      }
    }
  }
}

/// `q:staffing{...}`: what the staff on shift reach and what the target needs.
struct StaffingView {
  var staffing: QueueReadiness.Staffing
}

extension StaffingView: LuaUserdataType {
  static let luaTypeName = "Staffing"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<StaffingView>) {
    face.field("arrivals_per_hour") { $0.staffing.arrivalsPerHour }
    face.field("aht_seconds") { $0.staffing.handleSeconds }
    face.field("agents_on_shift") { $0.staffing.agentsOnShift }
    face.field("service_level") { $0.staffing.reached.value?.serviceLevel }
    face.field("waiting_probability") { $0.staffing.reached.value?.waitingProbability }
    face.field("average_speed_of_answer") { $0.staffing.reached.value?.averageSpeedOfAnswer }
    face.field("occupancy") { $0.staffing.reached.value?.occupancy }
    face.field("reason") { $0.staffing.reached.reason }
    face.field("required_agents") { $0.staffing.requiredAgents.value }
    face.field("required_headcount") { $0.staffing.requiredHeadcount }
  }
}
