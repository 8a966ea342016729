import Dispatch
import Testing

@testable import CaliperCore

@Suite("Worker slots")
struct WorkerSlotsTests {
  final class Counter {
    var value = 0
  }

  @Test func eachWorkerMutatesItsOwnSlot() {
    let slots = WorkerSlots(count: 4) { _ in Counter() }
    DispatchQueue.concurrentPerform(iterations: 4) { index in
      for _ in 0..<10_000 { slots.withSlot(index) { $0.value += index + 1 } }
    }
    #expect(slots.takeAll().map(\.value) == [10_000, 20_000, 30_000, 40_000])
  }

  @Test func threadsAskingForOneSlotTakeTurns() {
    let slots = WorkerSlots(count: 1) { _ in Counter() }
    DispatchQueue.concurrentPerform(iterations: 8) { _ in
      for _ in 0..<5_000 { slots.withSlot(0) { $0.value += 1 } }
    }
    #expect(slots.takeAll().map(\.value) == [40_000])
  }

  @Test func aThrowingBodyLeavesItsValueInTheSlot() {
    struct Failure: Error {}
    let slots = WorkerSlots(count: 2) { Counter(value: $0) }
    #expect(throws: Failure.self) {
      try slots.withSlot(1) { counter in
        counter.value += 10
        throw Failure()
      }
    }
    #expect(slots.takeAll().map(\.value) == [0, 11])
  }

  @Test func aSlotTakenTwiceAtOnceTraps() async {
    await #expect(processExitsWith: .failure) {
      let slots = WorkerSlots(count: 1) { _ in 0 }
      slots.withSlot(0) { _ in slots.withSlot(0) { $0 += 1 } }
    }
  }

  @Test func takingTheValuesWhileOneIsInUseTraps() async {
    await #expect(processExitsWith: .failure) {
      let slots = WorkerSlots(count: 2) { $0 }
      slots.withSlot(1) { _ in _ = slots.takeAll() }
    }
  }

  @Test func aSlotUsedAfterItsValuesWereTakenTraps() async {
    await #expect(processExitsWith: .failure) {
      let slots = WorkerSlots(count: 2) { $0 }
      _ = slots.takeAll()
      slots.withSlot(0) { $0 += 1 }
    }
  }
}

extension WorkerSlotsTests.Counter {
  convenience init(value: Int) {
    self.init()
    self.value = value
  }
}
