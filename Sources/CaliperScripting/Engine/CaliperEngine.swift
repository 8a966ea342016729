import CaliperCore
import Foundation
import LuaKit
import Synchronization

/// The front door of Caliper for hosts and for the `caliper` command line: packs are read and
/// checked once, and each request runs them on a data source in sandboxed Lua states kept in a
/// pool (one per core by default), under the engine's limits or the request's own. Requests are
/// `async`: they wait for free states without holding a thread, and cancelling the calling
/// `Task` stops a run between blocks of the decisions pass and, inside a script, through the
/// limit machinery. The engine is `Sendable`; concurrent requests share no Lua state.
///
/// ```swift
/// let engine = try await CaliperEngine(packs: [base, jp], options: .init(workers: 2))
/// try engine.register("roster.lookup") { (id: String) -> String? in roster[id] }
/// let report = try await engine.scorecards(on: CSVFolderSource(folder: data))
/// ```
public final class CaliperEngine: Sendable {
  /// How the engine runs scripts.
  public struct Options: Sendable {
    /// Workers of one run: the Lua states it borrows and the cores the decisions pass uses.
    public var workers: Int
    /// The most Lua states the engine keeps (at least ``workers``); requests beyond wait.
    public var poolSize: Int
    /// Memory cap per Lua state, in bytes (a request may set its own).
    public var memoryLimit: Int?
    /// Limits for each block of rows scanned by measures and for each script's evaluation (a
    /// request may set its own).
    public var limits: RunLimits
    /// When set, the engine checks the packs' files this often and reloads them when they
    /// changed (``CaliperEngine/reload()``); a failed reload keeps the packs it had.
    public var reloadCheckInterval: Duration?

    /// Creates options (default: one worker and one state per active core, 512 MB per state,
    /// 120 s, no reloading).
    public init(
      workers: Int = ProcessInfo.processInfo.activeProcessorCount, poolSize: Int? = nil,
      memoryLimit: Int? = 512 << 20, limits: RunLimits = RunLimits(timeout: .seconds(120)),
      reloadCheckInterval: Duration? = nil
    ) {
      self.workers = max(1, workers)
      self.poolSize = max(self.workers, poolSize ?? self.workers)
      self.memoryLimit = memoryLimit
      self.limits = limits
      self.reloadCheckInterval = reloadCheckInterval
    }
  }

  /// How the engine runs scripts.
  public let options: Options
  /// The pack folders given, read again by ``reload()``.
  public let roots: [URL]
  /// The packs and the states compiled from them, swapped whole by a reload.
  private let current: Mutex<PackGeneration>
  /// What the host gives scripts as `caliper.host`, with a version that changes on every edit.
  private let bindings = Mutex<(version: UInt64, bindings: HostBindings)>((0, HostBindings()))
  /// The outcome of the latest reload, by hand or by the file check.
  private let lastReloadOutcome = Mutex<ReloadOutcome?>(nil)
  /// The task that checks the packs' files (``Options/reloadCheckInterval``).
  private let watcher = Mutex<Task<Void, Never>?>(nil)
  /// Loads started: a reload swaps its packs in only if no later load has (two reloads that
  /// overlap end with the newer files).
  private let loadsStarted = Mutex<UInt64>(0)

  /// Reads and checks `packs` (and the packs they extend) once, and compiles their scripts
  /// into the pool's states (a script that fails to compile is reported, as a failed scorecard,
  /// alignment script or curriculum, by every run).
  public init(packs: [URL], options: Options = Options()) async throws {
    // Options is a struct with `var`s: the counts are checked again here, not only in its init.
    var options = options
    options.workers = max(1, options.workers)
    options.poolSize = max(options.workers, options.poolSize)
    self.options = options
    roots = packs
    let generation = try await PackGeneration.load(roots: packs, options: options, sequence: 0)
    current = Mutex(generation)
    if let interval = options.reloadCheckInterval { startWatching(every: interval) }
  }

  deinit {
    watcher.withLock { $0?.cancel() }
  }

  /// The packs given and the bases they extend, as of the latest successful load.
  public var packs: PackSet { current.withLock { $0.packs } }

  /// The outcome of the latest reload (`nil` before the first).
  public var lastReload: ReloadOutcome? { lastReloadOutcome.withLock { $0 } }

  /// Binds a typed Swift function as `caliper.host.<name>` for every later run
  /// (``HostBindings/register(_:_:)``).
  public func register<each Argument: Decodable, Result: Encodable>(
    _ name: String, _ body: @escaping @Sendable (repeat each Argument) throws -> Result
  ) throws {
    try editBindings { try $0.register(name, body) }
  }

  /// Binds read-only data as `caliper.host.<name>` for every later run.
  public func provide(_ name: String, _ value: some Encodable & Sendable) throws {
    try editBindings { try $0.provide(name, value) }
  }

  private func editBindings(_ edit: (inout HostBindings) throws -> Void) throws {
    try bindings.withLock { current in
      var edited = current.bindings
      try edit(&edited)
      current = (current.version + 1, edited)
    }
  }

  /// Reads the packs again and compiles them into new states, then swaps them in at once: runs
  /// under way finish on the packs they started with, later runs get the new ones. A reload
  /// whose manifests or scripts fail keeps the packs the engine had and throws
  /// ``ReloadError`` naming every file and why.
  @discardableResult
  public func reload() async throws -> ReloadOutcome {
    let outcome: ReloadOutcome
    let sequence = loadsStarted.withLock {
      $0 += 1
      return $0
    }
    do {
      let generation = try await PackGeneration.load(roots: roots, options: options, sequence: sequence, strict: true)
      current.withLock { if generation.sequence > $0.sequence { $0 = generation } }
      outcome = ReloadOutcome(succeeded: true, packs: generation.packs.selected.map(\.manifest.name), problems: [])
    } catch let error as ReloadError {
      outcome = ReloadOutcome(succeeded: false, packs: packs.selected.map(\.manifest.name), problems: error.problems)
      lastReloadOutcome.withLock { $0 = outcome }
      throw error
    } catch {
      let failure = ReloadError(problems: ["\(error)"])
      lastReloadOutcome.withLock {
        $0 = ReloadOutcome(succeeded: false, packs: packs.selected.map(\.manifest.name), problems: failure.problems)
      }
      throw failure
    }
    lastReloadOutcome.withLock { $0 = outcome }
    return outcome
  }

  /// Checks the packs' content hashes every `interval` and reloads when one changed.
  private func startWatching(every interval: Duration) {
    let task = Task { [weak self] in
      while !Task.isCancelled {
        try? await Task.sleep(for: interval)
        guard let self, !Task.isCancelled else { return }
        let loaded = self.packs.selected.map(\.contentHash)
        let onDisk = (try? PackSet(roots: self.roots))?.selected.map(\.contentHash)
        if onDisk != loaded, onDisk != self.lastReload?.failedHashes {
          let failed = onDisk
          if (try? await self.reload()) == nil {
            self.lastReloadOutcome.withLock { $0?.failedHashes = failed }
          }
        }
      }
    }
    watcher.withLock { $0 = task }
  }

  /// Lua states the current packs' pool has made (tests check that runs give theirs back).
  var statesMade: Int { current.withLock { $0.hosts.madeCount } }

  /// Runs every scorecard of the packs on `source` and returns the report.
  public func scorecards(
    on source: some DecisionSource, _ request: ScorecardRequest = ScorecardRequest()
  ) async throws -> Report {
    try await run(request) { packs, hosts, options, flag in
      try ScorecardRun(source: source, packs: packs, options: options, request: request, cancellation: flag)
        .report(hosts: &hosts)
    }
  }

  /// Runs every scorecard of the packs on `source` for `period` (`nil`: each scorecard's latest
  /// complete period) with the engine's limits.
  public func scorecards(on source: some DecisionSource, period: String?) async throws -> Report {
    try await scorecards(on: source, ScorecardRequest(period: period))
  }

  /// Runs every alignment script of the packs on `source` and returns the report.
  public func alignment(
    on source: some DecisionSource, _ request: AlignmentRequest = AlignmentRequest()
  ) async throws -> Report {
    try await run(request) { packs, hosts, options, flag in
      try AlignmentRun(
        source: source, packs: packs, hosts: hosts, options: options, request: request, cancellation: flag
      ).report()
    }
  }

  /// Runs every curriculum of the packs on `source`: assignments, schedules and capacity.
  public func curricula(
    on source: some DecisionSource, _ request: CurriculumRequest = CurriculumRequest()
  ) async throws -> Report {
    try await run(request) { packs, hosts, options, flag in
      try CurriculumRun(
        source: source, packs: packs, hosts: hosts, options: options, request: request, cancellation: flag
      ).report()
    }
  }

  /// Lends a run one host per worker from the current packs' pool (waiting for free ones), readies
  /// them (seed, bindings, the request's limits) on the run's own thread, and cancels the run
  /// when the calling task is cancelled (its scripts are interrupted and its stages stop).
  private func run(
    _ request: some RunRequest,
    _ body: @escaping @Sendable (PackSet, inout sending [ScriptHost], Options, CancellationFlag) throws -> Report
  ) async throws -> Report {
    let generation = current.withLock { $0 }
    let bindings = bindings.withLock { $0 }
    var options = options
    if let limits = request.limits { options.limits = limits }
    if let memoryLimit = request.memoryLimit { options.memoryLimit = memoryLimit }
    let flag = CancellationFlag()
    return try await withTaskCancellationHandler { [options] in
      try await generation.hosts.withResources(options.workers, threadName: "caliper-run") { hosts in
        // Before the hosts go back to the pool (when this closure returns or throws).
        defer { flag.finish() }
        for host in hosts {
          try host.prepare(seed: request.seed, bindings: bindings, memoryLimit: request.memoryLimit)
        }
        flag.watch(hosts.map(\.state.interrupter))
        try flag.check()
        return try body(generation.packs, &hosts, options, flag)
      }
    } onCancel: {
      flag.cancel()
    }
  }
}

/// What every request to the engine may set besides its own fields.
public protocol RunRequest: Sendable {
  /// The seed of `math.random` in every state (and of bootstrap resamples).
  var seed: UInt64 { get }
  /// This run's time and instruction limits (default: the engine's).
  var limits: RunLimits? { get }
  /// This run's memory cap per Lua state, in bytes (default: the engine's).
  var memoryLimit: Int? { get }
}

/// What a reload did.
public struct ReloadOutcome: Sendable, Equatable {
  /// Whether the new packs are in use.
  public var succeeded: Bool
  /// The selected packs in use after the reload.
  public var packs: [String]
  /// Why it failed: each file that could not be loaded, with its location and message.
  public var problems: [String]
  /// The content hashes of a failed reload's packs, so a file check does not retry them.
  var failedHashes: [String]?
}

/// A reload that failed; the engine keeps the packs it had.
public struct ReloadError: Error, Sendable, CustomStringConvertible {
  /// Each file that could not be loaded, with its location and message.
  public var problems: [String]

  /// The problems, one per line.
  public var description: String {
    "reload failed, the previous packs stay in use:\n" + problems.map { "  " + $0 }.joined(separator: "\n")
  }
}
