import Testing

@testable import CaliperCore

@Suite("Group index")
struct GroupIndexTests {
  @Test func keysGetDenseIndicesInTheOrderFirstSeenThroughEveryGrowth() {
    var index = GroupIndex()
    // Keys as RowGrouper makes them (group id high, period id low), some negative, many sharing
    // low bits, enough to grow the table several times; each seen twice.
    let keys: [Int64] = (0..<5_000).map { Int64($0 % 97) << 32 | Int64($0 / 97) } + [-1, .min, .max, 1 << 40]
    for (expected, key) in keys.enumerated() {
      let first = index.index(of: key)
      #expect(first.index == expected && first.isNew)
      let again = index.index(of: key)
      #expect(again.index == expected && !again.isNew)
    }
    #expect(index.count == keys.count)
    #expect(index.keys == keys)
    // Every key still finds its own index once the table has grown.
    for (expected, key) in keys.enumerated() { #expect(index.index(of: key) == (expected, false)) }
  }
}
