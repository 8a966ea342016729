import Dispatch
import Foundation
import Synchronization

extension Array where Element: Sendable {
  /// `map` with the elements spread over every core (`DispatchQueue.concurrentPerform`), results
  /// in the elements' order. The first error in element order is rethrown once all have run.
  /// For a few coarse pieces of CPU work (file parts, calibration sessions): each element should
  /// cost far more than a dispatch.
  public func concurrentMap<Result: Sendable>(
    _ transform: @Sendable (Element) throws -> Result
  ) throws -> [Result] {
    guard count > 1 else { return try map(transform) }
    let results = ConcurrentResults<Result>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
      results.set(index, Swift.Result { try transform(self[index]) })
    }
    return try results.all.map { try $0!.get() }
  }
}

/// Each element's result, filled in concurrently under a lock.
private final class ConcurrentResults<Value: Sendable>: Sendable {
  private let results: Mutex<[Result<Value, any Error>?]>

  init(count: Int) { results = Mutex(Array(repeating: nil, count: count)) }

  func set(_ index: Int, _ result: Result<Value, any Error>) {
    results.withLock { $0[index] = result }
  }

  var all: [Result<Value, any Error>?] { results.withLock { $0 } }
}
