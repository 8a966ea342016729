import Foundation
import Synchronization
import Testing

@testable import LuaKit

/// How many states a pool made.
final class MadeCount: Sendable {
  private let count = Mutex(0)
  func add() { count.withLock { $0 += 1 } }
  var value: Int { count.withLock { $0 } }
}

@Suite("Resource pool")
struct ResourcePoolTests {
  /// A state with a counter in its globals: reuse shows as a counter that keeps counting.
  static func makePool(capacity: Int, made: MadeCount) -> LuaResourcePool<LuaState> {
    LuaResourcePool(capacity: capacity) {
      made.add()
      let state = try LuaState()
      _ = try state.execute("n = 0", name: "=init")
      return state
    }
  }

  static func bump(_ state: LuaState) throws -> Int {
    guard case .integer(let n)? = try state.execute("n = n + 1 return n", name: "=bump").first else { return -1 }
    return Int(n)
  }

  @Test func idleStatesAreReusedAndNewOnesMadeOnlyWhenNeeded() async throws {
    let made = MadeCount()
    let pool = Self.makePool(capacity: 3, made: made)
    let first = try await pool.withResources(2) { states in try states.map(Self.bump) }
    #expect(first == [1, 1])
    let second = try await pool.withResources(2) { states in try states.map(Self.bump).sorted() }
    #expect(second == [2, 2])
    #expect(made.value == 2)
    _ = try await pool.withResources(3) { states in try states.map(Self.bump) }
    #expect(made.value == 3)
    #expect(pool.idleCount == 3 && pool.liveCount == 3)
    await #expect(throws: LuaError.self) { try await pool.withResources(4) { _ in 0 } }
  }

  @Test func missingResourcesAreMadeAtOnceAndAFailedMakeFreesEveryPlace() async throws {
    // Each make waits until both makes are under way: made one after the other, the first
    // would wait in vain and throw.
    let inside = Mutex(0)
    let pool = LuaResourcePool<LuaState>(capacity: 3) {
      let me = inside.withLock {
        $0 += 1
        return $0
      }
      let deadline = ContinuousClock.now + .seconds(20)
      while inside.withLock({ $0 }) < 2 {
        guard ContinuousClock.now < deadline else { throw LuaError(.runtime, "make \(me) waited alone") }
        Thread.sleep(forTimeInterval: 0.001)
      }
      if me == 3 { throw LuaError(.runtime, "the third make fails") }
      return try LuaState()
    }
    let states = try await pool.withResources(2) { states in states.count }
    #expect(states == 2)
    #expect(pool.madeCount == 2 && pool.liveCount == 2)
    // Two idle, one to make (alone: no waiting), which fails: the idle ones stay, its place frees.
    await #expect(throws: LuaError.self) { try await pool.withResources(3) { _ in 0 } }
    #expect(pool.idleCount == 2 && pool.liveCount == 2)
  }

  @Test func resourcesLentToAFailedBodyAreDropped() async throws {
    let made = MadeCount()
    let pool = Self.makePool(capacity: 4, made: made)
    struct Failure: Error {}
    await #expect(throws: Failure.self) {
      try await pool.withResources(2) { states in
        _ = try states.map(Self.bump)
        throw Failure()
      }
    }
    #expect(pool.idleCount == 0 && pool.liveCount == 0)
    let counts = try await pool.withResources(1) { states in try states.map(Self.bump) }
    #expect(counts == [1])
    #expect(made.value == 3)
  }

  @Test func concurrentBorrowersNeverShareAStateNorMakeMoreThanTheCapacity() async throws {
    let made = MadeCount()
    let pool = Self.makePool(capacity: 2, made: made)
    let results = try await withThrowingTaskGroup(of: [Int].self) { group in
      for _ in 0..<200 {
        group.addTask {
          try await pool.withResources(1) { states in
            // Two bumps in a row see consecutive values only if nobody else used the state between them.
            let a = try Self.bump(states[0])
            let b = try Self.bump(states[0])
            return [b - a]
          }
        }
      }
      return try await group.reduce(into: []) { $0 += $1 }
    }
    #expect(results == Array(repeating: 1, count: 200))
    #expect(made.value == 2)
  }

  @Test func aWaitingCallerLeavesTheLineWhenItsTaskIsCancelled() async throws {
    let made = MadeCount()
    let pool = Self.makePool(capacity: 2, made: made)
    let release = DispatchSemaphore(value: 0)
    let holding = DispatchSemaphore(value: 0)
    let holder = Task {
      try await pool.withResources(2) { _ in
        holding.signal()
        release.wait()
        return 0
      }
    }
    await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        holding.wait()
        continuation.resume()
      }
    }
    let waiter = Task { try await pool.withResources(1) { states in try Self.bump(states[0]) } }
    while pool.waitingCount == 0 { await Task.yield() }
    waiter.cancel()
    await #expect(throws: CancellationError.self) { try await waiter.value }
    release.signal()
    _ = try await holder.value
    #expect(pool.waitingCount == 0)
    // The line is empty again: the next caller is served from the idle states.
    #expect(try await pool.withResources(2) { states in try states.map(Self.bump) } == [1, 1])
    #expect(made.value == 2)
  }
}

@Suite("Interrupter")
struct InterrupterTests {
  @Test func anInterruptFromAnotherThreadStopsTheRunAsCancelled() throws {
    let state = try makeState()
    let interrupter = state.interrupter
    DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) { interrupter.interrupt() }
    let report = state.run {
      try state.load("local ok = pcall(function() while true do end end) while true do end", name: "@spin.lua")
        .callReturningAll()
    }
    #expect(throws: LuaError.self) { try report.get() }
    if case .failure(let error as LuaError) = report.result { #expect(error.limit == .cancelled) }
    // Between runs an interrupt does nothing: the next run is unaffected.
    interrupter.interrupt()
    let next = state.run { try state.load("return 1 + 1", name: "@next.lua").callReturningAll() }
    #expect(try next.get().count == 1)
  }
}
