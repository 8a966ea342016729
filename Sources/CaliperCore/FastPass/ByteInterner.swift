import Foundation

/// Maps short byte strings (market, site, label, ...) to dense ids `0, 1, 2, ...` without
/// allocating a `String` per row: the hot loop of ingestion looks fields up by their bytes.
///
/// Hand-written (open addressing over one byte arena) because `Dictionary<[UInt8], Int32>` would
/// allocate an array per lookup; `caliper-bench csv` measures the whole decisions pass.
struct ByteInterner {
  private var arena: [UInt8] = []
  private var starts: [Int] = [0]
  /// Open-addressing table: each slot packs the hash's high 32 bits with `id + 1` (0 = empty),
  /// so a miss, the common case of a lookup, touches one cache line.
  private var slots: [UInt64]
  private var hashes: [UInt64] = []
  private var mask: Int
  /// An optional one-bit-per-hash filter in front of `find` (see `buildFilter`); empty when off.
  private var filter: [UInt64] = []
  private var filterMask = 0

  init(capacity: Int = 64) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = Array(repeating: 0, count: size)
    mask = size - 1
  }

  /// How many distinct strings.
  var count: Int { hashes.count }

  /// Recently interned strings of at most 16 bytes, direct-mapped: (first word, second word,
  /// length, id) per entry. Such a string is exactly determined by its length and two
  /// (possibly overlapping) words, so a hit needs no byte comparison; interning the text fields
  /// of every decision row was the largest single cost of the pass.
  private var recent = [UInt64](repeating: 0, count: 4 * 1024)

  /// The id of `bytes`, adding it when new.
  mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Int32 {
    guard bytes.count <= 16, let base = bytes.baseAddress, bytes.count > 0 else { return internSlowly(bytes) }
    let (first, second) = Self.words(base, bytes.count)
    let length = UInt64(bytes.count)
    let mixed = (first &* 0x9E37_79B9_7F4A_7C15) ^ (second &* 0xBF58_476D_1CE4_E5B9) ^ (length &* 0x94D0_49BB_1331_11EB)
    let entry = Int(truncatingIfNeeded: mixed >> 54) * 4
    if recent[entry] == first, recent[entry + 1] == second, recent[entry + 2] == length {
      return Int32(truncatingIfNeeded: recent[entry + 3])
    }
    let id = internSlowly(bytes)
    recent[entry] = first
    recent[entry + 1] = second
    recent[entry + 2] = length
    recent[entry + 3] = UInt64(id)
    return id
  }

  /// Two words that, with the length, determine a string of 1...16 bytes: the first and last
  /// eight bytes (overlapping below 16), the first and last four below 8, the bytes below 4.
  @inline(__always)
  private static func words(_ base: UnsafeRawPointer, _ count: Int) -> (UInt64, UInt64) {
    if count >= 8 {
      return (base.loadUnaligned(as: UInt64.self), base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
    }
    if count >= 4 {
      let low = UInt64(base.loadUnaligned(as: UInt32.self))
      return (low | UInt64(base.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32, 0)
    }
    var word: UInt64 = 0
    for offset in 0..<count { word |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) << UInt64(8 * offset) }
    return (word, 0)
  }

  /// Makes room for `strings` strings of `bytes` bytes in all without growing.
  mutating func reserve(strings: Int, bytes: Int) {
    arena.reserveHugePages(bytes)
    starts.reserveHugePages(strings + 1)
    hashes.reserveHugePages(strings)
    var size = slots.count
    while size < strings * 2 { size <<= 1 }
    if size > slots.count {
      slots = []
      hashes.withUnsafeBufferPointer { rehash(into: size, $0) }
    }
  }

  /// The id of `bytes`, whose hash is `hash`, adding it when new, without the table of recent
  /// strings: for strings mostly seen once (the ids of audited decisions), which would only
  /// evict the others.
  mutating func internOnce(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32 { internSlowly(bytes, hash: hash) }

  /// Reads the slot where interning a string of hash `hash` starts, so that its cache miss
  /// overlaps the work before it (kept in `warmed`, so that the load is not optimised away).
  @inline(__always)
  mutating func warm(hash: UInt64) { warmed ^= slots[Int(truncatingIfNeeded: hash) & mask] }

  /// Where `warm(hash:)` folds what it reads.
  private var warmed: UInt64 = 0

  private mutating func internSlowly(_ bytes: UnsafeRawBufferPointer) -> Int32 {
    internSlowly(bytes, hash: Self.hash(bytes))
  }

  private mutating func internSlowly(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32 {
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let entry = slots[slot]
      if entry == 0 { break }
      if let id = match(entry, hash, bytes) { return id }
      slot = (slot + 1) & mask
    }
    let id = Int32(hashes.count)
    if !filter.isEmpty { filter = [] }  // no longer complete
    arena.append(contentsOf: bytes)
    starts.append(arena.count)
    hashes.append(hash)
    slots[slot] = Self.entry(hash, id)
    if hashes.count * 2 > slots.count { grow() }
    return id
  }

  /// The id of `text`, adding it when new.
  mutating func intern(_ text: String) -> Int32 {
    var text = text
    return text.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
  }

  /// Puts a bit filter (16 bits per string, about 6% false positives) in front of `find`, for
  /// tables that are mostly asked about strings they do not hold: the ids of audited decisions
  /// and golden items, looked up for every decision. A miss then costs one read of a table a
  /// sixteenth the size of the slots, which stays in cache. Interning a new string turns the
  /// filter off, so call it once the table is complete.
  mutating func buildFilter() {
    var bits = 64
    while bits < hashes.count * 16 { bits <<= 1 }
    filter = Array(hugePagesRepeating: 0, count: bits / 64)
    filterMask = bits - 1
    for hash in hashes {
      let bit = Self.filterBit(hash, filterMask)
      filter[bit >> 6] |= 1 << UInt64(bit & 63)
    }
  }

  /// A bit position from the hash bits the slot index does not use.
  @inline(__always)
  private static func filterBit(_ hash: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: hash >> 24) & mask }

  /// The id of `bytes` if present.
  func find(_ bytes: UnsafeRawBufferPointer) -> Int32? { find(bytes, hash: Self.hash(bytes)) }

  /// The hash `find(_:hash:)` and `touch(hash:)` take.
  @inline(__always)
  func hash(of bytes: UnsafeRawBufferPointer) -> UInt64 { Self.hash(bytes) }

  /// Reads the table entry where a lookup of `hash` starts (when the filter lets it through),
  /// so that its cache miss overlaps other work; returns the entry, for the caller to fold into
  /// a value it keeps (a load whose result is dropped would be optimised away).
  @inline(__always)
  func touch(hash: UInt64) -> UInt64 {
    if !filter.isEmpty {
      let bit = Self.filterBit(hash, filterMask)
      if filter[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return 0 }
    }
    return slots[Int(truncatingIfNeeded: hash) & mask]
  }

  /// The id of `bytes`, whose hash is `hash`, if present.
  @inline(__always)
  func find(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> Int32? {
    if !filter.isEmpty {
      let bit = Self.filterBit(hash, filterMask)
      if filter[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return nil }
    }
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let entry = slots[slot]
      if entry == 0 { return nil }
      if let id = match(entry, hash, bytes) { return id }
      slot = (slot + 1) & mask
    }
  }

  /// The id of `text` if present.
  func find(_ text: String) -> Int32? {
    var text = text
    return text.withUTF8 { find(UnsafeRawBufferPointer($0)) }
  }

  /// The string of `id`.
  func string(_ id: Int32) -> String {
    String(decoding: arena[starts[Int(id)]..<starts[Int(id) + 1]], as: UTF8.self)
  }

  /// Calls `body` with the bytes of `id`.
  func withBytes<R>(_ id: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try arena.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[starts[Int(id)]..<starts[Int(id) + 1]])) }
  }

  /// Every string, by id.
  var strings: [String] { (0..<Int32(count)).map(string) }

  @inline(__always)
  private static func entry(_ hash: UInt64, _ id: Int32) -> UInt64 { hash & 0xFFFF_FFFF_0000_0000 | UInt64(id + 1) }

  @inline(__always)
  private func match(_ entry: UInt64, _ hash: UInt64, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    guard entry & 0xFFFF_FFFF_0000_0000 == hash & 0xFFFF_FFFF_0000_0000 else { return nil }
    let id = Int32(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
    return equals(Int(id), bytes) ? id : nil
  }

  private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
    let start = starts[id]
    guard starts[id + 1] - start == bytes.count else { return false }
    return arena.withUnsafeBytes { stored in
      guard let other = bytes.baseAddress, bytes.count > 0 else { return true }
      let mine = stored.baseAddress! + start
      // Most strings here are a few bytes long: a loop beats calling memcmp.
      if bytes.count <= 16 {
        for offset in 0..<bytes.count
        where mine.load(fromByteOffset: offset, as: UInt8.self) != other.load(fromByteOffset: offset, as: UInt8.self) {
          return false
        }
        return true
      }
      return memcmp(mine, other, bytes.count) == 0
    }
  }

  private mutating func grow() {
    slots = []
    let size = mask + 1
    hashes.withUnsafeBufferPointer { rehash(into: size * 2, $0) }
  }

  /// Rebuilds the slots at `size` from `hashes`.
  private mutating func rehash(into size: Int, _ hashes: UnsafeBufferPointer<UInt64>) {
    slots = Array(hugePagesRepeating: 0, count: size)
    mask = size - 1
    for (id, hash) in hashes.enumerated() {
      var slot = Int(truncatingIfNeeded: hash) & mask
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = Self.entry(hash, Int32(id))
    }
  }

  /// A multiply-xorshift hash over the bytes eight at a time (the ids and names hashed here
  /// are short; byte-at-a-time FNV was a tenth of the decisions pass).
  @inline(__always)
  static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
    guard let base = bytes.baseAddress else { return hash }
    var offset = 0
    while offset + 8 <= bytes.count {
      hash = (hash ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
      hash ^= hash >> 29
      offset += 8
    }
    if offset < bytes.count {
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while offset < bytes.count {
        tail |= UInt64(bytes[offset]) << shift
        shift += 8
        offset += 1
      }
      hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
    }
    hash ^= hash >> 32
    hash = hash &* 0xD6E8_FEB8_6659_FD93
    return hash ^ (hash >> 29)
  }
}
