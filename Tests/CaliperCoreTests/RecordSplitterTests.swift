import Foundation
import Testing

@testable import CaliperCore

/// The block-at-a-time splitter against the byte-by-byte reading of each record: the same
/// records with the same fields, refused at the same record, on buffers of every shape.
@Suite("Record splitter")
struct RecordSplitterTests {
  /// A splitter of five columns keeping three of them, in another order.
  static let splitter: RecordSplitter = {
    let names = ["a", "b", "c", "d", "e"]
    let header = try! CSVHeader(CSVReader.Record(fields: names, line: 1), file: "t.csv", required: names)
    return RecordSplitter(header: header, fields: ["d", "a", "e", "missing"])
  }()

  /// What one way of splitting gives: each record's kept fields, and the result.
  struct Outcome: Equatable {
    var records: [[[UInt8]]] = []
    var result: Int?
  }

  static func outcome(_ bytes: [UInt8], byRecord: Bool, refuseAfter: Int = .max) -> Outcome {
    var outcome = Outcome()
    bytes.withUnsafeBytes { buffer in
      let take = { (fields: UnsafeMutableBufferPointer<UnsafeRawBufferPointer>) -> Bool in
        outcome.records.append(fields.map { Array($0) })
        return outcome.records.count < refuseAfter
      }
      outcome.result =
        byRecord ? splitter.splitRecordByRecord(buffer, take) : splitter.split(buffer, take)
    }
    return outcome
  }

  /// A random field: mostly plain, sometimes quoted (with commas, doubled quotes, line ends
  /// inside), non-ASCII or empty, and now and then broken (a stray quote, a lone CR, bad UTF-8).
  static func field(_ random: inout SeededGenerator, broken: Bool) -> [UInt8] {
    let plain = Array("abcdefghij0123456789-_.: ".utf8)
    let length = [0, 1, 3, 8, 15, 16, 17, 30, 63, 64, 65, 100][random.index(below: 12)]
    var text = (0..<length).map { _ in plain[random.index(below: plain.count)] }
    switch random.index(below: 10) {
    case 0: text += Array("日本,é".utf8)
    case 1: return [quote] + text + Array(",\"\"x\n\r\n".utf8) + text + [quote]
    case 2: return [quote] + text + [quote]
    default: break
    }
    if broken {
      let position = random.index(below: text.count + 1)
      let damage: [[UInt8]] = [[quote], [carriageReturn], [0xFF], [0xC3], Array("\"\"".utf8)]
      text.insert(contentsOf: damage[random.index(below: damage.count)], at: position)
    }
    return text
  }

  static func buffer(_ random: inout SeededGenerator, records: Int, brokenOneIn: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    for _ in 0..<records {
      let columns = random.index(below: 40) == 0 ? [4, 6][random.index(below: 2)] : 5
      for column in 0..<columns {
        if column > 0 { bytes.append(comma) }
        bytes += field(&random, broken: random.index(below: brokenOneIn) == 0)
      }
      bytes += random.index(below: 4) == 0 ? [carriageReturn, newline] : [newline]
    }
    if random.index(below: 3) == 0, bytes.last == newline {  // no line end after the last record
      bytes.removeLast()
      if bytes.last == carriageReturn { bytes.removeLast() }
    }
    return bytes
  }

  @Test(arguments: [1, 20, 400])
  func blocksAndRecordByRecordAgree(brokenOneIn: Int) {
    var random = SeededGenerator(seed: UInt64(brokenOneIn))
    var refused = 0
    for round in 0..<300 {
      let bytes = Self.buffer(&random, records: 1 + random.index(below: 12), brokenOneIn: brokenOneIn)
      let expected = Self.outcome(bytes, byRecord: true)
      #expect(
        Self.outcome(bytes, byRecord: false) == expected, "round \(round): \(String(decoding: bytes, as: UTF8.self))")
      if expected.result == nil { refused += 1 }
      // A record the caller refuses stops both at the same place.
      #expect(
        Self.outcome(bytes, byRecord: false, refuseAfter: 2) == Self.outcome(bytes, byRecord: true, refuseAfter: 2))
    }
    // Refused buffers were tried, and unless every field is broken, whole ones too.
    #expect(refused > 0)
    if brokenOneIn > 1 { #expect(refused < 300) }
  }

  @Test func fieldsAreCutAtEveryBlockBoundary() {
    // One record whose comma falls on each position around the 64-byte block edges.
    for length in 0..<200 {
      let first = [UInt8](repeating: UInt8(ascii: "x"), count: length)
      let bytes = first + Array(",b,c,dd,e\n1,2,3,4,5".utf8)
      let outcome = Self.outcome(bytes, byRecord: false)
      #expect(outcome.result == 2)
      #expect(outcome.records.first == [Array("dd".utf8), first, Array("e".utf8), []])
      #expect(outcome.records.last == [Array("4".utf8), Array("1".utf8), Array("5".utf8), []])
    }
  }

  @Test func quotedRecordsAmongPlainOnesKeepTheirValues() {
    let bytes = Array("p,q,r,s,t\n\"a,1\",b,c,\"d\"\"2\",\"e\n3\"\r\nu,v,w,x,y\n".utf8)
    let outcome = Self.outcome(bytes, byRecord: false)
    #expect(outcome.result == 3)
    #expect(outcome.records[1] == [Array("d\"2".utf8), Array("a,1".utf8), Array("e\n3".utf8), []])
    #expect(outcome.records[2] == [Array("x".utf8), Array("u".utf8), Array("y".utf8), []])
  }
}
