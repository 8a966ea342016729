import CaliperCore
import LuaKit

/// `erlang_c` and `erlang_agents` of `caliper.stats`: staffing a queue under Erlang C.
extension StatsModule {
  static func addStaffing(to stats: LuaTable, in state: LuaState) throws {
    try stats.set(
      "erlang_c",
      try state.function(named: "erlang_c") { call in
        let options = try LuaStatsArguments.decode(ErlangCOptions.self, call, 1, "options")
        let result = try statistic {
          try Staffing.erlangC(
            arrivalsPerHour: options.arrivals_per_hour, ahtSeconds: options.aht_seconds, agents: options.agents,
            targetSeconds: options.target_seconds ?? 20)
        }
        return try pushResult(call, result) { queue in
          try LuaEncoder().push(ErlangCReport(queue), onto: call.stack)
          return 1
        }
      })
    try stats.set(
      "erlang_agents",
      try state.function(named: "erlang_agents") { call in
        let options = try LuaStatsArguments.decode(ErlangAgentsOptions.self, call, 1, "options")
        let result = try statistic {
          try Staffing.erlangAgents(
            arrivalsPerHour: options.arrivals_per_hour, ahtSeconds: options.aht_seconds,
            targetSeconds: options.target_seconds ?? 20, targetLevel: options.target_level ?? 0.8)
        }
        return try pushResult(call, result) {
          try call.push($0); return 1
        }
      })
  }

  private struct ErlangCOptions: Decodable {
    var arrivals_per_hour: Double
    var aht_seconds: Double
    var agents: Int
    var target_seconds: Double?
  }

  private struct ErlangAgentsOptions: Decodable {
    var arrivals_per_hour: Double
    var aht_seconds: Double
    var target_seconds: Double?
    var target_level: Double?
  }

  /// What scripts get from `erlang_c`, in the API's snake case.
  private struct ErlangCReport: Encodable {
    var traffic: Double
    var waiting_probability: Double
    var service_level: Double
    var average_speed_of_answer: Double
    var occupancy: Double

    init(_ queue: Staffing.ErlangC) {
      traffic = queue.traffic
      waiting_probability = queue.waitingProbability
      service_level = queue.serviceLevel
      average_speed_of_answer = queue.averageSpeedOfAnswer
      occupancy = queue.occupancy
    }
  }
}
