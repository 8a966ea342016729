import Testing

@testable import CaliperCore

/// The flat integer-keyed counts hold exactly what a dictionary of counts would.
@Suite("Integer counts")
struct IntegerCountsTests {
  @Test func countsEqualADictionaryForKeysThatDifferInEitherHalf() {
    var generator = SeededGenerator(seed: 3)
    var counts = IntegerCounts()
    var expected: [UInt64: Int] = [:]
    // Keys as the pass makes them (slot << 32 | code): many slots sharing few codes, then few
    // slots with many codes, past several doublings of the table; zero and the largest key too.
    for step in 0..<200_000 {
      let key: UInt64
      if step % 2 == 0 {
        key = UInt64(generator.index(below: 20_000)) << 32 | UInt64(generator.index(below: 8))
      } else {
        key = UInt64(generator.index(below: 4)) << 32 | UInt64(generator.index(below: 50_000))
      }
      let amount = 1 + generator.index(below: 3)
      counts.add(key, count: Int64(amount))
      expected[key, default: 0] += amount
    }
    for key: UInt64 in [0, UInt64.max - 1] {
      counts.add(key, count: 5)
      expected[key, default: 0] += 5
    }
    var actual: [UInt64: Int] = [:]
    counts.forEach { key, count in
      #expect(actual[key] == nil, "key \(key) reported twice")
      actual[key] = count
    }
    #expect(actual.count > 20_000)
    #expect(actual == expected)
  }
}
