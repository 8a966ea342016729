import Dispatch
import Testing

@testable import CaliperCore

@Suite("Worker slots")
struct WorkerSlotsTests {
  final class Counter {
    var value = 0
  }

  @Test func eachWorkerMutatesItsOwnSlot() {
    let slots = WorkerSlots((0..<4).map { _ in Counter() })
    DispatchQueue.concurrentPerform(iterations: 4) { index in
      for _ in 0..<10_000 { slots.withSlot(index) { $0.value += index + 1 } }
    }
    #expect(slots.all.map(\.value) == [10_000, 20_000, 30_000, 40_000])
  }

  @Test func aSlotTakenTwiceAtOnceTraps() async {
    await #expect(processExitsWith: .failure) {
      let slots = WorkerSlots([0])
      slots.withSlot(0) { _ in slots.withSlot(0) { $0 += 1 } }
    }
  }

  @Test func readingTheSlotsWhileOneIsInUseTraps() async {
    await #expect(processExitsWith: .failure) {
      let slots = WorkerSlots([0, 1])
      slots.withSlot(1) { _ in _ = slots.all }
    }
  }
}
