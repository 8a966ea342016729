import Foundation

/// Keeps non-`Sendable` resources built around Lua states (a state with a pack's scripts
/// compiled, say) and lends them out, each to one caller at a time, so that work that is
/// expensive to set up is done once and reused across requests.
///
/// This is the one place, besides the limit controller, where LuaKit vouches for `Sendable` by
/// hand: a resource is only ever reachable by the caller it is lent to (it leaves the pool's
/// list under the lock and returns to it under the lock, after the caller is done), so no two
/// threads use one at once. Resources lent to a body that throws are dropped rather than
/// returned: a failed run may leave its states in a condition no later run should inherit.
public final class LuaResourcePool<Resource>: @unchecked Sendable {
  private let lock = NSLock()
  private var idle: [Resource] = []
  private let make: @Sendable () throws -> Resource
  /// The most idle resources kept; extra ones returned are dropped.
  public let capacity: Int

  /// A pool that makes resources with `make` when none is idle.
  public init(capacity: Int, make: @escaping @Sendable () throws -> Resource) {
    self.capacity = max(0, capacity)
    self.make = make
  }

  /// Idle resources now.
  public var idleCount: Int { lock.withLock { idle.count } }

  /// Lends `count` resources (idle ones first, then new ones) to `body`, and takes them back
  /// when it returns.
  public func withResources<Result>(_ count: Int, _ body: ([Resource]) throws -> Result) throws -> Result {
    var lent: [Resource] = lock.withLock {
      let taken = Array(idle.suffix(count))
      idle.removeLast(taken.count)
      return taken
    }
    while lent.count < count { lent.append(try make()) }
    let result = try body(lent)
    lock.withLock {
      idle.append(contentsOf: lent.prefix(max(0, capacity - idle.count)))
    }
    return result
  }
}
