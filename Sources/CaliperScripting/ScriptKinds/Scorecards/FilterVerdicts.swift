import CaliperCore

/// Which plans of a lane keep rows of each (market, vendor, site, queue), direct-mapped on a
/// hash of the four ids: a filter's verdict depends on nothing else when it has no dates, and
/// checking every plan's filter on every row was a fifth of the custom measures' cost.
struct FilterVerdicts {
  private var keys = [UInt64](repeating: .max, count: 256)
  private var masks = [UInt64](repeating: 0, count: 256)

  /// The row's four ids in one word, when each fits in 16 bits (else the row is not remembered).
  @inline(__always)
  static func key(_ row: DecisionRow) -> UInt64? {
    let limit: UInt32 = 0xFFFF
    guard UInt32(bitPattern: row.market) < limit, UInt32(bitPattern: row.vendor) < limit,
      UInt32(bitPattern: row.site) < limit, UInt32(bitPattern: row.queue) < limit
    else { return nil }
    return UInt64(row.market) | UInt64(row.vendor) << 16 | UInt64(row.site) << 32 | UInt64(row.queue) << 48
  }

  @inline(__always)
  private static func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 56) }

  /// The plans remembered for `key`, if any.
  @inline(__always)
  func kept(_ key: UInt64) -> UInt64? {
    let slot = Self.slot(key)
    return keys[slot] == key ? masks[slot] : nil
  }

  /// Remembers the plans that keep rows of `key`.
  mutating func remember(_ kept: UInt64, for key: UInt64) {
    let slot = Self.slot(key)
    keys[slot] = key
    masks[slot] = kept
  }
}
