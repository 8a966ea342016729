import Synchronization

/// One value per worker of a `DispatchQueue.concurrentPerform`, each used by the iteration of
/// its index: a pass's lanes (a sink running a script in its own Lua state, a dictionary, an
/// aggregator) and the hashes each worker sorts in place.
///
/// The values need not be `Sendable`, and the compiler checks the sharing: each value enters
/// its slot as a `sending` value (a region of its own, reachable from nothing else), is lent
/// to ``withSlot(_:_:)``'s body as `inout sending` (which may not tie it to anything the body
/// captures), and leaves through ``takeAll()`` as a `sending` array. Each slot is a `Mutex`
/// held while its body runs: two threads asking for one slot take turns, and one thread that
/// asks again for a slot it holds (or reads them all meanwhile) traps at the fault. The lock is
/// taken once per call; callers take a slot per chunk of work (millions of rows), not per row.
public final class WorkerSlots<Value>: Sendable {
  private let slots: [Slot]

  /// One worker's value; `nil` only once ``WorkerSlots/takeAll()`` took it.
  private final class Slot: Sendable {
    let value: Mutex<Value?>

    init(_ value: consuming sending Value) {
      self.value = Mutex(Optional(value))
    }
  }

  /// `count` slots holding `make(0)`, `make(1)`, ...: each value made apart from the others.
  public init(count: Int, _ make: (Int) throws -> sending Value) rethrows {
    var slots: [Slot] = []
    slots.reserveCapacity(count)
    for index in 0..<count { slots.append(Slot(try make(index))) }
    self.slots = slots
  }

  /// The number of slots.
  public var count: Int { slots.count }

  /// Runs `body` with slot `index`'s value, holding the slot meanwhile.
  public func withSlot<Result>(_ index: Int, _ body: (inout sending Value) throws -> Result) rethrows -> Result {
    // Not a take-and-put-back: the compiler lets a value into a `Mutex` only inside its lock.
    try slots[index].value.withLock { value in
      precondition(value != nil, "worker slot \(index) used after its values were taken")
      return try body(&value!)
    }
  }

  /// The values, taken out of their slots once no worker uses them (later calls trap).
  public func takeAll() -> sending [Value] {
    var values: [Value] = []
    values.reserveCapacity(slots.count)
    for (index, slot) in slots.enumerated() {
      values.append(
        slot.value.withLock { value -> sending Value in
          guard let taken = value.take() else { preconditionFailure("worker slot \(index) taken twice") }
          return taken
        })
    }
    return values
  }
}
