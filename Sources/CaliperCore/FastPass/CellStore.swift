/// The finest combination the pass aggregates at: who (moderator, or label for label cells),
/// where (site, vendor, market, queue), when (a `CellTime` key: the UTC day, or the
/// combination of week and month when no grouping needs days) and which model suggested
/// (`CellKey.unsuggested` when none did).
struct CellKey: Hashable {
  static let unsuggested: Int32 = -2

  var lanes: SIMD8<Int32>

  /// A key of zeros (a placeholder).
  init() { lanes = .zero }

  init(who: Int32, site: Int32, vendor: Int32, market: Int32, queue: Int32, day: Int32, model: Int32) {
    lanes = SIMD8(who, site, vendor, market, queue, day, model, 0)
  }

  var who: Int32 { lanes[0] }
  var site: Int32 { lanes[1] }
  var vendor: Int32 { lanes[2] }
  var market: Int32 { lanes[3] }
  var queue: Int32 { lanes[4] }
  var day: Int32 { lanes[5] }
  var model: Int32 { lanes[6] }

  @inline(__always)
  var hash: UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15
    for index in 0..<7 { h = (h ^ UInt64(UInt32(bitPattern: lanes[index]))) &* 0xBF58_476D_1CE4_E5B9 }
    return h ^ (h >> 31)
  }
}

/// The per-row counts of a cell: plain integers in one array, so the hot loop touches no
/// reference-counted storage. Counts by label live in `CellStore`'s flat pair tables.
struct CellCounters {
  var decisions: Int32 = 0
  var handleMillis: Int64 = 0
  var slaMeasured: Int32 = 0
  var slaWithin: Int32 = 0
  var goldenSeen: Int32 = 0
  var goldenCorrect: Int32 = 0
  var assisted: Int32 = 0
  var agreed: Int32 = 0
  var overridden: Int32 = 0
  /// Audits of assisted decisions that overrode the suggestion, and those QA found correct.
  var overriddenAudited: Int32 = 0
  var overriddenCorrect: Int32 = 0
  /// Audits of overrides whose suggestion QA found correct.
  var overriddenSuggestionRight: Int32 = 0
  /// Audits of assisted decisions that kept the suggestion, and those QA found correct.
  var acceptedAudited: Int32 = 0
  var acceptedCorrect: Int32 = 0
}

/// Dense indices `0, 1, 2, ...` of cell keys, by open addressing on the packed key (a
/// `Dictionary` would hash seven fields with SipHash per row). Each table entry is the key
/// itself with `index + 1` in its unused eighth lane (0: empty), so a lookup reads one entry.
struct CellIndex {
  private(set) var keys: [CellKey] = []
  private var table = [SIMD8<Int32>](repeating: .zero, count: 1 << 12)
  private var mask = (1 << 12) - 1

  /// Reads the table entry where a lookup of `key` starts, so that its cache miss overlaps
  /// other work; the caller folds the result into a value it keeps.
  @inline(__always)
  func touch(hash: UInt64) -> Int32 { table[Int(truncatingIfNeeded: hash) & mask][7] }

  /// The index of `key` and whether it was added now.
  @inline(__always)
  mutating func index(of key: CellKey) -> (index: Int, isNew: Bool) { index(of: key, hash: key.hash) }

  /// The index of `key`, whose `hash` is given, and whether it was added now.
  @inline(__always)
  mutating func index(of key: CellKey, hash: UInt64) -> (index: Int, isNew: Bool) {
    var position = Int(truncatingIfNeeded: hash) & mask
    while true {
      var entry = table[position]
      let stored = entry[7]
      if stored == 0 { break }
      entry[7] = 0
      if entry == key.lanes { return (Int(stored - 1), false) }
      position = (position + 1) & mask
    }
    let index = keys.count
    keys.appendHugePages(key)
    var entry = key.lanes
    entry[7] = Int32(index + 1)
    table[position] = entry
    if keys.count * 2 > table.count { grow() }
    return (index, true)
  }

  private mutating func grow() {
    let size = table.count * 2
    table = Array(hugePagesRepeating: .zero, count: size)
    mask = size - 1
    for (index, key) in keys.enumerated() {
      var position = Int(truncatingIfNeeded: key.hash) & mask
      while table[position][7] != 0 { position = (position + 1) & mask }
      var entry = key.lanes
      entry[7] = Int32(index + 1)
      table[position] = entry
    }
  }
}

/// Cells, their counters, handle-time buckets and audit states, for one worker.
struct CellStore {
  private var index = CellIndex()
  /// The cells' keys, by slot.
  var keys: [CellKey] { index.keys }
  private(set) var counters: [CellCounters] = []
  /// Handle times and audit states are kept per cell *without* its model version (no grouping
  /// splits them by model; audit states split AI counts by model inside), which makes them a
  /// fraction as many: cells → handle slot, and the first cell of each handle slot, through
  /// which the roll-up finds the slot's groups (its cells all share them).
  private var handleIndex = CellIndex()
  private var handleSlotOfCell: [Int32] = []
  private(set) var cellOfHandleSlot: [Int32] = []
  /// Handle-time sketch buckets by handle slot.
  private(set) var handleTimes = HandleHistograms()
  /// Audit counts by handle slot that are not by label.
  private(set) var auditCounters: [SlotAuditCounters] = []
  /// Audits by (handle slot << 32 | `LabelPairCodes` code) → count: every QA and model
  /// confusion matrix of the worker in one flat table (the rest of a QA tally follows from it).
  private(set) var auditPairs = IntegerCounts()

  /// The slot of `key` (whose `hash` is given), creating the cell when new.
  @inline(__always)
  mutating func slot(_ key: CellKey, hash: UInt64) -> Int {
    let (slot, isNew) = index.index(of: key, hash: hash)
    if isNew { add(cell: slot, key) }
    return slot
  }

  private mutating func add(cell slot: Int, _ key: CellKey) {
    counters.appendHugePages(CellCounters())
    var handleKey = key
    handleKey.lanes[6] = 0
    let (handleSlot, isNew) = handleIndex.index(of: handleKey)
    handleSlotOfCell.appendHugePages(Int32(handleSlot))
    if isNew {
      cellOfHandleSlot.appendHugePages(Int32(slot))
      auditCounters.appendHugePages(SlotAuditCounters())
      handleTimes.addSlot()
    }
  }

  /// Reads the memory a lookup of the key with `hash` starts at (see `CellIndex.touch`).
  @inline(__always)
  func touch(hash: UInt64) -> Int32 { index.touch(hash: hash) }

  /// Reads the memory that `add(_:_:)` and `addHandle(_:bucket:)` will update for cell `slot`
  /// (see `CellIndex.touch`).
  @inline(__always)
  func touch(_ slot: Int, bucket: Int32?) -> UInt64 {
    UInt64(
      UInt32(bitPattern: counters[slot].decisions ^ handleTimes.touch(Int(handleSlotOfCell[slot]), bucket: bucket)))
  }

  /// Updates the audit counters of cell `slot`'s handle slot.
  @inline(__always)
  mutating func updateAuditCounters(_ slot: Int, _ body: (inout SlotAuditCounters) -> Void) {
    body(&auditCounters[Int(handleSlotOfCell[slot])])
  }

  /// Counts an audit's label pair (a `LabelPairCodes` code) for cell `slot`'s handle slot.
  @inline(__always)
  mutating func countPair(_ slot: Int, _ code: UInt32) { auditPairs.add(pairKey(slot, code)) }

  /// Reads the entry `countPair(slot, code)` will update (see `CellIndex.touch`).
  @inline(__always)
  func touchPair(_ slot: Int, _ code: UInt32) -> UInt64 { auditPairs.touch(pairKey(slot, code)) }

  @inline(__always)
  private func pairKey(_ slot: Int, _ code: UInt32) -> UInt64 {
    UInt64(UInt32(handleSlotOfCell[slot])) << 32 | UInt64(code)
  }

  /// The cell through which the roll-up counts the handle slot of an `auditPairs` key.
  func representativeCell(ofPairKey key: UInt64) -> Int { Int(cellOfHandleSlot[Int(key >> 32)]) }

  /// Whether cell `slot` is the first of its handle slot (whose counts it carries in roll-ups).
  func isRepresentative(_ slot: Int) -> Bool { cellOfHandleSlot[Int(handleSlotOfCell[slot])] == Int32(slot) }

  /// The audit counters of cell `slot`'s handle slot.
  func auditCounters(ofCell slot: Int) -> SlotAuditCounters { auditCounters[Int(handleSlotOfCell[slot])] }

  /// Adds a row's counts to its cell.
  @inline(__always)
  mutating func add(_ slot: Int, _ body: (inout CellCounters) -> Void) { body(&counters[slot]) }

  /// Counts a handle-time bucket (`nil`: at or below 1 ms) for a cell.
  @inline(__always)
  mutating func addHandle(_ slot: Int, bucket: Int32?) { handleTimes.add(Int(handleSlotOfCell[slot]), bucket: bucket) }

  /// Adds cell `slot`'s counters (not its audit state or handle buckets) to a group's state.
  func addCounts(_ slot: Int, to state: inout GroupState<Int32>) {
    let key = keys[slot]
    let counts = counters[slot]
    state.decisions += Int(counts.decisions)
    state.handle.millisTotal += counts.handleMillis
    state.sla.measured += Int(counts.slaMeasured)
    state.sla.within += Int(counts.slaWithin)
    state.golden.seen += Int(counts.goldenSeen)
    state.golden.correct += Int(counts.goldenCorrect)
    if key.model == CellKey.unsuggested {
      state.ai.unsuggested += Int(counts.decisions)
    } else {
      state.ai.byModel[key.model, default: AITally()].addCounts(
        suggested: Int(counts.decisions), assisted: Int(counts.assisted), agreed: Int(counts.agreed),
        overridden: Int(counts.overridden), overriddenAudited: Int(counts.overriddenAudited),
        overriddenCorrect: Int(counts.overriddenCorrect),
        overriddenSuggestionRight: Int(counts.overriddenSuggestionRight), acceptedAudited: Int(counts.acceptedAudited),
        acceptedCorrect: Int(counts.acceptedCorrect))
    }
    state.context.markets.insert(key.market)
    state.context.vendors.insert(key.vendor)
    state.context.sites.insert(key.site)
  }
}

/// Counts keyed by 64-bit integers, open addressing (label-pair counts, handle-time buckets
/// outside their windows). Each entry holds its key and its count side by side, so a probe
/// touches one cache line.
struct IntegerCounts {
  private struct Entry {
    var key: UInt64  // the key + 1 (0: empty)
    var count: Int64
  }

  private var entries = [Entry](repeating: Entry(key: 0, count: 0), count: 1 << 14)
  private var used = 0
  private var mask = (1 << 14) - 1

  /// Adds `count` to `key` (any value but `UInt64.max`).
  @inline(__always)
  mutating func add(_ key: UInt64, count: Int64 = 1) {
    let stored = key &+ 1
    var index = Self.home(stored, mask)
    let found: Bool = entries.withUnsafeMutableBufferPointer { table in
      while true {
        let existing = table[index].key
        if existing == stored {
          table[index].count += count
          return true
        }
        if existing == 0 { return false }
        index = (index + 1) & mask
      }
    }
    if found { return }
    entries[index] = Entry(key: stored, count: count)
    used += 1
    if used * 2 > entries.count { grow() }
  }

  /// Reads the entry where `add(key)` starts probing (see `CellIndex.touch`).
  @inline(__always)
  func touch(_ key: UInt64) -> UInt64 { entries[Self.home(key &+ 1, mask)].key }

  /// Calls `body` with every key and count.
  func forEach(_ body: (UInt64, Int) -> Void) {
    for entry in entries where entry.key != 0 { body(entry.key &- 1, Int(entry.count)) }
  }

  /// The entry where probing for `stored` starts. Keys here are two 32-bit halves (a slot
  /// or group index above, a code or bucket below), so every bit of both must reach the low
  /// bits the mask keeps: the finaliser of MurmurHash3 does. (Bits 20 and up of one product,
  /// used before, took the upper half into only a few index bits, and keys that differ there
  /// alone, the same label pair in different slots, piled up in long probe runs.)
  @inline(__always)
  private static func home(_ stored: UInt64, _ mask: Int) -> Int {
    var mixed = stored
    mixed ^= mixed >> 33
    mixed &*= 0xFF51_AFD7_ED55_8CCD
    mixed ^= mixed >> 33
    return Int(truncatingIfNeeded: mixed) & mask
  }

  private mutating func grow() {
    let old = entries
    entries = Array(hugePagesRepeating: Entry(key: 0, count: 0), count: old.count * 2)
    mask = entries.count - 1
    for entry in old where entry.key != 0 {
      var target = Self.home(entry.key, mask)
      while entries[target].key != 0 { target = (target + 1) & mask }
      entries[target] = entry
    }
  }
}

/// The time part of cell keys. When a grouping is by day or filters dates, cells are per UTC
/// day; otherwise per (ISO week, month) pair, which every week and month grouping can roll up
/// from exactly, with up to seven times fewer cells.
struct CellTime {
  let byDay: Bool
  /// Time keys by day, direct-mapped on the day's low bits (data spans few days; a
  /// `Dictionary` lookup per row cost more than the rest of the key).
  private var cachedDays = [Int64](repeating: .min, count: 64)
  private var cachedKeys = [Int32](repeating: 0, count: 64)
  private var labels: [(week: Int32, month: Int32)] = []
  private var keyOfLabels: [Int64: Int32] = [:]

  /// The first and last day keyed (every day passes the uncached path once).
  private(set) var firstDay = Int64.max
  /// See `firstDay`.
  private(set) var lastDay = Int64.min

  init(byDay: Bool) { self.byDay = byDay }

  /// The time key of a day (days since the epoch).
  @inline(__always)
  mutating func key(forDay day: Int64, _ dictionary: RowDictionary) -> Int32 {
    if byDay {
      firstDay = min(firstDay, day)
      lastDay = max(lastDay, day)
      return Int32(truncatingIfNeeded: day)
    }
    let slot = Int(truncatingIfNeeded: day) & 63
    if cachedDays[slot] == day { return cachedKeys[slot] }
    firstDay = min(firstDay, day)
    lastDay = max(lastDay, day)
    let instant = Timestamp(secondsSinceEpoch: day * 86_400)
    let week = dictionary.id(PeriodGrain.week.label(of: instant))
    let month = dictionary.id(PeriodGrain.month.label(of: instant))
    let packed = Int64(week) << 32 | Int64(month)
    let key: Int32
    if let known = keyOfLabels[packed] {
      key = known
    } else {
      key = Int32(labels.count)
      labels.append((week, month))
      keyOfLabels[packed] = key
    }
    cachedDays[slot] = day
    cachedKeys[slot] = key
    return key
  }

  /// The period label id of a time key at `grain`.
  func periodID(_ key: Int32, _ grain: PeriodGrain, _ dictionary: RowDictionary) -> Int32 {
    if byDay {
      return dictionary.id(grain.label(of: Timestamp(secondsSinceEpoch: Int64(key) * 86_400)))
    }
    switch grain {
    case .week: return labels[Int(key)].week
    case .month: return labels[Int(key)].month
    case .day: preconditionFailure("cells are not per day when no grouping is by day")
    }
  }
}
