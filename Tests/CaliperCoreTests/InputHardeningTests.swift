import Foundation
import Testing

@testable import CaliperCore

/// Input that cannot be misread: every number is parsed over its exact bytes, the fast pass and
/// the exact reader accept exactly the same records, and a data file that is not a regular
/// file is refused by type before anything opens it.
@Suite("Input that cannot be misread")
struct InputHardeningTests {
  static let header =
    "decision_id,item_id,queue,market,vendor,site,moderator_id,enqueued_at,decided_at,handle_seconds,label,ai_label,ai_confidence,ai_assisted,model_version\n"

  static func row(handle: String = "36.5", confidence: String = "0.77") -> String {
    "d-1,i-1,kr-video,KR,Han River Ops,Incheon-2,m-incheon2-8,2026-06-14T04:22:57Z,2026-06-14T04:51:23Z,\(handle),hate_speech,hate_speech,\(confidence),true,mod-2026.06\n"
  }

  /// Examples/data's reference files with `decisions` as decisions.csv.
  func folder(decisions: String) throws -> URL {
    try AggregationTests().folder(decisions: decisions)
  }

  /// The pass's error (fast path first) and the validator's (exact reader), which must agree.
  func errors(_ folder: URL) throws -> (pass: String, validator: String) {
    var pass = DecisionPass(folder: folder, policy: .strict, groupings: AggregationTests.groupings)
    pass.workers = 2
    let reference = try ReferenceData(folder: folder, policy: .strict)
    var passError = "no error"
    do { _ = try pass.run(reference: reference) { _ in NoSink() } } catch { passError = "\(error)" }
    var validatorError = "no error"
    do { _ = try DataFolderValidator(folder: folder).validate() } catch { validatorError = "\(error)" }
    return (passError, validatorError)
  }

  @Test(arguments: [
    ("41\u{0}999", "0.77", "handle_seconds"), ("0.5\u{0}", "0.77", "handle_seconds"),
    ("36.5", "0.5\u{0}junk", "ai_confidence"), ("0x1p3", "0.77", "handle_seconds"),
    ("36.5", "inf", "ai_confidence"), ("36.5 ", "0.77", "handle_seconds"),
  ])
  func aNumberWithAnythingAfterItIsAnErrorOnBothPaths(handle: String, confidence: String, column: String) throws {
    let folder = try folder(decisions: Self.header + Self.row(handle: handle, confidence: confidence))
    defer { try? FileManager.default.removeItem(at: folder) }
    let (pass, validator) = try errors(folder)
    #expect(pass.contains("decisions.csv:2:") && pass.contains(column), "\(pass)")
    #expect(pass == validator)
  }

  @Test func plainNumbersStillReadAsBefore() {
    for (text, value) in [("36.5", 36.5), ("-0.25", -0.25), ("1e3", 1000.0), ("+2", 2.0), ("7.", 7.0), (".5", 0.5)] {
      #expect(FieldParsing.number(Substring(text)) == value, "\(text)")
      #expect(Array(text.utf8).withUnsafeBytes { FieldParsing.number($0) } == value, "\(text) as bytes")
    }
    for text in ["", "-", "nan", "inf", "1,5", "0x10", "1e", "\u{0}"] {
      #expect(FieldParsing.number(Substring(text)) == nil, "\(text)")
    }
  }

  @Test func aRecordTooLongForTheExactReaderIsRefusedByTheFastPassToo() throws {
    // A quoted label field of 16 MiB + 1 byte: the record is over the limit in both readers.
    let long = String(repeating: "x", count: CSVReader.defaultMaximumRecordBytes + 1)
    let row = Self.row().replacingOccurrences(of: ",hate_speech,hate_speech,", with: ",\"\(long)\",hate_speech,")
    let folder = try folder(decisions: Self.header + Self.row() + row)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (pass, validator) = try errors(folder)
    #expect(pass.contains("record longer than \(CSVReader.defaultMaximumRecordBytes) bytes"), "\(pass)")
    #expect(pass == validator)
  }

  @Test func aFIFOOrAFolderInPlaceOfADataFileIsRefusedByType() throws {
    let folder = try folder(decisions: Self.header + Self.row())
    defer { try? FileManager.default.removeItem(at: folder) }
    let decisions = folder.appendingPathComponent("decisions.csv")
    try FileManager.default.removeItem(at: decisions)
    #expect(mkfifo(decisions.path, 0o600) == 0)
    let (fifoPass, fifoValidator) = try errors(folder)
    #expect(fifoPass == "decisions.csv: is a FIFO (named pipe); data files must be regular files", "\(fifoPass)")
    #expect(fifoValidator == fifoPass)
    try FileManager.default.removeItem(at: decisions)
    try FileManager.default.createDirectory(at: decisions, withIntermediateDirectories: false)
    let (folderPass, _) = try errors(folder)
    #expect(folderPass == "decisions.csv: is a directory; data files must be regular files", "\(folderPass)")
    // A reference file too.
    try FileManager.default.removeItem(at: decisions)
    try (Self.header + Self.row()).write(to: decisions, atomically: true, encoding: .utf8)
    let queues = folder.appendingPathComponent("queues.csv")
    try FileManager.default.removeItem(at: queues)
    #expect(mkfifo(queues.path, 0o600) == 0)
    #expect(throws: IngestionError.self) { try ReferenceData(folder: folder, policy: .strict) }
  }

  @Test func aLoneCarriageReturnIsNoLineEndAndItsRecordIsOneRejectKeptWhole() throws {
    var strict = CSVReader(data: Data("a,b\rc,d\r\ne,f\n".utf8), name: "t.csv")
    #expect(throws: CSVSyntaxError.self) { _ = try strict.next() }
    var lenient = CSVReader(data: Data("a,b\rc,d\r\ne,f\n".utf8), name: "t.csv")
    do { _ = try lenient.next() } catch {}
    let skipped = try lenient.skipMalformedRecord()
    #expect(skipped.raw == Array("a,b\rc,d".utf8))
    #expect(try lenient.next()?.fields == ["e", "f"])

    let bad = Self.row().replacingOccurrences(of: "Han River Ops", with: "Han\rRiver")
    let folder = try folder(decisions: Self.header + Self.row() + bad + Self.row())
    defer { try? FileManager.default.removeItem(at: folder) }
    let rejects = folder.appendingPathComponent("rejects")
    let report = try DataFolderValidator(folder: folder, policy: .quarantine(directory: rejects)).validate()
    let decisions = try #require(report.files.first { $0.file == "decisions.csv" })
    #expect(decisions.rowsRead == 3 && decisions.rowsRejected == 1 && decisions.rowsAccepted == 2)
    let written = try Data(contentsOf: rejects.appendingPathComponent("decisions.csv.rejects.csv"))
    #expect(written.split(separator: UInt8(ascii: "\n")).count == 2)  // the header and one reject
    #expect(written.contains(UInt8(ascii: "\r")))
  }

  @Test func anUnclosedQuoteThatWouldSwallowTheFileStopsEvenInQuarantine() throws {
    let unclosed = Self.row().replacingOccurrences(of: ",Han River Ops,", with: ",\"Han River Ops,")
    let rows = (0..<150).map { _ in Self.row() }.joined()
    let folder = try folder(decisions: Self.header + Self.row() + unclosed + rows)
    defer { try? FileManager.default.removeItem(at: folder) }
    let rejects = folder.appendingPathComponent("rejects")
    let error = #expect(throws: CSVSyntaxError.self) {
      _ = try DataFolderValidator(folder: folder, policy: .quarantine(directory: rejects)).validate()
    }
    #expect(error?.line == 3)
    #expect(error?.problem.contains("runs over 151 lines") == true, "\(String(describing: error))")
    // A short malformed record is still quarantined and the run goes on.
    let short = try self.folder(decisions: Self.header + Self.row() + unclosed)
    defer { try? FileManager.default.removeItem(at: short) }
    let report = try DataFolderValidator(folder: short, policy: .quarantine(directory: rejects)).validate()
    #expect(report.files.first { $0.file == "decisions.csv" }?.rowsRejected == 1)
  }

  @Test func aHugeMalformedRecordIsKeptAsABoundedPrefixWithItsLength() throws {
    var reader = CSVReader(
      data: Data("a,\"b".utf8 + [UInt8](repeating: UInt8(ascii: "x"), count: 300_000) + Array("\nc,d\n".utf8)),
      name: "t.csv")
    reader.maximumRecordBytes = 100_000
    #expect(throws: CSVSyntaxError.self) { _ = try reader.next() }
    let skipped = try reader.skipMalformedRecord()
    #expect(skipped.raw.count == CSVReader.keptMalformedBytes)
    #expect(skipped.length == 300_004)
    #expect(try reader.next()?.fields == ["c", "d"])
  }

  /// Unquoted fields are read a run of plain bytes at a time: the run stops where reading byte
  /// by byte would have found the record too long, whichever chunk boundaries fall inside it.
  @Test(arguments: [4_096, 1 << 20])
  func aHugeUnquotedRecordIsCaughtAndKeptAsABoundedPrefix(chunkSize: Int) throws {
    let plain = [UInt8](repeating: UInt8(ascii: "x"), count: 300_000)
    var reader = CSVReader(data: Data("id,note\n1,".utf8 + plain + Array("\nc,d\n".utf8)), name: "t.csv")
    reader.chunkSize = chunkSize
    reader.maximumRecordBytes = 100_000
    #expect(try reader.next()?.fields == ["id", "note"])
    let error = #expect(throws: CSVSyntaxError.self) { _ = try reader.next() }
    #expect(error?.description == "t.csv:2:1: record longer than 100000 bytes (an unclosed quote?)")
    let skipped = try reader.skipMalformedRecord()
    #expect(skipped.raw == Array(("1," + String(repeating: "x", count: CSVReader.keptMalformedBytes - 2)).utf8))
    #expect(skipped.length == 300_002)
    #expect(skipped.line == 2 && skipped.lastLine == 2)
    #expect(try reader.next()?.fields == ["c", "d"])
    #expect(try reader.next() == nil)
  }
}
