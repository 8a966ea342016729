import CaliperCore
import Testing

@Suite("Concurrent map")
struct ConcurrentMapTests {
  struct Failure: Error, Equatable { var index: Int }

  @Test func keepsTheElementsOrder() throws {
    let input = Array(0..<1_000)
    #expect(try input.concurrentMap { $0 * $0 } == input.map { $0 * $0 })
    #expect(try [Int]().concurrentMap { $0 } == [])
    #expect(try [7].concurrentMap { $0 + 1 } == [8])
  }

  @Test func rethrowsTheFirstErrorInElementOrder() {
    let error = #expect(throws: Failure.self) {
      _ = try Array(0..<64).concurrentMap { index -> Int in
        if index % 10 == 3 { throw Failure(index: index) }
        return index
      }
    }
    #expect(error == Failure(index: 3))
  }
}
