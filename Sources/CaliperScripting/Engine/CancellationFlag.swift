import LuaKit
import Synchronization

/// Set once when the task that asked for a run is cancelled. Setting it interrupts the script
/// that the run's states are running, and the run's stages (blocks of the decisions pass,
/// scorecards) check it before they start.
final class CancellationFlag: Sendable {
  private let state = Mutex<(cancelled: Bool, interrupters: [LuaInterrupter])>((false, []))

  /// Marks the run cancelled and stops the scripts running (from any thread).
  func cancel() {
    let interrupters = state.withLock { state in
      state.cancelled = true
      return state.interrupters
    }
    for interrupter in interrupters { interrupter.interrupt() }
  }

  /// Adds the states whose scripts a cancellation stops.
  func watch(_ interrupters: [LuaInterrupter]) {
    let cancelled = state.withLock { state in
      state.interrupters += interrupters
      return state.cancelled
    }
    if cancelled { for interrupter in interrupters { interrupter.interrupt() } }
  }

  /// Forgets the states: the run is over and they go back to the pool, where a cancel that
  /// comes late must not stop the next run using them.
  func finish() {
    state.withLock { $0.interrupters = [] }
  }

  /// Whether the run was cancelled.
  var isCancelled: Bool { state.withLock { $0.cancelled } }

  /// Throws `CancellationError` once the run was cancelled.
  func check() throws {
    if isCancelled { throw CancellationError() }
  }
}
