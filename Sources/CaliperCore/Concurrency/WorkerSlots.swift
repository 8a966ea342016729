import Synchronization

/// One value per worker of a `DispatchQueue.concurrentPerform`, each used by the iteration of
/// its index only: a pass's lanes (a sink running a script in its own Lua state, a dictionary,
/// an aggregator) and the disjoint parts of a buffer that workers fill in place.
///
/// This is CaliperCore's only `@unchecked Sendable` type. The values are not `Sendable` (a
/// lane's sink holds a Lua state made on the caller's thread), and `Mutex` cannot hold them:
/// it takes only values in a disconnected region, which a sink made from a pooled state is
/// not. Exclusive use is checked at run time instead: ``withSlot(_:_:)`` marks the slot taken
/// under a lock and traps if another thread holds it, so an overlap is a crash at the fault,
/// never a data race. The check costs one lock per call; callers take a slot per chunk of
/// work (millions of rows), not per row.
final class WorkerSlots<Value>: @unchecked Sendable {
  /// Owned storage (not an array: concurrent in-place access to a stored array would be
  /// overlapping accesses to the whole property).
  private let values: UnsafeMutableBufferPointer<Value>
  private let taken: Mutex<[Bool]>

  /// Slots holding `values`, one per worker index.
  init(_ values: [Value]) {
    self.values = .allocate(capacity: values.count)
    _ = self.values.initialize(from: values)
    taken = Mutex(Array(repeating: false, count: values.count))
  }

  deinit {
    values.deinitialize()
    values.deallocate()
  }

  /// The number of slots.
  var count: Int { values.count }

  /// Runs `body` with slot `index`'s value; traps if another call holds that slot.
  func withSlot<Result>(_ index: Int, _ body: (inout Value) throws -> Result) rethrows -> Result {
    taken.withLock { flags in
      precondition(!flags[index], "worker slot \(index) used by two threads at once")
      flags[index] = true
    }
    defer { taken.withLock { $0[index] = false } }
    return try body(&values[index])
  }

  /// The values, once no worker uses them.
  var all: [Value] {
    taken.withLock { flags in precondition(!flags.contains(true), "worker slots read while in use") }
    return Array(values)
  }
}
