import Foundation
import Testing

@testable import CaliperCore

@Suite("Audit scanner")
struct AuditScannerTests {
  private let header = "audit_id,decision_id,auditor_id,auditor_org,audited_at,qa_label,disputed,dispute_outcome"

  /// Every audit as (audit id hash, decision id, organisation, QA label, disputed, overturned).
  private func flattened(_ parts: [AuditPart]) -> [String] {
    parts.flatMap { part in
      (0..<part.count).map { index in
        let fact = part.facts[index]
        let decision = part.withDecisionID(index) { String(decoding: $0, as: UTF8.self) }
        return
          "\(part.auditIDHashes[index]) \(decision) \(fact.organisation) \(part.labels[Int(fact.qaLabel)]) \(fact.disputed) \(fact.overturned)"
      }
    }
  }

  private func folder(_ audits: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-audit-scan-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try audits.write(to: folder.appendingPathComponent("qa_audits.csv"), atomically: true, encoding: .utf8)
    return folder
  }

  /// The audits as the exact reader decodes them.
  private func exact(_ folder: URL) throws -> [String] {
    let read = try #require(try ContractFileReader(folder: folder).readParts(.qaAudits, decode: QAAudit.init))
    return flattened(read.parts.map(AuditScanner.part))
  }

  @Test(arguments: [1, 2, 3])
  func scannedAuditsEqualTheExactReadersWhateverTheSplit(workers: Int) throws {
    var lines = [header + ",note"]
    let labels = ["spam", "hate_speech", "benign", "scam_fraud"]
    for index in 0..<500 {
      let outcome = index % 7 == 0 ? "overturned" : index % 5 == 0 ? "upheld" : ""
      let note = index % 11 == 0 ? "\"says \"\"hi\"\", twice\"" : "n\(index)"
      let label = index % 13 == 0 ? "\"\(labels[index % 4])\"" : labels[index % 4]
      lines.append(
        "a-\(index),d-\(index / 2),q-\(index % 9),\(index % 3 == 0 ? "vendor" : "internal"),2026-07-0\(1 + index % 9)T10:00:00Z,\(label),\(outcome.isEmpty ? "false" : "true"),\(outcome),\(note)"
      )
    }
    let folder = try folder(lines.joined(separator: index(of: workers)) + "\r\n")
    defer { try? FileManager.default.removeItem(at: folder) }
    let header = try #require(
      try ContractFileReader(folder: folder).recordParts(.qaAudits, parts: workers))
    let scanner = AuditScanner(header: header.header)
    let scanned = try header.parts.map { part in
      try #require(header.data.withUnsafeBytes { scanner.scan(UnsafeRawBufferPointer(rebasing: $0[part.range])) })
    }
    #expect(flattened(scanned) == (try exact(folder)))
    let read = try #require(try ContractFileReader(folder: folder).auditParts(workers: workers))
    #expect(flattened(read.parts) == (try exact(folder)))
    #expect(read.tally.rowsAccepted == 500 && read.tally.extraColumns == ["note"])
  }

  /// Under a quarantine, audits with bad values are quarantined in place by the scan: the same
  /// audits, reconciliation and rejects file (lines, reasons, bytes) as the exact reader's,
  /// whatever the split; a syntax error, or more rejects than kept in place, goes to the exact
  /// reader, with the same outcome.
  @Test(arguments: [1, 2, 3])
  func badAuditsAreQuarantinedInPlaceAsTheExactReaderDoes(workers: Int) throws {
    var lines = [header]
    for index in 0..<300 {
      lines.append("a-\(index),d-\(index),q-1,vendor,2026-07-01T10:00:00Z,spam,false,")
    }
    let bad = [
      "a1,d1,q1,policy,2026-07-01T10:00:00Z,spam,false,", "a1,d1,q1,vendor,2026-07-01 10:00:00,spam,false,",
      "a1,d1,q1,vendor,2026-07-01T10:00:00Z,spam,yes,", "a1,,q1,vendor,2026-07-01T10:00:00Z,spam,false,",
      "a1,d1,q1,vendor,2026-07-01T10:00:00Z,spam,false,,extra", "",
    ]
    for (offset, line) in bad.enumerated() { lines[10 + offset * 50] = line }
    let clean = lines.joined(separator: "\n") + "\n"
    lines[200] = "a-x,d-x,q-1,vendor,2026-07-01T10:00:00Z,sp\"am,false,"
    let stray = lines.joined(separator: "\n") + "\n"
    for (text, keptInPlace) in [(clean, 10_000), (clean, 0), (stray, 10_000)] {
      let folder = try folder(text)
      defer { try? FileManager.default.removeItem(at: folder) }
      let (fastRejects, exactRejects) = (folder.appendingPathComponent("fast"), folder.appendingPathComponent("exact"))
      let fast = try #require(
        try ContractFileReader(folder: folder, policy: .quarantine(directory: fastRejects)).auditParts(
          workers: workers, rejectsKeptInPlace: keptInPlace))
      let exact = try #require(
        try ContractFileReader(folder: folder, policy: .quarantine(directory: exactRejects)).readParts(
          .qaAudits, decode: QAAudit.init))
      let exactParts = exact.parts.map(AuditScanner.part)
      #expect(flattened(fast.parts) == flattened(exactParts))
      #expect(fast.tally == exact.tally)
      let name = "qa_audits.csv.rejects.csv"
      let fastFile = try String(contentsOf: fastRejects.appendingPathComponent(name), encoding: .utf8)
      #expect(fastFile == (try String(contentsOf: exactRejects.appendingPathComponent(name), encoding: .utf8)))
      #expect(fast.tally.rowsRejected == (text == clean ? 6 : 7))
    }
    // The clean file's bad values are the scan's own: quarantined in place, in one part.
    let folder = try folder(clean)
    defer { try? FileManager.default.removeItem(at: folder) }
    let read = try #require(try ContractFileReader(folder: folder).recordParts(.qaAudits, parts: 1))
    let quarantine = InPlaceQuarantine(
      file: .qaAudits, header: read.header, headerBytes: Array(header.utf8),
      directory: folder.appendingPathComponent("unused"), limit: 10, decode: { _ = try QAAudit($0) })
    var refused: [String] = []
    let part = read.data.withUnsafeBytes { bytes in
      AuditScanner(header: read.header).scan(UnsafeRawBufferPointer(rebasing: bytes[read.parts[0].range])) {
        refused.append(String(decoding: $0, as: UTF8.self))
        return quarantine.rejects($0)
      }
    }
    #expect(part?.count == 294)
    #expect(refused == bad.map { $0 + "\n" })
  }

  /// Parts handed over as they are scanned arrive in file order whatever their size, each
  /// saying how many there are; a part the scanner refuses after others were handed over (a
  /// stray quote) brings a start-over, then the exact reader's parts.
  @Test(arguments: [1, 2, 3])
  func partsHandedOverAsScannedArriveInFileOrder(workers: Int) throws {
    var lines = [header]
    for index in 0..<400 {
      lines.append(
        "a-\(index),d-\(index / 3),q-\(index % 5),vendor,2026-07-01T10:00:00Z,\(index % 2 == 0 ? "spam" : "benign"),false,"
      )
    }
    let clean = lines.joined(separator: "\n") + "\n"
    lines[300] = "a-x,d-x,q-1,vendor,2026-07-01T10:00:00Z,sp\"am,false,"
    let stray = lines.joined(separator: "\n") + "\n"
    for (text, partBytes) in [(clean, 64), (clean, 5000), (clean, nil), (stray, 64)] {
      let folder = try folder(text)
      defer { try? FileManager.default.removeItem(at: folder) }
      let reader = ContractFileReader(
        folder: folder, policy: .quarantine(directory: folder.appendingPathComponent("r")))
      var (parts, startedOver, counts): ([AuditPart], Int, Set<Int>) = ([], 0, [])
      let tally = try #require(
        try reader.scannedParts(AuditScanner.self, workers: workers, partBytes: partBytes) { event in
          switch event {
          case .part(let part, let of):
            parts.append(part)
            counts.insert(of)
          case .startOver:
            #expect(!parts.isEmpty, "parts before the refused one were handed over first")
            parts = []
            counts = []
            startedOver += 1
          }
        })
      let exact = try #require(
        try ContractFileReader(folder: folder, policy: .quarantine(directory: folder.appendingPathComponent("e")))
          .readParts(.qaAudits, decode: QAAudit.init))
      #expect(flattened(parts) == flattened(exact.parts.map(AuditScanner.part)))
      #expect(counts == [parts.count], "every part says how many there are")
      #expect(startedOver == (text == stray ? 1 : 0))
      #expect(tally.rowsAccepted == (text == stray ? 399 : 400))
      if text == clean, let partBytes, partBytes < 100 { #expect(parts.count > 100) }
    }
  }

  /// The rejects kept in place are limited for the whole file, not per part: past the limit
  /// the exact reader takes over (a start-over), with the same rejects and audits.
  @Test func theRejectLimitHoldsForTheWholeFileWhateverTheParts() throws {
    var lines = [header]
    for index in 0..<120 {
      let organisation = index % 20 == 7 ? "policy" : "vendor"  // six bad values, far apart
      lines.append("a-\(index),d-\(index),q-1,\(organisation),2026-07-01T10:00:00Z,spam,false,")
    }
    let folder = try folder(lines.joined(separator: "\n") + "\n")
    defer { try? FileManager.default.removeItem(at: folder) }
    for (limit, startsOver) in [(3, 1), (6, 0)] {
      let rejects = folder.appendingPathComponent("r\(limit)")
      var (parts, startedOver): ([AuditPart], Int) = ([], 0)
      let tally = try #require(
        try ContractFileReader(folder: folder, policy: .quarantine(directory: rejects)).scannedParts(
          AuditScanner.self, workers: 2, rejectsKeptInPlace: limit, partBytes: 64
        ) { event in
          switch event {
          case .part(let part, _): parts.append(part)
          case .startOver:
            parts = []
            startedOver += 1
          }
        })
      #expect(startedOver == startsOver, "limit \(limit)")
      #expect(tally.rowsRejected == 6 && tally.rowsAccepted == 114)
      #expect(parts.reduce(0) { $0 + $1.count } == 114)
      let written = try String(contentsOf: rejects.appendingPathComponent("qa_audits.csv.rejects.csv"), encoding: .utf8)
      #expect(written.split(separator: "\n").count == 7, "a header and six rejects")
    }
  }

  /// Line ends: LF for one worker count, CRLF for the others.
  private func index(of workers: Int) -> String { workers == 2 ? "\r\n" : "\n" }

  @Test(arguments: [
    ("a1,d1,q1,policy,2026-07-01T10:00:00Z,spam,false,", "qa_audits.csv:2:4: auditor_org"),
    ("a1,d1,q1,vendor,2026-07-01 10:00:00,spam,false,", "qa_audits.csv:2:5: audited_at"),
    ("a1,d1,q1,vendor,2026-07-01T10:00:00Z,spam,yes,", "qa_audits.csv:2:7: disputed"),
    ("a1,d1,q1,vendor,2026-07-01T10:00:00Z,spam,true,won", "qa_audits.csv:2:8: dispute_outcome"),
    ("a1,,q1,vendor,2026-07-01T10:00:00Z,spam,false,", "qa_audits.csv:2:2: decision_id"),
    ("a1,d1,q1,vendor,2026-07-01T10:00:00Z,,false,", "qa_audits.csv:2:6: qa_label"),
  ])
  func aBadAuditGetsTheExactReadersError(line: String, error: String) throws {
    let folder = try folder(header + "\n" + line + "\n")
    defer { try? FileManager.default.removeItem(at: folder) }
    let parts = try #require(try ContractFileReader(folder: folder).recordParts(.qaAudits, parts: 1))
    let bytes = parts.data.withUnsafeBytes {
      AuditScanner(header: parts.header).scan(UnsafeRawBufferPointer(rebasing: $0[parts.parts[0].range]))
    }
    #expect(bytes == nil)
    let thrown = #expect(throws: IngestionError.self) { try ContractFileReader(folder: folder).auditParts() }
    #expect(thrown?.description.hasPrefix(error) == true, "\(thrown?.description ?? "")")
  }
}
