import Foundation
import Testing

@testable import CaliperCore

/// The join tables the decisions pass reads: audits grouped by decision, in file order.
@Suite("Reference data")
struct ReferenceDataTests {
  @Test func auditsOfADecisionComeTogetherInFileOrderWhereverTheyStand() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-ref-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try "label,severity,policy_version,effective_from\nspam,minor,v7,2026-06-01\nhate,critical,v7,2026-06-01\n"
      .write(to: folder.appendingPathComponent("policies.csv"), atomically: true, encoding: .utf8)
    // d-1's audits stand first, in the middle and last; d-2 has one; d-3 two, apart.
    let audits = [
      ("a1", "d-1", "vendor", "spam", "false", ""), ("a2", "d-3", "internal", "hate", "true", "upheld"),
      ("a3", "d-2", "vendor", "hate", "false", ""), ("a4", "d-1", "internal", "hate", "true", "overturned"),
      ("a5", "d-3", "vendor", "spam", "false", ""), ("a6", "d-1", "vendor", "hate", "false", ""),
    ]
    let text =
      "audit_id,decision_id,auditor_id,auditor_org,audited_at,qa_label,disputed,dispute_outcome\n"
      + audits.map { "\($0.0),\($0.1),q-1,\($0.2),2026-07-02T00:00:00Z,\($0.3),\($0.4),\($0.5)\n" }.joined()
    try text.write(to: folder.appendingPathComponent("qa_audits.csv"), atomically: true, encoding: .utf8)
    let reference = try ReferenceData(folder: folder, policy: .strict)
    #expect(reference.auditCount == 6)
    func facts(_ decision: String) -> [String] { self.facts(decision, reference) }
    #expect(facts("d-1") == ["vendor:spam", "internal:hate:disputed:overturned", "vendor:hate"])
    #expect(facts("d-2") == ["vendor:hate"])
    #expect(facts("d-3") == ["internal:hate:disputed", "vendor:spam"])
    #expect(facts("d-4") == [])
  }

  /// A folder with the policies, and the given golden and audit files.
  private func folder(golden: String?, audits: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-ref-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try "label,severity,policy_version,effective_from\nspam,minor,v7,2026-06-01\nhate,critical,v7,2026-06-01\n"
      .write(to: folder.appendingPathComponent("policies.csv"), atomically: true, encoding: .utf8)
    if let golden {
      try golden.write(to: folder.appendingPathComponent("golden.csv"), atomically: true, encoding: .utf8)
    }
    try audits.write(to: folder.appendingPathComponent("qa_audits.csv"), atomically: true, encoding: .utf8)
    return folder
  }

  private static let auditHeader =
    "audit_id,decision_id,auditor_id,auditor_org,audited_at,qa_label,disputed,dispute_outcome\n"

  /// Whatever the parts `qa_audits.csv` is scanned in (the join is built part by part while
  /// later parts are scanned), the same join.
  @Test(arguments: [ReferenceData.auditPartBytes, 4096, 97])
  func manyDecisionsKeepTheirAuditCountsAcrossInterningBatches(auditPartBytes: Int) throws {
    // 997 decisions, decision i audited i % 3 + 1 times, the audits interleaved: ids are
    // interned 16 at a time, with the batches' slots read ahead.
    var lines: [String] = []
    for round in 0..<3 {
      for decision in 0..<997 where decision % 3 >= round {
        lines.append("a\(round)-\(decision),d-\(decision),q-1,vendor,2026-07-02T00:00:00Z,spam,false,\n")
      }
    }
    let folder = try folder(
      golden: "item_id,gold_label,policy_version\ng-1,spam,v7\n", audits: Self.auditHeader + lines.joined())
    defer { try? FileManager.default.removeItem(at: folder) }
    let reference = try ReferenceData(folder: folder, policy: .strict, auditPartBytes: auditPartBytes)
    #expect(reference.auditCount == lines.count)
    for decision in 0..<998 {
      var id = "d-\(decision)"
      let count = id.withUTF8 { reference.audits(of: UnsafeRawBufferPointer($0))?.count ?? 0 }
      #expect(count == (decision < 997 ? decision % 3 + 1 : 0), "d-\(decision)")
    }
    var item = "g-1"
    #expect(
      item.withUTF8 { reference.goldLabel(of: UnsafeRawBufferPointer($0)) }.map { reference.joinLabels[Int($0)] }
        == "spam")
  }

  /// A part the scanner refuses after earlier parts were joined (a stray quote, which the
  /// exact reader quarantines) starts the join over from the exact reader's audits: the join of
  /// the file without that row.
  @Test func aRefusedLatePartStartsTheJoinOver() throws {
    var lines: [String] = []
    for index in 0..<600 {
      lines.append(
        "a-\(index),d-\(index % 250),q-1,vendor,2026-07-02T00:00:00Z,\(index % 4 == 0 ? "hate" : "spam"),false,\n")
    }
    let clean = try folder(golden: nil, audits: Self.auditHeader + lines.joined())
    defer { try? FileManager.default.removeItem(at: clean) }
    lines.insert("a-x,d-1,q-1,vendor,2026-07-02T00:00:00Z,sp\"am,false,\n", at: 500)
    let stray = try folder(golden: nil, audits: Self.auditHeader + lines.joined())
    defer { try? FileManager.default.removeItem(at: stray) }
    let expected = try ReferenceData(folder: clean, policy: .strict, auditPartBytes: 97)
    let rejects = stray.appendingPathComponent("rejects")
    let reference = try ReferenceData(folder: stray, policy: .quarantine(directory: rejects), auditPartBytes: 97)
    #expect(reference.auditCount == 600 && expected.auditCount == 600)
    #expect(reference.files.first { $0.file == "qa_audits.csv" }?.rowsRejected == 1)
    for decision in 0..<251 {
      #expect(facts("d-\(decision)", reference) == facts("d-\(decision)", expected), "d-\(decision)")
    }
  }

  /// The audits of `decision` in `reference`, in order, as text.
  private func facts(_ decision: String, _ reference: ReferenceData) -> [String] {
    var id = decision
    return id.withUTF8 { bytes in
      guard let range = reference.audits(of: UnsafeRawBufferPointer(bytes)) else { return [] }
      return range.map { position in
        let fact = reference.auditFacts[position]
        return "\(fact.organisation.rawValue):\(reference.joinLabels[Int(fact.qaLabel)])"
          + (fact.disputed ? ":disputed" : "") + (fact.overturned ? ":overturned" : "")
      }
    }
  }

  @Test func errorsComeInFileOrderGoldenBeforeAudits() throws {
    let badAudits = Self.auditHeader + "a1,d-1,q-1,nobody,2026-07-02T00:00:00Z,spam,false,\n"
    let badGolden = "item_id,gold_label,policy_version\ng-1,,v7\n"
    let both = try folder(golden: badGolden, audits: badAudits)
    defer { try? FileManager.default.removeItem(at: both) }
    #expect {
      try ReferenceData(folder: both, policy: .strict)
    } throws: { ($0 as? IngestionError)?.file == "golden.csv" }
    let auditsOnly = try folder(golden: "item_id,gold_label,policy_version\ng-1,spam,v7\n", audits: badAudits)
    defer { try? FileManager.default.removeItem(at: auditsOnly) }
    #expect {
      try ReferenceData(folder: auditsOnly, policy: .strict)
    } throws: { ($0 as? IngestionError)?.file == "qa_audits.csv" }
    // An earlier file's error comes first, and the audits are not scanned.
    try "label,severity\nspam\n".write(
      to: both.appendingPathComponent("policies.csv"), atomically: true, encoding: .utf8)
    #expect {
      try ReferenceData(folder: both, policy: .strict)
    } throws: { ($0 as? IngestionError)?.file == "policies.csv" }
  }
}
