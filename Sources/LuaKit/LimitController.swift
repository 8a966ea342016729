import CLua
import Dispatch
import Synchronization

/// The thread-safe side of a state's run limits: a watchdog or a cancellation handler on
/// another thread trips a limit here, and the controller arms the Lua threads that are running.
///
/// Arming uses `lua_sethook`, which the Lua manual documents as safe to call asynchronously.
/// The threads that may be executing are the main thread and the coroutines that a tracked
/// `coroutine.resume` has entered and not yet left; the list is kept under a mutex so a thread
/// is never armed after its resume returned (it may be collected after that).
final class LimitController: Sendable {
  /// Pointers are plain addresses here; they are only dereferenced by Lua under `state`.
  private struct Shared: @unchecked Sendable {
    var limits: UnsafeMutablePointer<clua_limits>
    var running: [OpaquePointer]
    var inRun = false
    var generation: UInt64 = 0
  }

  private let state: Mutex<Shared>
  /// Where deadlines fire. A private serial queue is served by an overcommitting thread, so the
  /// watchdog runs even when every core is busy with scripts (a deadline on the shared global
  /// queue could wait forever behind the very loops it has to stop).
  let watchdogQueue = DispatchQueue(label: "LuaKit.watchdog")

  init(limits: UnsafeMutablePointer<clua_limits>, mainThread: OpaquePointer) {
    state = Mutex(Shared(limits: limits, running: [mainThread]))
  }

  /// Marks the start of a top-level run and returns its generation.
  func beginRun() -> UInt64 {
    state.withLock { shared in
      shared.inRun = true
      shared.generation &+= 1
      clua_limits_reset(shared.limits)
      shared.limits.pointee.in_run = 1
      return shared.generation
    }
  }

  /// Marks the end of the run: later trips for it are ignored.
  func endRun() {
    state.withLock { shared in
      shared.inRun = false
      shared.generation &+= 1
      shared.limits.pointee.in_run = 0
    }
  }

  /// Trips `reason` for run `generation` (if it is still the current run) and arms the threads.
  func trip(_ reason: Int32, generation: UInt64) {
    state.withLock { shared in
      guard shared.inRun, shared.generation == generation else { return }
      clua_limits_trip(shared.limits, reason)
      for thread in shared.running { clua_arm(thread) }
    }
  }

  /// Trips `reason` for whatever run is in progress (none: nothing happens).
  func tripCurrentRun(_ reason: Int32) {
    state.withLock { shared in
      guard shared.inRun else { return }
      clua_limits_trip(shared.limits, reason)
      for thread in shared.running { clua_arm(thread) }
    }
  }

  /// Records that `thread` is about to run inside a resume.
  func enter(_ thread: OpaquePointer) {
    state.withLock { shared in
      shared.running.append(thread)
      if clua_limits_tripped(shared.limits) != CLUA_TRIP_NONE { clua_arm(thread) }
    }
  }

  /// Records that `thread`'s resume returned.
  func leave(_ thread: OpaquePointer) {
    state.withLock { shared in
      if let index = shared.running.lastIndex(of: thread) { shared.running.remove(at: index) }
    }
  }

  /// Maps a `CLUA_TRIP_*` code to the public limit.
  static func limit(forTrip code: Int) -> LuaError.Limit {
    switch Int32(code) {
    case Int32(CLUA_TRIP_INSTRUCTIONS): .instructions
    case Int32(CLUA_TRIP_CANCELLED): .cancelled
    case Int32(CLUA_TRIP_MEMORY): .memory
    default: .time
    }
  }
}
