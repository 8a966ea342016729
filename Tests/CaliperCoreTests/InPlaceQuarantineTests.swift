import Foundation
import Testing

@testable import CaliperCore

/// Bad decision rows quarantined without leaving the fast path: the same tables, reconciliation
/// and rejects file (lines, reasons, bytes) as the exact reader's.
extension AggregationTests {
  /// Runs `folder` under a quarantine on the fast path (small blocks, three workers) and with
  /// the exact reader, expects the same outcome, and returns the fast run.
  func expectQuarantinesAlike(
    _ folder: URL, keptInPlace: Int = 10_000, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> DecisionPassResult<NoSink> {
    let fastRejects = folder.appendingPathComponent("fast-rejects")
    let exactRejects = folder.appendingPathComponent("exact-rejects")
    var pass = DecisionPass(folder: folder, policy: .quarantine(directory: fastRejects), groupings: Self.groupings)
    pass.workers = 3
    pass.blockSize = 4_096
    pass.rejectsKeptInPlace = keptInPlace
    let reference = try ReferenceData(folder: folder, policy: .strict)
    let fast = try pass.run(reference: reference) { _ in NoSink() }
    var exactPass = DecisionPass(
      folder: folder, policy: .quarantine(directory: exactRejects), groupings: Self.groupings)
    exactPass.forceExactReader = true
    let exact = try exactPass.run(reference: reference) { _ in NoSink() }
    #expect(fast.reconciliation == exact.reconciliation, sourceLocation: sourceLocation)
    for index in Self.groupings.indices {
      #expect(fast.tables[index] == exact.tables[index], sourceLocation: sourceLocation)
    }
    let name = "decisions.csv.rejects.csv"
    let fastFile = try String(contentsOf: fastRejects.appendingPathComponent(name), encoding: .utf8)
    let exactFile = try String(contentsOf: exactRejects.appendingPathComponent(name), encoding: .utf8)
    #expect(fastFile == exactFile, sourceLocation: sourceLocation)
    return fast
  }

  /// The example decisions with bad values (a timestamp, a number, an empty required field, an
  /// extra field, a blank line, a last row without a line end), line ends `lineEnd`, and a
  /// quoted vendor with a line feed inside before them (so lines are not records).
  func decisionsWithBadValues(lineEnd: String) throws -> String {
    var lines = try exampleDecisions.split(separator: "\n").map(String.init)
    func replace(_ index: Int, field: Int, with value: String) {
      var fields = lines[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      fields[field] = value
      lines[index] = fields.joined(separator: ",")
    }
    replace(10, field: 4, with: "\"Han River\nOps\"")
    replace(101, field: 8, with: "soon")
    replace(20_000, field: 9, with: "abc")
    replace(30_001, field: 6, with: "")
    lines[40_000] += ",extra"
    lines.insert("", at: 45_000)
    replace(lines.count - 1, field: 13, with: "maybe")
    return lines.joined(separator: lineEnd)  // no line end after the last row
  }

  @Test(arguments: ["\n", "\r\n"])
  func badValuesAreQuarantinedOnTheFastPathAsTheExactReaderDoes(lineEnd: String) throws {
    let folder = try folder(decisions: try decisionsWithBadValues(lineEnd: lineEnd))
    defer { try? FileManager.default.removeItem(at: folder) }
    let fast = try expectQuarantinesAlike(folder)
    #expect(fast.usedFastPath)
    #expect(fast.reconciliation.rowsRejected == 6)
    #expect(fast.reconciliation.rowsRead == 60_001)
    let rejects = try String(
      contentsOf: folder.appendingPathComponent("fast-rejects/decisions.csv.rejects.csv"), encoding: .utf8)
    #expect(rejects.contains("decisions.csv:103:9: decided_at: expected an ISO 8601 UTC timestamp"))
    #expect(rejects.contains("decisions.csv:45002: expected 15 fields as in the header, found 1"))
  }

  @Test func aSyntaxErrorOrTooManyBadRowsStillGoToTheExactReader() throws {
    var lines = try exampleDecisions.split(separator: "\n").map(String.init)
    lines[7] = lines[7].replacingOccurrences(of: "T", with: " ")
    // A quote inside an unquoted field: a syntax error. (Near the end: past it, with an odd
    // number of quotes, no record ends, and the pass's small test blocks grow to the file's end.)
    var fields = lines[59_990].split(separator: ",", omittingEmptySubsequences: false)
    fields[4] = "Kaizen\"BPO"
    lines[59_990] = fields.joined(separator: ",")
    let stray = try folder(decisions: lines.joined(separator: "\n") + "\n")
    defer { try? FileManager.default.removeItem(at: stray) }
    #expect(try !expectQuarantinesAlike(stray).usedFastPath)

    // Twenty bad rows in a row: every worker meets more than the one it may keep.
    lines = try exampleDecisions.split(separator: "\n").map(String.init)
    for index in 50_000..<50_020 { lines[index] = lines[index].replacingOccurrences(of: "T", with: " ") }
    let many = try folder(decisions: lines.joined(separator: "\n") + "\n")
    defer { try? FileManager.default.removeItem(at: many) }
    #expect(try !expectQuarantinesAlike(many, keptInPlace: 1).usedFastPath)
    #expect(try expectQuarantinesAlike(many).usedFastPath)
  }
}
