import Foundation

/// Queueing formulas for staffing a moderation queue (reference: pyworkforce `ErlangC`).
/// Erlang B is computed by its recursion, never by factorials, so large agent counts neither
/// overflow nor lose precision.
public enum Staffing {
  /// What `agents` reach on a queue under Erlang C.
  public struct ErlangC: Sendable, Equatable, Codable {
    /// Offered traffic in erlangs (arrivals per second × handle time).
    public var traffic: Double
    /// Probability that an arrival waits at all.
    public var waitingProbability: Double
    /// Share of arrivals answered within the target time.
    public var serviceLevel: Double
    /// Mean wait in seconds.
    public var averageSpeedOfAnswer: Double
    /// Share of agent time spent handling.
    public var occupancy: Double
  }

  /// The most agents (and erlangs of traffic) the formulas accept: the recursion is linear in
  /// agents, so this bounds a call at a few milliseconds.
  public static let maximumAgents = 1_000_000

  /// Erlang C for `agents` serving `arrivalsPerHour` arrivals of mean handle time
  /// `ahtSeconds`, with the service level at `targetSeconds`. Undefined when the agents cannot
  /// keep up (traffic ≥ agents): the queue then grows without bound.
  public static func erlangC(
    arrivalsPerHour: Double, ahtSeconds: Double, agents: Int, targetSeconds: Double
  ) throws -> StatResult<ErlangC> {
    let traffic = try checkedTraffic(arrivalsPerHour, ahtSeconds, function: "erlang_c")
    guard agents >= 1, agents <= maximumAgents else {
      throw StatisticsError("erlang_c", "agents", "must lie in [1, \(maximumAgents)] (got \(agents))")
    }
    try checkTarget(targetSeconds, function: "erlang_c")
    return evaluate(
      traffic: traffic, erlangB: erlangB(traffic: traffic, agents: agents), agents: agents,
      ahtSeconds: ahtSeconds, targetSeconds: targetSeconds)
  }

  /// The fewest agents whose Erlang C service level reaches `targetLevel`.
  public static func erlangAgents(
    arrivalsPerHour: Double, ahtSeconds: Double, targetSeconds: Double, targetLevel: Double
  ) throws -> StatResult<Int> {
    let traffic = try checkedTraffic(arrivalsPerHour, ahtSeconds, function: "erlang_agents")
    try checkTarget(targetSeconds, function: "erlang_agents")
    guard targetLevel > 0, targetLevel < 1 else {
      throw StatisticsError("erlang_agents", "target_level", "must lie in (0, 1) (got \(targetLevel))")
    }
    guard traffic > 0 else { return .defined(0) }
    var agents = Int(traffic.rounded(.down)) + 1
    var blocking = erlangB(traffic: traffic, agents: agents)
    while agents <= maximumAgents {
      if let reached = evaluate(
        traffic: traffic, erlangB: blocking, agents: agents, ahtSeconds: ahtSeconds, targetSeconds: targetSeconds
      ).value, reached.serviceLevel >= targetLevel {
        return .defined(agents)
      }
      agents += 1
      blocking = traffic * blocking / (Double(agents) + traffic * blocking)
    }
    return .undefined(reason: "more than \(maximumAgents) agents would be needed")
  }

  /// Erlang B blocking probability by the recursion B(k) = A·B(k−1) / (k + A·B(k−1)).
  static func erlangB(traffic: Double, agents: Int) -> Double {
    var blocking = 1.0
    guard agents > 0 else { return blocking }
    for k in 1...agents { blocking = traffic * blocking / (Double(k) + traffic * blocking) }
    return blocking
  }

  private static func evaluate(
    traffic: Double, erlangB: Double, agents: Int, ahtSeconds: Double, targetSeconds: Double
  ) -> StatResult<ErlangC> {
    let n = Double(agents)
    guard traffic > 0 else {
      return .defined(
        ErlangC(traffic: 0, waitingProbability: 0, serviceLevel: 1, averageSpeedOfAnswer: 0, occupancy: 0))
    }
    guard traffic < n else {
      return .undefined(
        reason:
          "the staff cannot keep up: \(String(format: "%.2f", traffic)) erlangs of traffic need more than \(agents) agents"
      )
    }
    let waiting = n * erlangB / (n - traffic * (1 - erlangB))
    let level = max(0, 1 - waiting * exp(-(n - traffic) * targetSeconds / ahtSeconds))
    return .defined(
      ErlangC(
        traffic: traffic, waitingProbability: waiting, serviceLevel: level,
        averageSpeedOfAnswer: waiting * ahtSeconds / (n - traffic), occupancy: traffic / n))
  }

  private static func checkedTraffic(_ arrivalsPerHour: Double, _ ahtSeconds: Double, function: String) throws -> Double
  {
    guard arrivalsPerHour.isFinite, arrivalsPerHour >= 0 else {
      throw StatisticsError(function, "arrivals_per_hour", "must be a finite number ≥ 0 (got \(arrivalsPerHour))")
    }
    guard ahtSeconds.isFinite, ahtSeconds > 0 else {
      throw StatisticsError(function, "aht_seconds", "must be a finite number > 0 (got \(ahtSeconds))")
    }
    let traffic = arrivalsPerHour * ahtSeconds / 3600
    guard traffic <= Double(maximumAgents) else {
      throw StatisticsError(
        function, "arrivals_per_hour", "gives \(traffic) erlangs of traffic; at most \(maximumAgents) are supported")
    }
    return traffic
  }

  private static func checkTarget(_ targetSeconds: Double, function: String) throws {
    guard targetSeconds.isFinite, targetSeconds >= 0 else {
      throw StatisticsError(function, "target_seconds", "must be a finite number ≥ 0 (got \(targetSeconds))")
    }
  }
}
