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
    return flattened(
      read.parts.map { audits in
        var builder = AuditPartBuilder()
        for audit in audits { builder.append(audit) }
        return builder.finish()
      })
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
