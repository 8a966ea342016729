import Testing

@testable import CaliperCore

/// Windowed handle-time counts hold exactly what a plain dictionary of counts would.
@Suite("Handle-time histograms")
struct HandleHistogramsTests {
  /// Every (slot, bucket) count, as the histograms report them (a bucket may come twice).
  func counts(_ histograms: HandleHistograms) -> [String: Int] {
    var seen: [String: Int] = [:]
    histograms.forEachWindow { slot, low, window in
      for (offset, count) in window.enumerated() where count > 0 {
        seen["\(slot)/\(low + Int32(offset))", default: 0] += Int(count)
      }
    }
    histograms.forEachOutside { slot, bucket, count in
      seen["\(slot)/\(bucket.map(String.init) ?? "≤1ms")", default: 0] += count
    }
    return seen
  }

  @Test func countsEqualADictionaryOfCountsForDenseSparseAndWideSlots() {
    var generator = SeededGenerator(seed: 7)
    var histograms = HandleHistograms()
    var expected: [String: Int] = [:]
    let slots = 40
    for _ in 0..<slots { histograms.addSlot() }
    for step in 0..<60_000 {
      let slot = Int.random(in: 0..<slots, using: &generator)
      let bucket: Int32?
      switch slot % 4 {
      case 0: bucket = Int32.random(in: 400...480, using: &generator)  // dense, narrow
      case 1: bucket = step % 97 == 0 ? nil : Int32.random(in: -200...900, using: &generator)  // wider than a window
      case 2: bucket = slot == 2 && step % 10 != 0 ? nil : Int32(step % 3)  // sparse and at or below 1 ms
      default: bucket = Int32.random(in: 0...255, using: &generator) + Int32(step / 1_000)  // drifting upward
      }
      histograms.add(slot, bucket: bucket)
      expected["\(slot)/\(bucket.map(String.init) ?? "≤1ms")", default: 0] += 1
    }
    let actual = counts(histograms)
    #expect(actual == expected)
    #expect(actual.values.reduce(0, +) == 60_000)
  }

  @Test func countersPastAByteCarryWithoutLosingCounts() {
    var histograms = HandleHistograms()
    histograms.addSlot()
    histograms.addSlot()
    // 255, 256, 257 and 70,000 rows in one bucket each: every carry boundary and many carries.
    let rows: [(slot: Int, bucket: Int32, count: Int)] = [(0, 40, 255), (0, 41, 256), (0, 42, 257), (1, 7, 70_000)]
    for row in rows {
      for _ in 0..<row.count { histograms.add(row.slot, bucket: row.bucket) }
    }
    histograms.add(1, bucket: 8)
    var expected = Dictionary(uniqueKeysWithValues: rows.map { ("\($0.slot)/\($0.bucket)", $0.count) })
    expected["1/8"] = 1
    #expect(counts(histograms) == expected)
  }

  @Test func aSlotWithoutRowsReportsNothing() {
    var histograms = HandleHistograms()
    histograms.addSlot()
    histograms.addSlot()
    histograms.add(1, bucket: 12)
    histograms.add(1, bucket: 12)
    #expect(counts(histograms) == ["1/12": 2])
  }
}
