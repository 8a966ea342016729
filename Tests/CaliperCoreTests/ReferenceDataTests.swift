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
    func facts(_ decision: String) -> [String] {
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
    #expect(facts("d-1") == ["vendor:spam", "internal:hate:disputed:overturned", "vendor:hate"])
    #expect(facts("d-2") == ["vendor:hate"])
    #expect(facts("d-3") == ["internal:hate:disputed", "vendor:spam"])
    #expect(facts("d-4") == [])
  }
}
