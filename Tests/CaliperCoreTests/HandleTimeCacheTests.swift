import Testing

@testable import CaliperCore

/// The cache of handle-time conversions gives what converting afresh gives, hit or miss.
@Suite("Handle-time cache")
struct HandleTimeCacheTests {
  @Test func cachedConversionsEqualFreshOnes() {
    var cache = HandleTimeCache()
    var generator = SeededGenerator(seed: 11)
    // Recurring tenths of a second (hits), random values (misses and evictions), and the edges
    // at and around 1 ms, where there is no bucket.
    var values: [Double] = [0, 0.0004, 0.0005, 0.001, 0.0014, 0.0015, 0.002, 86_400.25]
    for step in 0..<20_000 {
      values.append(step % 2 == 0 ? Double(step % 900) / 10 : Double.random(in: 0...3_600, using: &generator))
    }
    for value in values + values {
      let millis = Int64((value * 1_000).rounded())
      let converted = cache.convert(value)
      #expect(converted.millis == millis, "\(value)")
      #expect(converted.bucket == QuantileSketch.bucket(milliseconds: millis), "\(value)")
    }
  }
}
