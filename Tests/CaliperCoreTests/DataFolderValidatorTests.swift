import Foundation
import Testing

@testable import CaliperCore

@Suite("Data folder validation")
struct DataFolderValidatorTests {
  @Test func findingsAreReportedAndEveryFileReconciles() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-validate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let files = [
      "policies.csv":
        "label,severity,policy_version,effective_from\nspam,minor,v7,2026-06-01\nbenign,none,v7,2026-06-01\n",
      "queues.csv": "queue,market,lob,sla_seconds,forecast_daily_volume,go_live\nq1,JP,video,3600,100,\n",
      "moderators.csv": "moderator_id,vendor,site,market,queue,hired_on,status\nm1,V,S,JP,q1,2025-01-01,active\n",
      "decisions.csv": """
      decision_id,item_id,queue,market,vendor,site,moderator_id,enqueued_at,decided_at,handle_seconds,label,ai_assisted
      d1,i1,q1,JP,V,S,m1,2026-07-01T08:01:12Z,2026-07-01T08:15:00Z,41.5,spam,false
      d1,i2,q2,JP,V,S,m2,2026-07-01T09:01:12Z,2026-07-01T08:15:00Z,41.5,hate,false
      d3,i3,q1,JP,V,S,m1,2026-07-01T08:01:12Z,soon,41.5,spam,false

      """,
      "qa_audits.csv":
        "audit_id,decision_id,auditor_id,auditor_org,audited_at,qa_label,disputed,dispute_outcome\na1,d9,q,internal,2026-07-02T00:00:00Z,spam,false,\n",
    ]
    for (name, text) in files {
      try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    let strict = #expect(throws: IngestionError.self) { try DataFolderValidator(folder: folder).validate() }
    #expect(strict?.description.hasPrefix("decisions.csv:4:9: decided_at") == true)

    let report = try DataFolderValidator(
      folder: folder, policy: .quarantine(directory: folder.appendingPathComponent("rejects"))
    ).validate()
    #expect(report.reconciles)
    #expect(
      report.files.first { $0.file == "decisions.csv" }.map { [$0.rowsRead, $0.rowsAccepted, $0.rowsRejected] } == [
        3, 2, 1,
      ])
    #expect(
      report.findingCounts == [
        "duplicate_id": 1, "decided_before_enqueued": 1, "unknown_moderator": 1, "unknown_queue": 1,
        "unknown_label": 1, "audit_of_unknown_decision": 1,
      ])
    #expect(report.findings.contains { $0.location == "qa_audits.csv:2" && $0.kind == .auditOfUnknownDecision })
    #expect(
      report.absentFiles == [
        "golden.csv", "calibration.csv", "training.csv", "incidents.csv", "redteam.csv", "vendor_reports.csv",
      ])
  }
}
