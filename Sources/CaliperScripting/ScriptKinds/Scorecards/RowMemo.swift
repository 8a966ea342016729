import CaliperCore
import LuaKit

/// The results of one self-contained `where` or `of` function (``LuaFunction/capturesNothing``)
/// by the values of the row fields it reads: rows that agree on those fields reuse one call's
/// result instead of calling again (`row.hour >= 22` is called once per hour, not per row).
///
/// Why it is exact: such a function reaches nothing but the row and its constants, so what a
/// call returns, and which field it reads next, is decided by the values of the fields it has
/// read so far. The memo keys results by the row's values of `fields`, every field a call has
/// read; a call that reads a field outside them empties the memo, which is keyed by the larger
/// set from then on. So every result kept came from a call that read only fields of the key,
/// and a row with the same values of those fields would make the very same call.
///
/// It gives up (its owner then calls the function for every row, as without it) when a call
/// reads a field without an identity (`decision_id`, `item_id`), when calls read more than
/// `maxFields` fields, or when rows bring more than `maxEntries` different keys: remembering
/// would then cost more than calling.
struct RowMemo<Result> {
  /// At most this many fields in a key.
  static var maxFields: Int { 4 }
  /// At most this many results.
  static var maxEntries: Int { 4_096 }

  /// A row's values of the key fields (unused places are 0).
  struct Key: Equatable {
    var first: UInt64 = 0
    var second: UInt64 = 0
    var third: UInt64 = 0
    var fourth: UInt64 = 0

    /// A multiplicative hash: a `Dictionary`'s SipHash cost more than the rest of a hit.
    var hash: Int {
      var mixed = first &* 0x9E37_79B9_7F4A_7C15
      mixed = (mixed ^ second) &* 0xC2B2_AE3D_27D4_EB4F
      mixed = (mixed ^ third) &* 0x1656_67B1_9E37_79F9
      mixed = (mixed ^ fourth) &* 0x9E37_79B9_7F4A_7C15
      return Int(truncatingIfNeeded: mixed ^ (mixed >> 29))
    }
  }

  /// The key fields, in the order first read.
  private var fields: [Int] = []
  /// The key fields as a mask of ``LuaRecordView/fieldsRead`` bits.
  private var mask: UInt64 = 0
  /// Open addressing, at most half full: keys and their results (`nil`: an empty entry).
  private var keys = Array(repeating: Key(), count: 64)
  private var results: [Result?] = Array(repeating: nil, count: 64)
  private var count = 0

  /// The key of `row`'s values.
  @inline(__always)
  func key(_ row: DecisionRow) -> Key {
    var key = Key()
    for (position, field) in fields.enumerated() {
      let identity = RowView.identity(of: row, field: field)
      switch position {
      case 0: key.first = identity
      case 1: key.second = identity
      case 2: key.third = identity
      default: key.fourth = identity
      }
    }
    return key
  }

  /// The result kept for `key`, if any.
  @inline(__always)
  func result(for key: Key) -> Result? {
    let mask = keys.count - 1
    var position = key.hash & mask
    while let result = results[position] {
      if keys[position] == key { return result }
      position = (position + 1) & mask
    }
    return nil
  }

  /// Keeps `result`, of a call on `row` (whose key was `key`) that read the fields in `read`;
  /// `false` when the memo gives up.
  mutating func keep(_ result: Result, read: UInt64, key: Key, row: DecisionRow) -> Bool {
    var key = key
    let added = read & ~mask
    if added != 0 {
      var bits = added
      while bits != 0 {
        let field = bits.trailingZeroBitCount
        // Bit 63 also stands for every field past it: none of those has an identity.
        guard field < 63, RowView.hasIdentity(field) else { return false }
        fields.append(field)
        bits &= bits - 1
      }
      guard fields.count <= Self.maxFields else { return false }
      mask |= added
      forget()
      key = self.key(row)
    }
    guard count < Self.maxEntries else { return false }
    insert(key, result)
    if count * 2 > keys.count { grow() }
    return true
  }

  /// Forgets every result (the row's symbol ids changed meaning), keeping the key fields.
  mutating func forget() {
    for index in results.indices { results[index] = nil }
    count = 0
  }

  /// Puts `result` at `key`'s entry (a new key: the caller asked ``result(for:)`` first).
  private mutating func insert(_ key: Key, _ result: Result) {
    let mask = keys.count - 1
    var position = key.hash & mask
    while results[position] != nil, keys[position] != key { position = (position + 1) & mask }
    if results[position] == nil { count += 1 }
    keys[position] = key
    results[position] = result
  }

  private mutating func grow() {
    let old = zip(keys, results)
    keys = Array(repeating: Key(), count: keys.count * 2)
    results = Array(repeating: nil, count: keys.count)
    count = 0
    for case (let key, let result?) in old { insert(key, result) }
  }
}
