import CLua
import Dispatch
import Synchronization

/// The outcome of a run: the body's result or error, and what the run used either way.
public struct RunReport<Value> {
  /// The value the body returned, or the error that stopped it.
  public var result: Result<Value, any Error>
  /// Wall time, peak memory and (with a budget) instructions.
  public var usage: RunUsage

  /// The value, or the error rethrown.
  public func get() throws -> Value { try result.get() }
}

extension LuaState {
  /// Runs `body` (which calls into Lua) under `limits` and reports its usage.
  ///
  /// The instruction budget installs a count hook for the run. The deadline does not: a
  /// watchdog arms the hook on the running threads when it passes, so code that finishes in
  /// time runs at full speed. Once a limit trips, every Lua instruction raises it again, so
  /// `pcall`, `xpcall` or `coroutine.resume` cannot swallow it.
  public func run<T>(limits: RunLimits = RunLimits(), _ body: () throws -> T) -> RunReport<T> {
    run(limits: limits, onStart: { _ in }, body)
  }

  /// Like ``run(limits:_:)``, and cancelling the surrounding `Task` stops the script with
  /// ``LuaError/Limit/cancelled``.
  public nonisolated(nonsending) func run<T>(
    limits: RunLimits = RunLimits(), _ body: () throws -> T
  ) async -> RunReport<T> {
    let controller = handle.controller
    let generation = Mutex<UInt64?>(nil)
    return await withTaskCancellationHandler {
      run(
        limits: limits,
        onStart: { current in
          generation.withLock { $0 = current }
          if Task.isCancelled { controller.trip(Int32(CLUA_TRIP_CANCELLED), generation: current) }
        }, body)
    } onCancel: {
      if let current = generation.withLock({ $0 }) {
        controller.trip(Int32(CLUA_TRIP_CANCELLED), generation: current)
      }
    }
  }

  private func run<T>(limits: RunLimits, onStart: (UInt64) -> Void, _ body: () throws -> T) -> RunReport<T> {
    guard let L = try? handle.L else {
      return RunReport(
        result: .failure(LuaError(.closed, "the Lua state is closed")),
        usage: RunUsage(wallTime: .zero, peakMemoryBytes: 0, instructions: nil))
    }
    let accounting = handle.limits
    let controller = handle.controller
    let generation = controller.beginRun()
    let budget = limits.instructions.map { Int64(max(1, $0)) } ?? 0
    accounting.pointee.instruction_budget = budget
    accounting.pointee.instructions_counted = 0
    accounting.pointee.memory_peak = accounting.pointee.memory_used
    accounting.pointee.refused_allocations = 0
    clua_set_budget_hook(L, budget > 0 ? 1 : 0)

    var watchdog: DispatchWorkItem?
    if let timeout = limits.timeout {
      let item = DispatchWorkItem { controller.trip(Int32(CLUA_TRIP_DEADLINE), generation: generation) }
      let nanoseconds =
        max(0, timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
      controller.watchdogQueue.asyncAfter(
        deadline: .now() + .nanoseconds(Int(clamping: nanoseconds)), execute: item)
      watchdog = item
    }
    onStart(generation)
    let clock = ContinuousClock()
    let start = clock.now
    var result = Result { try body() }
    let elapsed = clock.now - start
    watchdog?.cancel()
    controller.endRun()
    var alreadyALimit = false
    if case .failure(let error as LuaError) = result, error.limit != nil { alreadyALimit = true }
    if clua_limits_tripped(accounting) == CLUA_TRIP_MEMORY, !alreadyALimit {
      // The cap refused memory during the run: it ends as a memory limit, even if the script
      // caught the error and went on (no limit can be swallowed).
      result = .failure(LuaError(.limitExceeded(.memory), LuaError.Limit.memory.explanation))
    }
    clua_set_budget_hook(L, 0)
    accounting.pointee.instruction_budget = 0
    clua_limits_reset(accounting)
    let usage = RunUsage(
      wallTime: elapsed,
      peakMemoryBytes: Int(accounting.pointee.memory_peak),
      instructions: budget > 0 ? Int(accounting.pointee.instructions_counted) : nil)
    return RunReport(result: result, usage: usage)
  }

  /// A read-only view of `table` as scripts see host libraries (assignments, `rawset` and
  /// `setmetatable` fail naming `name`); the table itself when the state is unsandboxed.
  public func readOnlyView(of table: LuaTable, name: String) throws -> LuaTable {
    try sandbox?.freeze(table, name: name) ?? table
  }

  /// A read-only deep copy of `table` for data a host hands scripts: every nested table is
  /// copied and frozen too, so no path from the result reaches a table a script could change
  /// (and later changes to `table` do not show). The table itself when the state is unsandboxed.
  public func readOnlyCopy(of table: LuaTable, name: String) throws -> LuaTable {
    try sandbox?.freezeCopy(table, name: name) ?? table
  }

  /// Offers a module to `require` in every environment of this state, ahead of pack files.
  public func registerModule(_ name: String, loader: @escaping HostModule) {
    hostModules[name] = loader
  }
}
