import Foundation
import Testing

@testable import CaliperScripting

/// The report's JSON encoder against Foundation's `JSONEncoder` configured as the report was
/// written before it: the same bytes for the example reports and for every edge case below.
@Suite("Report JSON encoder")
struct ReportJSONEncoderTests {
  private func foundation<Value: Encodable>(_ value: Value) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return Array(try encoder.encode(value))
  }

  private func expectSameBytes<Value: Encodable>(
    _ value: Value, sourceLocation: SourceLocation = #_sourceLocation
  )
    throws
  {
    let ours = try ReportJSONEncoder().encode(value)
    let theirs = try foundation(value)
    // Compared as a flag: a failing comparison of the arrays would print every byte.
    let same = ours == theirs
    #expect(same, "not Foundation's bytes", sourceLocation: sourceLocation)
    if !same {
      let at =
        zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ours.count, theirs.count)
      let context = { (bytes: [UInt8]) in
        String(decoding: bytes[max(0, at - 60)..<min(bytes.count, at + 60)], as: UTF8.self)
      }
      Issue.record(
        "first difference at byte \(at): ours …\(context(ours))… Foundation's …\(context(theirs))…",
        sourceLocation: sourceLocation)
    }
  }

  @Test func theExampleReportsAreFoundationsBytes() async throws {
    try expectSameBytes(try await runScorecards(packs: ExamplePaths.all))
    try expectSameBytes(try await runAlignment(packs: ExamplePaths.all))
    try expectSameBytes(try await runCurricula(packs: ExamplePaths.all))
  }

  @Test func numbersAreWrittenAsFoundationWritesThem() throws {
    var generator = SeededGenerator(seed: 17)
    var numbers: [Double] = [
      0, -0.0, 1, -1, 0.1, 1e-5, 1e-7, 123_456_789, 1e15, 1e16, 1e17, 1.5e300, -2.5e-300, .leastNonzeroMagnitude,
      .greatestFiniteMagnitude, .leastNormalMagnitude, 0.30000000000000004, 100, 2.0 / 3,
    ]
    while numbers.count < 3_000 {
      let value = Double(bitPattern: generator.next())
      if value.isFinite { numbers.append(value) }
      numbers.append(Double(Int64(bitPattern: generator.next()) >> 20) / 1_000)
    }
    try expectSameBytes(numbers)
    try expectSameBytes(numbers.map { Float($0) }.filter(\.isFinite))
    try expectSameBytes(Scalars(small: 1.0, large: 12_345_678_901_234, negative: Int8.min, unsigned: UInt64.max))
    try expectSameBytes(42)
    try expectSameBytes(0.5)
  }

  @Test func stringsAndNamesAreEscapedAndSortedAsFoundationDoes() throws {
    let awkward = (0..<128).map { String(UnicodeScalar(UInt8($0))) }.joined() + "é漢字🙂/\\\"\u{2028}"
    try expectSameBytes([awkward, "", "plain"])
    try expectSameBytes([
      "zeta": 1, "Alpha": 2, "alpha": 3, "a\"quote": 4, "new\nline": 5, "é": 6, "e": 7, "camelCaseKey": 8, "": 9,
    ])
    try expectSameBytes(Names())
    try expectSameBytes(["outer": ["innerKey": [["deepKey": "x"]]]])
  }

  @Test func emptyMissingAndNestedValuesMatch() throws {
    try expectSameBytes(Nested())
    try expectSameBytes(Nested(optional: "set", list: [], table: [:], children: [Nested(), Nested(optional: "child")]))
    try expectSameBytes([[Int]]())
    try expectSameBytes([Nested?.none, Nested()])
    try expectSameBytes(Custom())
    try expectSameBytes(Special())
  }

  @Test func unrepresentableValuesFailAsInFoundation() throws {
    for value in [Double.nan, .infinity, -.infinity] {
      #expect(throws: EncodingError.self) { try ReportJSONEncoder().encode(Scalars(small: value)) }
      #expect(throws: EncodingError.self) { try foundation(Scalars(small: value)) }
    }
    #expect(throws: EncodingError.self) { try ReportJSONEncoder().encode(EncodesNothing()) }
    #expect(throws: EncodingError.self) { try foundation(EncodesNothing()) }
    try expectSameBytes([EncodesNothing()])
  }
}

private struct Scalars: Encodable {
  var small = 0.0
  var large: Int64 = 0
  var negative: Int8 = 0
  var unsigned: UInt64 = 0
  var flag = true
  var half: Float = 0.5
}

private struct Names: Encodable {
  var luaAPI = 1
  var myURLProperty = 2
  var kpiID = 3
  var a1B = 4
  var already_snake = 5
  var zLast = 6
  var ALLCAPS = 7
  var x = 8
}

private struct Nested: Encodable {
  var optional: String?
  var list: [Int]? = nil
  var table: [String: Double]? = nil
  var children: [Nested] = []
}

/// Hand-written `encode(to:)` with nested, unkeyed, super and nil members.
private struct Custom: Encodable {
  enum Key: String, CodingKey {
    case firstPart, secondPart, nothingHere, superValue
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    var nested = container.nestedContainer(keyedBy: Key.self, forKey: .firstPart)
    try nested.encode("inner", forKey: .secondPart)
    var list = container.nestedUnkeyedContainer(forKey: .secondPart)
    try list.encode(1)
    try list.encodeNil()
    var deeper = list.nestedContainer(keyedBy: Key.self)
    try deeper.encode(true, forKey: .firstPart)
    var inner = list.nestedUnkeyedContainer()
    try inner.encode("x")
    try container.encodeNil(forKey: .nothingHere)
    try container.encode("encoded twice: the last is kept", forKey: .nothingHere)
    try "from super".encode(to: container.superEncoder(forKey: .superValue))
    try 7.encode(to: container.superEncoder())
  }
}

/// Foundation's special cases: URLs, data, decimals and dates.
private struct Special: Encodable {
  var link = URL(string: "https://example.com/a/b?c=d")!
  var file = URL(fileURLWithPath: "/tmp/some folder/report.json")
  var bytes = Data([0, 1, 2, 250, 251, 252, 253])
  var amount = Decimal(string: "12345.678")!
  var when = Date(timeIntervalSinceReferenceDate: 123_456.5)
}

private struct EncodesNothing: Encodable {
  func encode(to encoder: any Encoder) throws {}
}

/// A small deterministic generator (SplitMix64) for the number cases.
private struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
