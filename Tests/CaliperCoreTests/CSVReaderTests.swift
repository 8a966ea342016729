import Foundation
import Testing

@testable import CaliperCore

@Suite("CSV reader")
struct CSVReaderTests {
  func records(_ text: String, chunk: Int = 1 << 20) throws -> [CSVReader.Record] {
    try records(Data(text.utf8), chunk: chunk)
  }

  func records(_ data: Data, chunk: Int = 1 << 20) throws -> [CSVReader.Record] {
    var reader = CSVReader(data: data, name: "decisions.csv")
    reader.chunkSize = chunk
    var result: [CSVReader.Record] = []
    while let record = try reader.next() { result.append(record) }
    return result
  }

  func error(_ text: String) -> String? {
    do {
      _ = try records(text)
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test(arguments: [1, 2, 3, 7, 1 << 20])
  func quotingLineEndsAndLineNumbersAtAnyChunkSize(chunk: Int) throws {
    let text = "\u{FEFF}id,note,label\r\n1,\"a, b\",spam\r\n2,\"line one\nline two\",\"say \"\"hi\"\"\"\n3,,\n4,日本語,x"
    let result = try records(text, chunk: chunk)
    #expect(
      result.map(\.fields) == [
        ["id", "note", "label"], ["1", "a, b", "spam"], ["2", "line one\nline two", "say \"hi\""], ["3", "", ""],
        ["4", "日本語", "x"],
      ])
    #expect(result.map(\.line) == [1, 2, 3, 5, 6])
    #expect(String(decoding: result[1].raw, as: UTF8.self) == "1,\"a, b\",spam")
  }

  @Test func emptyInputsAndTrailingNewline() throws {
    #expect(try records("").isEmpty)
    #expect(try records("\u{FEFF}").isEmpty)
    #expect(try records("a,b\n").map(\.fields) == [["a", "b"]])
    #expect(try records("a,b\n\nc,d\n").map(\.fields) == [["a", "b"], [""], ["c", "d"]])
    #expect(try records("\"\"").map(\.fields) == [[""]])
  }

  @Test func malformedInputIsReportedWithPosition() {
    #expect(
      error("id,note\n1,\"never closed\n2,x\n")
        == "decisions.csv:2:3: unterminated quoted field (got \"\"never closed\n2,x\n\")")
    #expect(
      error("id,note\n1,\"closed\"x\n") == "decisions.csv:2:11: unexpected character after a closing quote (got \"x\")")
    #expect(
      error("id,note\n1,ab\"c\n")
        == "decisions.csv:2:5: quote inside an unquoted field (quote the whole field) (got \"ab\"\")")
    let invalid = Data("id\n".utf8) + Data([0x66, 0xFF, 0x0A])
    #expect(throws: CSVSyntaxError.self) { try records(invalid) }
    #expect((try? records(invalid)) == nil)
  }

  @Test func veryLongFieldsAreReadAndRunawayRecordsAreCaught() throws {
    let long = String(repeating: "x", count: 3_000_000)
    #expect(try records("a,\(long)\n").first?.fields[1].count == 3_000_000)
    var reader = CSVReader(data: Data("a,\"\(long)".utf8), name: "big.csv")
    reader.maximumRecordBytes = 1_000_000
    let error = #expect(throws: CSVSyntaxError.self) { try reader.next() }
    #expect(error?.description == "big.csv:1:1: record longer than 1000000 bytes (an unclosed quote?)")
  }

  /// A reader started at a record in the middle of a file (a part read on its own core, a record
  /// quarantined in place) reads a byte-order mark there as the record's bytes, as a reader of
  /// the whole file does: only at the file's start is it a mark.
  @Test func aReaderStartedMidFileKeepsAByteOrderMarkAsTheRecordsBytes() throws {
    let head = Data("id,note\n1,a\n".utf8)
    let file = head + Data("\u{FEFF}2,b\n3,c\n".utf8)
    let whole = try records(file)
    #expect(whole.map(\.fields) == [["id", "note"], ["1", "a"], ["\u{FEFF}2", "b"], ["3", "c"]])
    var part = CSVReader(data: Data(file[head.count...]), name: "t.csv", firstLine: 3)
    let first = try part.next()
    #expect(first == whole[2])
    #expect(try part.next() == whole[3])
  }

  @Test func readsFilesInChunks() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-csv-\(UUID().uuidString).csv")
    defer { try? FileManager.default.removeItem(at: url) }
    let rows = (1...5_000).map { "d\($0),\"note, \($0)\",label\($0 % 7)" }
    try ("decision_id,note,label\n" + rows.joined(separator: "\n") + "\n").write(
      to: url, atomically: true, encoding: .utf8)
    var reader = try CSVReader(url: url)
    reader.chunkSize = 4_096
    var count = 0
    var last: CSVReader.Record?
    while let record = try reader.next() {
      count += 1
      last = record
    }
    #expect(count == 5_001)
    #expect(last?.fields == ["d5000", "note, 5000", "label2"])
    #expect(last?.line == 5_001)
  }
}
