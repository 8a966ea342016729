import Dispatch
import Foundation

/// Keeps non-`Sendable` resources built around Lua states (a state with a pack's scripts
/// compiled, say) and lends them out, each to one caller at a time, so that work that is
/// expensive to set up is done once and reused across requests.
///
/// At most ``capacity`` resources exist at once. A caller that asks for more than are free waits,
/// asynchronously and first come first served, without holding a thread; cancelling its task
/// stops the wait. The body runs on a thread of its own, so that blocking Lua work never holds
/// one of the few threads of Swift's cooperative pool.
///
/// This is the one place, besides the limit controller, where LuaKit vouches for `Sendable` by
/// hand: a resource is only ever reachable by the caller it is lent to (it leaves the pool's
/// list under the lock and returns to it under the lock, after the caller is done), so no two
/// threads use one at once. Resources lent to a body that throws are dropped rather than
/// returned: a failed run may leave its states in a condition no later run should inherit.
public final class LuaResourcePool<Resource>: @unchecked Sendable {
  /// What a waiting caller is given: idle resources, and how many more it may make.
  private struct Grant: @unchecked Sendable {
    var idle: [Resource]
    var toMake: Int
  }

  private struct Waiter {
    let id: UInt64
    let count: Int
    let continuation: CheckedContinuation<Grant, any Error>
  }

  private let lock = NSLock()
  private var idle: [Resource] = []
  /// Resources made and not dropped (idle or lent), plus those a grant may still make.
  private var live = 0
  private var waiters: [Waiter] = []
  private var nextWaiter: UInt64 = 0
  private var made = 0
  private let make: @Sendable () throws -> Resource
  /// The most resources that exist at once.
  public let capacity: Int

  /// A pool of at most `capacity` resources, made with `make` when none is idle.
  ///
  /// Each call of `make` must return a resource that shares no non-`Sendable` object with any
  /// other: the pool lends resources out as one `sending` array whose elements borrowers send to
  /// different threads.
  public init(capacity: Int, make: @escaping @Sendable () throws -> Resource) {
    self.capacity = max(1, capacity)
    self.make = make
  }

  /// Idle resources now.
  public var idleCount: Int { lock.withLock { idle.count } }

  /// Callers waiting in line now.
  public var waitingCount: Int { lock.withLock { waiters.count } }

  /// Resources that exist now (idle or lent).
  public var liveCount: Int { lock.withLock { live } }

  /// Resources made since the pool was created: a count that grows from run to run means
  /// runs drop what they were lent (a body that throws, or one that keeps resources).
  public var madeCount: Int { lock.withLock { made } }

  /// Waits until `count` resources are free (idle, or room to make them), then runs `body` with
  /// them on a new thread named `threadName` and takes back those it leaves in the array when it
  /// returns. Missing resources are made from that thread (several at once, one thread each).
  /// A `count` above ``capacity`` is an error, not a wait forever.
  ///
  /// The array is `inout sending`: the body may hand its resources to other threads (one
  /// worker each) as `sending` values, provided it puts them back, as values no longer tied to
  /// anything else, before it returns; a resource it does not put back is dropped.
  public func withResources<Result: Sendable>(
    _ count: Int, threadName: String = "lua-pool",
    _ body: @escaping @Sendable (inout sending [Resource]) throws -> Result
  ) async throws -> Result {
    guard count >= 1, count <= capacity else {
      throw LuaError(.runtime, "asked for \(count) resources of a pool of \(capacity)")
    }
    let grant = try await reserve(count)
    return try await withCheckedThrowingContinuation { continuation in
      let thread = Thread { [self] in
        var lent = grant.idle
        do {
          lent += try makeResources(count - lent.count)
        } catch {
          // Resources not made free their places; the idle ones taken are unharmed.
          giveBack(lent, dropping: count - lent.count)
          continuation.resume(throwing: error)
          return
        }
        do {
          let result = try body(&lent)
          let kept = Array(lent.prefix(count))
          giveBack(kept, dropping: count - kept.count)
          continuation.resume(returning: result)
        } catch {
          giveBack([], dropping: count)
          continuation.resume(throwing: error)
        }
      }
      thread.name = threadName
      thread.start()
    }
  }

  /// Makes `count` resources, on as many threads (up to the cores): building a state with a
  /// pack compiled is work a run would otherwise wait for one state after another. All or none:
  /// when one `make` throws, the others made are dropped and the first error is thrown.
  private func makeResources(_ count: Int) throws -> [Resource] {
    guard count > 1 else { return try (0..<count).map { _ in try makeCounted() } }
    let results = MadeResources<Resource>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
      results.store(Result { try makeCounted() }, at: index)
    }
    return try results.take()
  }

  private func makeCounted() throws -> Resource {
    let resource = try make()
    lock.withLock { made += 1 }
    return resource
  }

  /// Takes `count` resources' places now if they are free and nobody waits before; otherwise
  /// waits in line. Cancelling the task leaves the line with `CancellationError`.
  private func reserve(_ count: Int) async throws -> Grant {
    try Task.checkCancellation()
    let id = lock.withLock {
      nextWaiter += 1
      return nextWaiter
    }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        // Checked under the lock: a cancellation that came before the waiter joined the line
        // found nobody to remove, so it is seen here instead.
        let ready: Result<Grant, any Error>? = lock.withLock {
          if Task.isCancelled { return .failure(CancellationError()) }
          if waiters.isEmpty, let grant = takeLocked(count) { return .success(grant) }
          waiters.append(Waiter(id: id, count: count, continuation: continuation))
          return nil
        }
        if let ready { continuation.resume(with: ready) }
      }
    } onCancel: {
      let cancelled = lock.withLock { () -> Waiter? in
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index)
      }
      cancelled?.continuation.resume(throwing: CancellationError())
      // A waiter ahead of others that leaves may let those behind it in.
      if cancelled != nil { serveWaiters() }
    }
  }

  /// Idle resources first, then room to make the rest; `nil` when there are not enough.
  private func takeLocked(_ count: Int) -> Grant? {
    guard idle.count + (capacity - live) >= count else { return nil }
    let taken = Array(idle.suffix(count))
    idle.removeLast(taken.count)
    let toMake = count - taken.count
    live += toMake
    return Grant(idle: taken, toMake: toMake)
  }

  /// Returns `resources` to the idle list and forgets `dropped` others, then serves the line.
  private func giveBack(_ resources: [Resource], dropping dropped: Int) {
    lock.withLock {
      idle.append(contentsOf: resources)
      live -= dropped
    }
    serveWaiters()
  }

  /// Grants waiters in order while the first one's count is free.
  private func serveWaiters() {
    var served: [(CheckedContinuation<Grant, any Error>, Grant)] = []
    lock.withLock {
      while let first = waiters.first, let grant = takeLocked(first.count) {
        waiters.removeFirst()
        served.append((first.continuation, grant))
      }
    }
    for (continuation, grant) in served { continuation.resume(returning: grant) }
  }
}

/// The resources ``LuaResourcePool`` makes on several threads at once, each stored by the thread
/// that made it (under the lock) and taken by the pool's thread after all are made. Vouched
/// `Sendable` on the pool's terms: each resource comes from its own `make()` call and is
/// reachable only through this box until the pool takes it.
private final class MadeResources<Resource>: @unchecked Sendable {
  private let lock = NSLock()
  private var results: [Result<Resource, any Error>?]

  init(count: Int) {
    results = Array(repeating: nil, count: count)
  }

  func store(_ result: Result<Resource, any Error>, at index: Int) {
    lock.withLock { results[index] = result }
  }

  /// Every resource in order, or the first error (in index order).
  func take() throws -> [Resource] {
    try lock.withLock { results }.map { try $0!.get() }
  }
}
