import CaliperCore
import Foundation
import LuaKit

/// What a scorecard run asks for besides the data.
public struct ScorecardRequest: Sendable {
  /// The period the tables show (default: each scorecard's latest).
  public var period: String?
  /// The seed of `math.random` in every state.
  public var seed: UInt64
  /// Progress of the decisions pass: (bytes done, bytes in all).
  public var progress: (@Sendable (Int, Int) -> Void)?

  /// Creates a request.
  public init(period: String? = nil, seed: UInt64 = 0, progress: (@Sendable (Int, Int) -> Void)? = nil) {
    self.period = period
    self.seed = seed
    self.progress = progress
  }
}

/// The front door of Caliper for hosts and for the `caliper` command line: packs are read and
/// checked once, and each request runs them on a data source in sandboxed Lua states, one per
/// worker, under the engine's limits. Requests are `async`: cancelling the calling `Task` stops
/// a run between blocks of the decisions pass and, inside a script, through the limit
/// machinery. The engine is `Sendable`; concurrent requests share no Lua state.
public final class CaliperEngine: Sendable {
  /// How the engine runs scripts.
  public struct Options: Sendable {
    /// Workers: Lua states per run and cores the decisions pass uses.
    public var workers: Int
    /// Memory cap per Lua state, in bytes.
    public var memoryLimit: Int?
    /// Limits for each block of rows scanned by measures and for each scorecard's evaluation.
    public var limits: RunLimits

    /// Creates options (default: one worker per active core, 512 MB per state, 120 s).
    public init(
      workers: Int = ProcessInfo.processInfo.activeProcessorCount, memoryLimit: Int? = 512 << 20,
      limits: RunLimits = RunLimits(timeout: .seconds(120))
    ) {
      self.workers = workers
      self.memoryLimit = memoryLimit
      self.limits = limits
    }
  }

  /// The packs given and the bases they extend, read once.
  public let packs: PackSet
  /// How scripts run.
  public let options: Options
  /// Lua states with every pack's scripts compiled, lent to one run at a time.
  private let hosts: LuaResourcePool<ScriptHost>

  /// Reads and checks `packs` (and the packs they extend) once, and compiles their scripts
  /// into the first set of states (a script that fails to compile is reported, as a failed
  /// scorecard, by every run).
  public init(packs: [URL], options: Options = Options()) throws {
    let packSet = try PackSet(roots: packs)
    self.packs = packSet
    self.options = options
    let memoryLimit = options.memoryLimit
    hosts = LuaResourcePool(capacity: max(1, options.workers)) {
      try ScriptHost(packs: packSet, memoryLimit: memoryLimit)
    }
    try hosts.withResources(max(1, options.workers)) { _ in }
  }

  /// Runs every scorecard of the packs on `source` and returns the report.
  public func scorecards(
    on source: some DecisionSource, _ request: ScorecardRequest = ScorecardRequest()
  )
    async throws -> Report
  {
    try await run { [packs, options] hosts, flag in
      try ScorecardRun(
        source: source, packs: packs, hosts: hosts, options: options, request: request, cancellation: flag
      ).report()
    }
  }

  /// Runs every alignment script of the packs on `source` and returns the report.
  public func alignment(
    on source: some DecisionSource, _ request: AlignmentRequest = AlignmentRequest()
  ) async throws -> Report {
    try await run { [packs, options] hosts, flag in
      try AlignmentRun(
        source: source, packs: packs, hosts: hosts, options: options, request: request, cancellation: flag
      ).report()
    }
  }

  /// Runs every curriculum of the packs on `source`: assignments, schedules and capacity.
  public func curricula(
    on source: some DecisionSource, _ request: CurriculumRequest = CurriculumRequest()
  ) async throws -> Report {
    try await run { [packs, options] hosts, flag in
      try CurriculumRun(
        source: source, packs: packs, hosts: hosts, options: options, request: request, cancellation: flag
      ).report()
    }
  }

  /// Lends a run one host per worker, off the cooperative pool, and cancels it when the
  /// calling task is cancelled (its scripts are interrupted and its stages stop).
  private func run(
    _ body: @escaping @Sendable ([ScriptHost], CancellationFlag) throws -> Report
  ) async throws -> Report {
    let flag = CancellationFlag()
    let (hosts, workers) = (hosts, max(1, options.workers))
    return try await withTaskCancellationHandler {
      try await Self.offThePool {
        try hosts.withResources(workers) { borrowed in try body(borrowed, flag) }
      }
    } onCancel: {
      flag.cancel()
    }
  }

  /// Runs a run's blocking work (file reads, the pass, scripts) on a thread of its own, so that
  /// it never holds one of the few threads of Swift's cooperative pool for seconds: other tasks
  /// of the host (request handlers, timers, a cancellation) keep running meanwhile.
  private static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      let thread = Thread { continuation.resume(with: Result { try work() }) }
      thread.name = "caliper-run"
      thread.start()
    }
  }
}
