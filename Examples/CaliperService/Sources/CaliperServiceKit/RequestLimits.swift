import CaliperCore
import Hummingbird
import LuaKit

/// What a scorecard request asks for in its query: `period`, and limits of its own (`timeout` in
/// seconds, `memory_mb` per Lua state, `instructions`), each checked with a clear 400.
struct ScorecardQuery: Sendable {
  var period: String?
  var limits: RunLimits?
  var memoryLimit: Int?

  /// Whether the request sets no limits of its own (and so may use the cache).
  var usesDefaults: Bool { limits == nil && memoryLimit == nil }

  /// The latest period, the service's limits.
  static let defaults = ScorecardQuery()

  private init() {}

  init(_ request: Request, configuration: ServiceConfiguration) throws(ServiceError) {
    let query = request.uri.queryParameters
    if let period = query.get("period") {
      guard PeriodGrain.allCases.contains(where: { $0.matches(period) }) else {
        throw ServiceError(
          .badRequest, "period: expected a period like 2026-W27, 2026-07-01 or 2026-07, got \"\(period)\"")
      }
      self.period = period
    }
    let maximum = Double(configuration.maximumTimeout.components.seconds)
    var limits = configuration.engine.limits
    var custom = false
    if let text = query.get("timeout") {
      guard let seconds = Double(text), seconds > 0, seconds <= maximum else {
        throw ServiceError(
          .badRequest, "timeout: expected seconds above 0 and at most \(Int(maximum)), got \"\(text)\"")
      }
      limits.timeout = .milliseconds(Int64(seconds * 1000))
      custom = true
    }
    if let text = query.get("instructions") {
      guard let count = Int(text), count > 0 else {
        throw ServiceError(.badRequest, "instructions: expected a whole number above 0, got \"\(text)\"")
      }
      limits.instructions = count
      custom = true
    }
    if custom { self.limits = limits }
    if let text = query.get("memory_mb") {
      let maximumMB = configuration.maximumMemory >> 20
      guard let megabytes = Int(text), megabytes > 0, megabytes <= maximumMB else {
        throw ServiceError(
          .badRequest, "memory_mb: expected megabytes above 0 and at most \(maximumMB), got \"\(text)\"")
      }
      memoryLimit = megabytes << 20
    }
  }
}
