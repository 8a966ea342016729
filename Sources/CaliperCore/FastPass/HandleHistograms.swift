/// Handle-time sketch buckets (`QuantileSketch.bucket(milliseconds:)`) counted per slot: each
/// slot's busy range of buckets as a dense window of counters in one shared arena, anything
/// else in a hash table.
///
/// One moderator's handle times fall mostly within a couple of hundred buckets, so a row's
/// count is one read of a small header array and one of the arena, and the roll-up reads each
/// slot's counts in order. A hash table keyed by (slot, bucket) alone held the same counts
/// scattered over several times the memory, and cost most rows a miss to main memory.
///
/// A window starts 32 buckets wide around its slot's first bucket and doubles (up to 256
/// buckets, moved to the end of the arena) only once it has counted as many rows as it is
/// wide, so sparse slots cost no more memory than hash entries would; buckets outside the
/// window go to the hash table.
///
/// Window counters are bytes: a full one (255) carries 256 into the hash table and starts
/// again at zero. Counts per bucket are small (a slot's rows spread over its window), and
/// the arena, the largest table a row touches, is then a quarter of its size in `Int32`s;
/// with it out of the core's cache, most rows stalled on that one read.
struct HandleHistograms {
  /// `counts[offset ..< offset + width]` counts buckets `low ..< low + width`; `seen` is how
  /// many rows the window has counted.
  private struct Window {
    var offset: Int32 = 0
    var low: Int32 = 0
    var width: Int32 = 0
    var seen: Int32 = 0
  }

  private var windows: [Window] = []
  private var counts: [UInt8] = []
  /// (slot << 32 | bucket + 2³¹) → count, for buckets outside their slot's window (and
  /// handle times at or below 1 ms, which have no bucket: key bucket `Int32.min`).
  private var outside = IntegerCounts()
  private static let firstWidth: Int32 = 32
  private static let widest: Int32 = 256

  /// Adds a slot with no counts; slots are numbered in the order added.
  mutating func addSlot() { windows.appendHugePages(Window()) }

  /// Counts one handle time of `slot` (`nil` bucket: at or below 1 ms).
  @inline(__always)
  mutating func add(_ slot: Int, bucket: Int32?) {
    guard let bucket else {
      outside.add(Self.key(slot, nil))
      return
    }
    let window = windows[slot]
    let position = bucket &- window.low
    if position >= 0, position < window.width {
      count(at: Int(window.offset &+ position), slot, bucket)
      windows[slot].seen += 1
    } else if let index = widen(slot, toCover: bucket) {
      count(at: index, slot, bucket)
      windows[slot].seen += 1
    } else {
      outside.add(Self.key(slot, bucket))
    }
  }

  /// Adds one to the window counter at `index` (of `slot`'s `bucket`), carrying a full byte's
  /// 256 into the hash table.
  @inline(__always)
  private mutating func count(at index: Int, _ slot: Int, _ bucket: Int32) {
    let current = counts[index]
    if current == UInt8.max {
      counts[index] = 0
      outside.add(Self.key(slot, bucket), count: 256)
    } else {
      counts[index] = current &+ 1
    }
  }

  /// Reads the counter `add(slot, bucket:)` will most likely update, so that its cache miss
  /// overlaps other work (see `CellIndex.touch`).
  @inline(__always)
  func touch(_ slot: Int, bucket: Int32?) -> Int32 {
    let window = windows[slot]
    let position = (bucket ?? window.low) &- window.low
    return position >= 0 && position < window.width ? Int32(counts[Int(window.offset &+ position)]) : window.seen
  }

  /// Calls `body` with every slot's window: the slot, the window's lowest bucket and its
  /// counts (zeros included).
  func forEachWindow(_ body: (Int, Int32, UnsafeBufferPointer<UInt8>) -> Void) {
    counts.withUnsafeBufferPointer { arena in
      for (slot, window) in windows.enumerated() where window.width > 0 {
        body(
          slot, window.low, UnsafeBufferPointer(rebasing: arena[Int(window.offset)..<Int(window.offset + window.width)])
        )
      }
    }
  }

  /// Calls `body` with every (slot, bucket, count) counted outside the windows or carried out
  /// of a full window counter (`nil` bucket: at or below 1 ms). The windows and these together
  /// are every count (a bucket may come in both).
  func forEachOutside(_ body: (Int, Int32?, Int) -> Void) {
    outside.forEach { key, count in
      let raw = Int32(bitPattern: UInt32(truncatingIfNeeded: key)) &- Int32.min
      body(Int(key >> 32), raw == Int32.min ? nil : raw, count)
    }
  }

  @inline(__always)
  private static func key(_ slot: Int, _ bucket: Int32?) -> UInt64 {
    UInt64(slot) << 32 | UInt64(UInt32(bitPattern: (bucket ?? Int32.min) &+ Int32.min))
  }

  /// Makes `slot`'s window cover `bucket` when the rules allow (see the type's comment):
  /// returns the arena index of `bucket`, or `nil` when the bucket stays outside.
  private mutating func widen(_ slot: Int, toCover bucket: Int32) -> Int? {
    let old = windows[slot]
    let low: Int32
    let span: Int32
    let width: Int32
    if old.width == 0 {
      (low, span, width) = (bucket, 1, Self.firstWidth)
    } else {
      guard old.seen >= old.width, old.width < Self.widest else { return nil }
      low = min(old.low, bucket)
      span = max(old.low + old.width - 1, bucket) - low + 1
      guard span <= Self.widest else { return nil }
      width = min(Self.widest, max(2 * old.width, span))
    }
    let newLow = low - (width - span) / 2
    let offset = Int32(counts.count)
    counts.appendHugePages(repeating: 0, count: Int(width))
    for position in 0..<old.width {
      counts[Int(offset + old.low - newLow + position)] = counts[Int(old.offset + position)]
    }
    windows[slot].offset = offset
    windows[slot].low = newLow
    windows[slot].width = width
    return Int(offset + bucket - newLow)
  }
}
