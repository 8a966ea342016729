import CaliperCore
import Foundation
import Synchronization
import Testing

@Suite("Ordered concurrent map")
struct OrderedConcurrentMapTests {
  struct Failure: Error, Equatable { var index: Int }

  @Test(arguments: [1, 2, 3, 8])
  func handsResultsOverInOrder(workers: Int) {
    let input = Array(0..<500)
    var consumed: [Int] = []
    input.concurrentlyMapped(workers: workers) { value in
      // Uneven work, so that later elements are often ready first.
      var sum = 0
      for step in 0..<(value % 7) * 2_000 { sum &+= step }
      return value * value + (sum & 0)
    } consume: {
      consumed.append($0)
      return true
    }
    #expect(consumed == input.map { $0 * $0 })
    var none: [Int] = []
    [Int]().concurrentlyMapped(workers: workers, { $0 }) {
      none.append($0)
      return true
    }
    #expect(none.isEmpty)
  }

  /// While the first result is consumed, other threads go on transforming later elements.
  @Test func consumingOverlapsTheTransformingOfLaterElements() {
    let transformed = Atomic<Int>(0)
    var seenWhileConsumingFirst = 0
    Array(0..<8).concurrentlyMapped(workers: 2) { value in
      transformed.add(1, ordering: .sequentiallyConsistent)
      return value
    } consume: { value in
      if value == 0 {
        let deadline = ContinuousClock.now + .seconds(10)
        while transformed.load(ordering: .sequentiallyConsistent) < 2, ContinuousClock.now < deadline {
          usleep(100)
        }
        seenWhileConsumingFirst = transformed.load(ordering: .sequentiallyConsistent)
      }
      return true
    }
    #expect(seenWhileConsumingFirst >= 2)
    #expect(transformed.load(ordering: .sequentiallyConsistent) == 8)
  }

  /// `consume` returning false stops the map: nothing after is consumed, and when it returns
  /// no thread it started is still transforming.
  @Test(arguments: [1, 2, 4])
  func stopsWhenConsumeSaysSoAndReturnsOnlyOnceEveryThreadIsDone(workers: Int) {
    let active = Atomic<Int>(0)
    let transformed = Atomic<Int>(0)
    var consumed: [Int] = []
    Array(0..<1_000).concurrentlyMapped(workers: workers) { value in
      active.add(1, ordering: .sequentiallyConsistent)
      usleep(50)
      transformed.add(1, ordering: .sequentiallyConsistent)
      active.subtract(1, ordering: .sequentiallyConsistent)
      return value
    } consume: {
      consumed.append($0)
      return $0 < 10
    }
    #expect(consumed == Array(0...10))
    #expect(active.load(ordering: .sequentiallyConsistent) == 0)
    let done = transformed.load(ordering: .sequentiallyConsistent)
    #expect(done < 1_000, "later elements are not transformed once stopped")
    usleep(20_000)
    #expect(transformed.load(ordering: .sequentiallyConsistent) == done)
  }

  @Test(arguments: [1, 3])
  func rethrowsTheConsumersErrorOnceEveryThreadIsDone(workers: Int) {
    let active = Atomic<Int>(0)
    let error = #expect(throws: Failure.self) {
      try Array(0..<200).concurrentlyMapped(workers: workers) { value in
        active.add(1, ordering: .sequentiallyConsistent)
        usleep(20)
        active.subtract(1, ordering: .sequentiallyConsistent)
        return value
      } consume: { value in
        if value == 5 { throw Failure(index: value) }
        return true
      }
    }
    #expect(error == Failure(index: 5))
    #expect(active.load(ordering: .sequentiallyConsistent) == 0)
  }
}
