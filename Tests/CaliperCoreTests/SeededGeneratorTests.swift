import Testing

@testable import CaliperCore

@Suite struct SeededGeneratorTests {
  @Test func matchesTheSplitMix64ReferenceSequence() {
    var generator = SeededGenerator(seed: 0)
    #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    #expect(generator.next() == 0x06C4_5D18_8009_454F)
  }

  @Test func boundedDrawsAreInRangeAndReproducible() {
    var first = SeededGenerator(seed: 42)
    var second = SeededGenerator(seed: 42)
    let a = (0..<1000).map { _ in first.index(below: 7) }
    let b = (0..<1000).map { _ in second.index(below: 7) }
    #expect(a == b)
    #expect(a.allSatisfy { (0..<7).contains($0) })
    #expect(Set(a).count == 7)
  }
}
