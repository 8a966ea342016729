import Foundation
import Testing

@testable import CaliperCore

@Suite("Reading contract files: strict and quarantine, always reconciled")
struct ContractFileReaderTests {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-ingest-\(UUID().uuidString)")

  func write(_ file: String, _ text: String) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try text.write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
  }

  static let policies = """
    label,severity,policy_version,effective_from
    spam,minor,v7,2026-06-01
    hate,critical,v7,2026-06-01
    fraud,severe,v7,2026-06-01
    self_harm,critical,v7,2026-6-1
    "broken"x,major,v7,2026-06-01
    violence,major
    adult,major,v7,2026-06-01
    """

  @Test func strictModeStopsAtTheFirstBadRow() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try write("policies.csv", Self.policies)
    let reader = ContractFileReader(folder: folder)
    var accepted: [PolicyLabel] = []
    let error = #expect(throws: IngestionError.self) {
      _ = try reader.read(.policies, decode: PolicyLabel.init) { accepted.append($0) }
    }
    #expect(
      error?.description == "policies.csv:4:2: severity: expected one of none, minor, major, critical (got \"severe\")")
    #expect(accepted.map(\.label) == ["spam", "hate"])
  }

  @Test func quarantineKeepsGoingAndReconciles() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try write("policies.csv", Self.policies)
    let quarantine = folder.appendingPathComponent("rejects")
    let reader = ContractFileReader(folder: folder, policy: .quarantine(directory: quarantine))
    var accepted: [String] = []
    let tally = try #require(try reader.read(.policies, decode: PolicyLabel.init) { accepted.append($0.label) })
    #expect(accepted == ["spam", "hate", "adult"])
    #expect(tally.rowsRead == 7 && tally.rowsAccepted == 3 && tally.rowsRejected == 4 && tally.reconciles)
    let rejects = try String(contentsOf: quarantine.appendingPathComponent("policies.csv.rejects.csv"), encoding: .utf8)
    let lines = rejects.split(separator: "\n").map(String.init)
    #expect(lines.count == 5)
    #expect(lines[0] == "label,severity,policy_version,effective_from,reason")
    #expect(lines[1].hasPrefix("fraud,severe,v7,2026-06-01,\"policies.csv:4:2: severity: expected one of"))
    #expect(lines[2].hasPrefix("self_harm,critical,v7,2026-6-1,\"policies.csv:5:4: effective_from: expected a date"))
    #expect(
      lines[3].hasPrefix(
        "\"broken\"x,major,v7,2026-06-01,\"policies.csv:6:9: unexpected character after a closing quote"))
    #expect(lines[4].hasPrefix("violence,major,\"policies.csv:7: expected 4 fields as in the header, found 2"))
  }

  @Test func missingEmptyAndHeaderOnlyFiles() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let reader = ContractFileReader(folder: folder)
    let missing = #expect(throws: IngestionError.self) {
      _ = try reader.read(.decisions, decode: Decision.init) { _ in }
    }
    #expect(missing?.description.hasPrefix("decisions.csv: required file is missing from") == true)
    #expect(try reader.read(.golden, decode: GoldenItem.init) { _ in } == nil)
    try write("golden.csv", "")
    let empty = #expect(throws: IngestionError.self) { _ = try reader.read(.golden, decode: GoldenItem.init) { _ in } }
    #expect(empty?.description == "golden.csv: file is empty: a header row is required")
    try write("golden.csv", "\u{FEFF}item_id,gold_label,policy_version,notes\r\n")
    let tally = try #require(try reader.read(.golden, decode: GoldenItem.init) { _ in })
    #expect(
      tally
        == FileReconciliation(
          file: "golden.csv", rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, extraColumns: ["notes"]))
  }

  @Test func unterminatedQuoteIsQuarantinedAsOneRecord() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try write("golden.csv", "item_id,gold_label,policy_version\ni1,spam,v7\ni2,\"spam,v7\ni3,hate,v7\n")
    let reader = ContractFileReader(folder: folder, policy: .quarantine(directory: folder))
    var accepted = 0
    let tally = try #require(try reader.read(.golden, decode: GoldenItem.init) { _ in accepted += 1 })
    #expect(accepted == 1)
    #expect(tally.rowsRead == 2 && tally.rowsRejected == 1 && tally.reconciles)
  }
}
