import Dispatch
import Foundation
import Synchronization

extension Array where Element: Sendable {
  /// Transforms the elements on up to `workers` threads and hands the results to `consume` on
  /// the calling thread, in element order, each as soon as it and every one before it are
  /// ready: consuming a result overlaps the transforming of later elements, and the calling
  /// thread transforms elements itself while the result it waits for is not ready. So a
  /// serial reduction of the results (interning the ids of audits in file order) no longer
  /// waits for the last element to be transformed. `consume` returning `false` stops: no later
  /// element is transformed or consumed. Returns once every thread it started is done (an
  /// error from `consume` is rethrown then too).
  ///
  /// For coarse pieces of CPU work (file parts): each element should cost far more than a
  /// hand-over; more elements than workers let the consuming thread keep up.
  public func concurrentlyMapped<Result: Sendable>(
    workers: Int, _ transform: @Sendable (Element) -> Result, consume: (Result) throws -> Bool
  ) rethrows {
    guard !isEmpty else { return }
    let board = OrderedResults<Result>(count: count)
    let helpers = Swift.min(Swift.max(0, workers - 1), count - 1)
    try withoutActuallyEscaping(transform) { transform in
      let helping = Helping(transform, self, board)
      let finished = DispatchGroup()
      for _ in 0..<helpers {
        finished.enter()
        Thread.detachNewThread {
          helping.work()
          finished.leave()
        }
      }
      // The helpers use `transform` until they are done: wait for them however this returns,
      // then drop the last reference a thread may still hold.
      defer {
        board.stop()
        finished.wait()
        helping.transform.withLock { $0 = nil }
      }
      for index in indices {
        let result: Result
        wait: while true {
          switch board.next(index) {
          case .ready(let ready):
            result = ready
            break wait
          case .transform(let other): board.deliver(other, transform(self[other]))
          }
        }
        guard try consume(result) else { return }
      }
    }
  }
}

/// What a helper thread of ``Swift/Array/concurrentlyMapped(workers:_:consume:)`` works
/// with: `transform` is set before the helpers start and cleared after they are all done
/// (`withoutActuallyEscaping` checks that nothing kept it).
private final class Helping<Element: Sendable, Result: Sendable>: Sendable {
  let transform: Mutex<(@Sendable (Element) -> Result)?>
  private let elements: [Element]
  private let board: OrderedResults<Result>

  init(_ transform: @escaping @Sendable (Element) -> Result, _ elements: [Element], _ board: OrderedResults<Result>) {
    self.transform = Mutex(transform)
    self.elements = elements
    self.board = board
  }

  /// Transforms elements nobody claimed yet until none is left or the map stops.
  func work() {
    guard let transform = transform.withLock({ $0 }) else { return }
    while let index = board.claim() { board.deliver(index, transform(elements[index])) }
  }
}

/// The hand-over board of ``Swift/Array/concurrentlyMapped(workers:_:consume:)``: which
/// elements are claimed, and the results not consumed yet.
private final class OrderedResults<Result: Sendable>: Sendable {
  /// What the consuming thread does next.
  enum Next {
    /// The result it waits for, taken off the board.
    case ready(Result)
    /// Transform the element with this index (it claimed it) while its result is not ready.
    case transform(Int)
  }

  private struct Board {
    var results: [Result?]
    var claimed = 0
    var stopped = false

    mutating func claim() -> Int? {
      guard !stopped, claimed < results.count else { return nil }
      defer { claimed += 1 }
      return claimed
    }
  }

  private let board: Mutex<Board>
  /// Signalled at every delivery: the consuming thread, waiting for a result, looks again.
  private let delivered = DispatchSemaphore(value: 0)

  init(count: Int) { board = Mutex(Board(results: Array(repeating: nil, count: count))) }

  /// The next element nobody claimed yet, claimed; `nil` when none is left or the map stopped.
  func claim() -> Int? { board.withLock { $0.claim() } }

  /// Puts the result of the element `index` on the board.
  func deliver(_ index: Int, _ result: Result) {
    board.withLock { $0.results[index] = result }
    delivered.signal()
  }

  /// The result of element `index` once it is ready; or, while it is not, an element to
  /// transform meanwhile; or, with none left to claim, waits for a delivery.
  func next(_ index: Int) -> Next {
    while true {
      let next = board.withLock { board -> Next? in
        if let result = board.results[index] {
          board.results[index] = nil  // consumed: the board keeps no copy
          return .ready(result)
        }
        return board.claim().map(Next.transform)
      }
      if let next { return next }
      delivered.wait()
    }
  }

  /// Nothing more is claimed.
  func stop() { board.withLock { $0.stopped = true } }
}
