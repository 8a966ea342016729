import Foundation
import Testing

@testable import CaliperCore
@testable import CaliperScripting

/// The bad input the alignment issue lists, on a copy of the example data: each is a clear
/// finding or a clear error naming file, line and field; nothing crashes and every row is counted.
@Suite("Alignment bad input")
struct AlignmentBadInputTests {
  /// A copy of the example data with `lines` appended to `file`.
  static func data(appending lines: [String], to file: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-align-bad-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: ExamplePaths.data, to: folder)
    let url = folder.appendingPathComponent(file)
    let handle = try FileHandle(forWritingTo: url)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(lines.map { $0 + "\n" }.joined().utf8))
    try handle.close()
    return folder
  }

  static let base = [ExamplePaths.packs.appendingPathComponent("apac-base")]

  /// The error a run on `lines` appended to `file` stops with.
  static func error(appending lines: [String], to file: String) async throws -> String {
    let folder = try data(appending: lines, to: file)
    defer { try? FileManager.default.removeItem(at: folder) }
    let error = await #expect(throws: (any Error).self) { _ = try await runAlignment(data: folder, packs: base) }
    return error.map { "\($0)" } ?? ""
  }

  @Test func aRatingWithoutSessionOrRaterOrgIsAnErrorNamingFileLineAndField() async throws {
    let lines = try String(contentsOf: ExamplePaths.data.appendingPathComponent("calibration.csv"), encoding: .utf8)
      .split(separator: "\n").count
    let noSession = try await Self.error(
      appending: [",JP,c-x,r-x,vendor,benign,2026-06-05T00:00:00Z"], to: "calibration.csv")
    #expect(noSession.contains("calibration.csv:\(lines + 1):1: session_id: required value is empty"), "\(noSession)")
    let noOrg = try await Self.error(
      appending: ["cal-x,JP,c-x,r-x,,benign,2026-06-05T00:00:00Z"], to: "calibration.csv")
    #expect(noOrg.contains("calibration.csv:\(lines + 1):5: rater_org: required value is empty"), "\(noOrg)")
    let badOrg = try await Self.error(
      appending: ["cal-x,JP,c-x,r-x,contractor,benign,2026-06-05T00:00:00Z"], to: "calibration.csv")
    #expect(badOrg.contains("calibration.csv:\(lines + 1):5: rater_org"), "\(badOrg)")
  }

  @Test func aSessionWithOneRaterIsAFindingAndItsAgreementIsUndefined() async throws {
    let items = (0..<12).map { "cal-solo,JP,solo-\($0),r-solo,vendor,benign,2026-06-05T00:00:00Z" }
    let folder = try Self.data(appending: items, to: "calibration.csv")
    defer { try? FileManager.default.removeItem(at: folder) }
    let report = try await runAlignment(data: folder, packs: Self.base)
    let finding = try #require(report.findings.first { $0.subject == "cal-solo" })
    #expect(finding.message.contains("agreement undefined"), "\(finding.message)")
    let summary = try #require(report.sections.alignment?.sessions.first { $0.id == "cal-solo" })
    #expect(summary.raters == 1 && summary.items == 12)
    #expect(summary.agreements.allSatisfy { $0.alpha.value == nil && $0.alpha.reason != nil })
    let calibration = try #require(report.data.files.first { $0.file == "calibration.csv" })
    #expect(calibration.rowsRead == calibration.rowsAccepted + calibration.rowsRejected)
  }

  @Test func aQueueGoingLiveWithNoModeratorsFailsItsChecklistAndAPastGoLiveIsNotChecked() async throws {
    let folder = try Self.data(
      appending: ["zz-new,JP,video,3600,1000,2026-07-15", "zz-old,JP,video,3600,1000,2026-01-15"], to: "queues.csv")
    defer { try? FileManager.default.removeItem(at: folder) }
    let report = try await runAlignment(data: folder, packs: Self.base)
    let checklist = try #require(report.sections.alignment?.readiness.first { $0.queue == "zz-new" })
    #expect(checklist.moderators == 0)
    #expect(checklist.trained.value == nil)
    #expect(!checklist.checks.isEmpty && checklist.checks.allSatisfy { !$0.passed })
    #expect(report.findings.contains { $0.subject == "zz-new" && $0.severity == .critical })
    #expect(report.sections.alignment?.readiness.contains { $0.queue == "zz-old" } == false)
    #expect(report.findings.allSatisfy { $0.subject != "zz-old" })
  }

  @Test func aQueueWithANegativeVolumeOrNoSLAIsARowError() async throws {
    let lines = try String(contentsOf: ExamplePaths.data.appendingPathComponent("queues.csv"), encoding: .utf8)
      .split(separator: "\n").count
    let negative = try await Self.error(appending: ["zz-bad,JP,video,3600,-5,2026-07-15"], to: "queues.csv")
    #expect(negative.contains("queues.csv:\(lines + 1):5: forecast_daily_volume"), "\(negative)")
    let noSLA = try await Self.error(appending: ["zz-bad,JP,video,0,100,2026-07-15"], to: "queues.csv")
    #expect(noSLA.contains("queues.csv:\(lines + 1):4: sla_seconds"), "\(noSLA)")
  }

  @Test func anUnknownSessionIsAUsageErrorAndAReportOfAnUnknownVendorIsAFinding() async throws {
    await #expect(throws: (any Error).self) {
      _ = try await runAlignment(packs: Self.base, request: AlignmentRequest(session: "no-such-session"))
    }
    let folder = try Self.data(appending: ["Nobody Ltd,,2026-06,qa_accuracy,0.99"], to: "vendor_reports.csv")
    defer { try? FileManager.default.removeItem(at: folder) }
    let report = try await runAlignment(data: folder, packs: Self.base)
    let reports = try #require(report.data.files.first { $0.file == "vendor_reports.csv" })
    #expect(reports.rowsAccepted == reports.rowsRead)
    #expect(report.findings.contains { $0.subject.contains("Nobody Ltd") }, "\(report.findings.map(\.message))")
  }
}
