import Foundation
import Testing

@testable import CaliperCore

@Suite("Data contract rows")
struct ContractRowTests {
  /// The example rows of docs/data-contract.md, each under its file's header.
  static let examples: [ContractFile: String] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/data-contract.md")
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    var examples: [ContractFile: String] = [:]
    var current: ContractFile?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("# "), let file = ContractFile.allCases.first(where: { "# " + $0.fileName == line }) {
        current = file
        examples[file] = ""
      } else if line.isEmpty || line.hasPrefix("```") {
        current = nil
      } else if let file = current {
        examples[file, default: ""] += line + "\n"
      }
    }
    return examples
  }()

  func rows(_ file: ContractFile, _ text: String) throws -> [RowReader] {
    var reader = CSVReader(data: Data(text.utf8), name: file.fileName)
    guard let headerRecord = try reader.next() else { return [] }
    let header = try file.header(headerRecord)
    var result: [RowReader] = []
    while let record = try reader.next() { result.append(try RowReader(record, header: header)) }
    return result
  }

  @Test func everyDocumentedExampleRowDecodes() throws {
    #expect(Self.examples.count == ContractFile.allCases.count)
    for file in ContractFile.allCases {
      let rows = try rows(file, try #require(Self.examples[file], "no example for \(file.fileName)"))
      #expect(rows.count == 1, "\(file.fileName)")
      let row = try #require(rows.first)
      switch file {
      case .policies: #expect(try PolicyLabel(row).severity == .major)
      case .queues: #expect(try Queue(row).slaSeconds == 3_600)
      case .moderators: #expect(try Moderator(row).status == .active)
      case .decisions:
        let decision = try Decision(row)
        #expect(decision.decidedAt.description == "2026-07-01T08:15:00Z")
        #expect(decision.aiConfidence == 0.62 && decision.overridesAI)
      case .qaAudits: #expect(try QAAudit(row).disputeOutcome == nil)
      case .golden: #expect(try GoldenItem(row).goldLabel == "hate_speech")
      case .calibration: #expect(try CalibrationRating(row).raterOrganisation == .policy)
      case .training: #expect(try TrainingRecord(row).score == 0.92)
      case .incidents: #expect(try Incident(row).resolvedAt != nil)
      case .redteam: #expect(try RedTeamCase(row).caught == false)
      case .vendorReports:
        let report = try VendorReport(row)
        #expect(report.site == nil && report.period.grain == .month && report.kpi == .qaAccuracy)
      }
    }
  }

  @Test func vendorReportsRefuseBadPeriodsAndImpossibleValues() throws {
    func error(_ row: String) -> String? {
      do {
        for reader in try rows(.vendorReports, "vendor,site,period,kpi,value\n" + row + "\n") {
          _ = try VendorReport(reader)
        }
        return nil
      } catch {
        return "\(error)"
      }
    }
    #expect(error("Kaizen BPO,Tokyo-1,2026-W36,qa_accuracy,0.97") == nil)
    #expect(error("Kaizen BPO,,2026-09,handle_p90_seconds,88") == nil)
    #expect(error("Kaizen BPO,,2026-W54,qa_accuracy,0.97")?.contains("vendor_reports.csv:2:3: period") == true)
    #expect(error("Kaizen BPO,,2026-13,qa_accuracy,0.97")?.contains("period: expected an ISO week") == true)
    #expect(error("Kaizen BPO,,Q3,qa_accuracy,0.97") != nil)
    #expect(error("Kaizen BPO,,2026-09,qa_accuracy,97")?.contains("value: expected a proportion in 0...1") == true)
    #expect(error("Kaizen BPO,,2026-09,handle_p90_seconds,-1")?.contains("value: expected a number of seconds") == true)
    #expect(error("Kaizen BPO,,2026-09,accuracy,0.9")?.contains("kpi: expected one of qa_accuracy") == true)
  }

  func decisionError(_ row: String, header: String? = nil) -> String? {
    let head =
      header
      ?? "decision_id,item_id,queue,market,vendor,site,moderator_id,enqueued_at,decided_at,handle_seconds,label,ai_label,ai_confidence,ai_assisted,model_version"
    do {
      for reader in try rows(.decisions, head + "\n" + row + "\n") { _ = try Decision(reader) }
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test func malformedFieldsNameLineColumnAndValue() {
    let good = "d1,i1,q,JP,V,S,m1,2026-07-01T08:01:12Z,2026-07-01T08:15:00Z,41.5,spam,,,false,"
    #expect(decisionError(good) == nil)
    #expect(
      decisionError("d1,i1,q,JP,V,S,m1,2026-07-01T08:01:12Z,2026-07-01 08:15,41.5,spam,,,false,")
        == "decisions.csv:2:9: decided_at: expected an ISO 8601 UTC timestamp like 2026-07-01T08:15:00Z (got \"2026-07-01 08:15\")"
    )
    #expect(
      decisionError("d1,i1,q,JP,V,S,m1,2026-07-01T08:01:12Z,2026-07-01T08:15:00Z,fast,spam,,,false,")
        == "decisions.csv:2:10: handle_seconds: expected a number (got \"fast\")")
    #expect(
      decisionError("d1,i1,q,JP,V,S,m1,2026-07-01T08:01:12Z,2026-07-01T08:15:00Z,41.5,spam,,,yes,")
        == "decisions.csv:2:14: ai_assisted: expected true or false (got \"yes\")")
    #expect(
      decisionError("d1,i1,q,JP,V,S,m1,2026-07-01T08:01:12Z,2026-07-01T08:15:00Z,41.5,,,,false,")
        == "decisions.csv:2:11: label: required value is empty")
    #expect(
      decisionError("d1,i1,q,JP,V,S,m1,2026-07-01T08:01:12Z,2026-07-01T08:15:00Z,41.5,spam,x,1.5,true,")
        == "decisions.csv:2:13: ai_confidence: expected a number in 0...1 (got \"1.5\")")
    #expect(
      decisionError("d1,i1,q,JP,V,S,m1,2026-07-01T08:01:12Z")
        == "decisions.csv:2: expected 15 fields as in the header, found 8 (got \"d1,i1,q,JP,V,S,m1,2026-07-01T08:01:12Z\")"
    )
    #expect(
      decisionError("d1,2026-02-30T00:00:00Z", header: "decision_id,enqueued_at")?.hasPrefix(
        "decisions.csv:1: missing required column 'item_id'") == true)
    #expect(
      decisionError("x,y", header: "decision_id,decision_id") == "decisions.csv:1:2: column 'decision_id' appears twice"
    )
  }

  @Test func datesTimestampsAndExtras() throws {
    #expect(FieldParsing.timestamp("2026-02-30T00:00:00Z") == nil)
    #expect(FieldParsing.timestamp("2026-07-01T24:00:00Z") == nil)
    #expect(FieldParsing.timestamp("2026-07-01T08:15:00+09:00") == nil)
    #expect(FieldParsing.date("2024-02-29") != nil)
    #expect(FieldParsing.number("nan") == nil && FieldParsing.number("inf") == nil)
    let rows = try rows(.golden, "item_id,gold_label,policy_version,reviewer\ni1,spam,v7,ana\n")
    #expect(rows.first?.header.extraColumns == ["reviewer"])
    #expect(try GoldenItem(try #require(rows.first)).policyVersion == "v7")
  }
}
