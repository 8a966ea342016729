/// Dense indices `0, 1, 2, ...` of 64-bit group keys (as ``RowGrouper`` makes them), by open
/// addressing with a multiplicative hash. Custom measures look a group up for every row; a
/// `Dictionary` would hash each key with SipHash and check uniqueness on every update.
public struct GroupIndex {
  /// The keys in index order.
  public private(set) var keys: [Int64] = []
  /// Each entry holds a key and its `index + 1` (0: empty).
  private var table: [Entry]
  private var mask: Int

  private struct Entry {
    var key: Int64 = 0
    var slot: Int32 = 0
  }

  /// An empty index.
  public init() {
    table = Array(repeating: Entry(), count: 64)
    mask = 63
  }

  /// The number of keys.
  public var count: Int { keys.count }

  /// The index of `key`; a new key gets the next index, and `isNew` says so.
  @inline(__always)
  public mutating func index(of key: Int64) -> (index: Int, isNew: Bool) {
    var position = Self.hash(key) & mask
    while true {
      let entry = table[position]
      if entry.slot == 0 { break }
      if entry.key == key { return (Int(entry.slot) - 1, false) }
      position = (position + 1) & mask
    }
    keys.append(key)
    table[position] = Entry(key: key, slot: Int32(keys.count))
    if keys.count * 2 > table.count { grow() }
    return (keys.count - 1, true)
  }

  private static func hash(_ key: Int64) -> Int {
    let mixed = UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15
    return Int(truncatingIfNeeded: mixed ^ (mixed >> 29))
  }

  private mutating func grow() {
    table = Array(repeating: Entry(), count: table.count * 2)
    mask = table.count - 1
    for (index, key) in keys.enumerated() {
      var position = Self.hash(key) & mask
      while table[position].slot != 0 { position = (position + 1) & mask }
      table[position] = Entry(key: key, slot: Int32(index + 1))
    }
  }
}
