import Synchronization

/// Set once when the task that asked for a run is cancelled; the synchronous stages of the run
/// (the decisions pass between blocks, the evaluation between scorecards) check it and stop.
final class CancellationFlag: Sendable {
  private let cancelled = Atomic<Bool>(false)

  /// Marks the run cancelled (from any thread).
  func cancel() { cancelled.store(true, ordering: .relaxed) }

  /// Whether the run was cancelled.
  var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

  /// Throws `CancellationError` once the run was cancelled.
  func check() throws {
    if isCancelled { throw CancellationError() }
  }
}
