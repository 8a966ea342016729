/// What a queue going live needs checked: who is assigned, who is trained, and whether the
/// staff can carry the forecast under Erlang C at the queue's SLA.
public struct QueueReadiness: Sendable {
  /// The queue.
  public var queue: Queue
  /// Days from the as-of date to go-live.
  public var daysToGoLive: Int
  /// Active moderators assigned to the queue.
  public var activeModerators: [String]
  /// Of those, the ones with at least one completed training module.
  public var trainedModerators: [String]
  /// Mean handle time in seconds measured on comparable work (the queue's market and line of
  /// business, else its market, else every decision), and where it comes from.
  public var measuredHandleSeconds: (seconds: Double, basis: String)?

  /// Creates a readiness record.
  public init(
    queue: Queue, daysToGoLive: Int, activeModerators: [String], trainedModerators: [String],
    measuredHandleSeconds: (seconds: Double, basis: String)?
  ) {
    self.queue = queue
    self.daysToGoLive = daysToGoLive
    self.activeModerators = activeModerators
    self.trainedModerators = trainedModerators
    self.measuredHandleSeconds = measuredHandleSeconds
  }

  /// Share of assigned moderators trained (Wilson interval).
  public var trained: Metric {
    Metric.proportion(trainedModerators.count, of: activeModerators.count, what: "active moderators assigned")
  }

  /// How staffing is modelled; every field can be set by a rule.
  public struct StaffingModel: Sendable {
    /// Hours a day the queue runs.
    public var hoursPerDay = 24.0
    /// Hours one moderator works a day.
    public var shiftHours = 8.0
    /// Share of arrivals to answer within the SLA.
    public var targetLevel = 0.8
    /// Handle time to plan with (default: the measured one).
    public var handleSeconds: Double?

    /// The default model: 24-hour operation, 8-hour shifts, 80% within SLA.
    public init() {}
  }

  /// The staffing check's figures.
  public struct Staffing: Sendable {
    /// Forecast arrivals per operating hour.
    public var arrivalsPerHour: Double
    /// Handle time used.
    public var handleSeconds: Double
    /// Moderators on shift at any hour: active × shift hours / operating hours, rounded down.
    public var agentsOnShift: Int
    /// What they reach (undefined when they cannot keep up at all).
    public var reached: StatResult<CaliperCore.Staffing.ErlangC>
    /// The fewest agents on shift for the target level.
    public var requiredAgents: StatResult<Int>
    /// Moderators to roster for that: required agents × operating hours / shift hours, rounded up.
    public var requiredHeadcount: Int?
  }

  /// The staffing figures under `model`; `nil` with a reason when no handle time is known.
  public func staffing(_ model: StaffingModel = StaffingModel()) throws -> Result<Staffing, StaffingUnknown> {
    guard model.hoursPerDay > 0, model.hoursPerDay <= 24 else {
      throw StatisticsError("staffing", "hours_per_day", "must lie in (0, 24] (got \(model.hoursPerDay))")
    }
    guard model.shiftHours > 0, model.shiftHours <= model.hoursPerDay else {
      throw StatisticsError("staffing", "shift_hours", "must lie in (0, hours_per_day] (got \(model.shiftHours))")
    }
    guard let handle = model.handleSeconds ?? measuredHandleSeconds?.seconds else {
      return .failure(StaffingUnknown(reason: "no handle time measured on comparable work; set aht_seconds"))
    }
    let arrivals = Double(queue.forecastDailyVolume) / model.hoursPerDay
    let onShift = Int((Double(activeModerators.count) * model.shiftHours / model.hoursPerDay).rounded(.down))
    let reached: StatResult<CaliperCore.Staffing.ErlangC> =
      onShift == 0
      ? .undefined(reason: "no moderator on shift (\(activeModerators.count) assigned)")
      : try CaliperCore.Staffing.erlangC(
        arrivalsPerHour: arrivals, ahtSeconds: handle, agents: onShift, targetSeconds: Double(queue.slaSeconds))
    let required = try CaliperCore.Staffing.erlangAgents(
      arrivalsPerHour: arrivals, ahtSeconds: handle, targetSeconds: Double(queue.slaSeconds),
      targetLevel: model.targetLevel)
    let headcount = required.value.map { Int((Double($0) * model.hoursPerDay / model.shiftHours).rounded(.up)) }
    return .success(
      Staffing(
        arrivalsPerHour: arrivals, handleSeconds: handle, agentsOnShift: onShift, reached: reached,
        requiredAgents: required, requiredHeadcount: headcount))
  }

  /// Why staffing cannot be computed.
  public struct StaffingUnknown: Error, Sendable {
    /// For people.
    public var reason: String
  }
}
