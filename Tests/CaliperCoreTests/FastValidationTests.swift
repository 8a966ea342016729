import Foundation
import Testing

@testable import CaliperCore

@Suite("Fast validation")
struct FastValidationTests {
  /// A generated folder with one more line appended to `file` (nothing appended: clean).
  private func folder(appending line: String? = nil, to file: String = "decisions.csv") throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-fast-validate-\(UUID())")
    _ = try SyntheticDataGenerator(seed: 7, decisions: 3_000, weeks: 2).write(to: folder)
    if let line {
      let handle = try FileHandle(forWritingTo: folder.appendingPathComponent(file))
      try handle.seekToEnd()
      try handle.write(contentsOf: Data((line + "\n").utf8))
      try handle.close()
    }
    return folder
  }

  private func json(_ report: ValidationReport) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(report), as: UTF8.self)
  }

  private func exact(_ folder: URL) throws -> ValidationReport {
    var validator = DataFolderValidator(folder: folder)
    validator.forceExactReader = true
    return try validator.validate()
  }

  @Test func aCleanFolderTakesTheFastPathAndGetsTheExactReport() throws {
    let folder = try folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fast = try #require(try FastValidation(validator: DataFolderValidator(folder: folder)).run())
    #expect(try json(fast) == json(exact(folder)))
    #expect(fast.findingCounts.isEmpty)
    #expect(fast.files.first { $0.file == "decisions.csv" }?.rowsAccepted == 3_000)
  }

  /// Each kind of problem the fast path counts sends the folder to the exact reader, so the
  /// report (with each finding's line) is the exact one.
  @Test(arguments: [
    (
      "d-0,i-x,kr-video,KR,Han River Ops,Busan-1,m-busan1-0,2026-06-16T20:09:27Z,2026-06-16T20:36:30Z,44.9,spam,,,false,",
      "duplicate_id"
    ),
    (
      "d-new,i-x,kr-video,KR,Han River Ops,Busan-1,m-busan1-0,2026-06-16T20:09:27Z,2026-06-16T19:36:30Z,44.9,spam,,,false,",
      "decided_before_enqueued"
    ),
    (
      "d-new,i-x,kr-video,KR,Han River Ops,Busan-1,m-nobody,2026-06-16T20:09:27Z,2026-06-16T20:36:30Z,44.9,spam,,,false,",
      "unknown_moderator"
    ),
    (
      "d-new,i-x,xx-none,KR,Han River Ops,Busan-1,m-busan1-0,2026-06-16T20:09:27Z,2026-06-16T20:36:30Z,44.9,spam,,,false,",
      "unknown_queue"
    ),
    (
      "d-new,i-x,kr-video,KR,Han River Ops,Busan-1,m-busan1-0,2026-06-16T20:09:27Z,2026-06-16T20:36:30Z,44.9,spam,nolabel,0.9,true,m1",
      "unknown_label"
    ),
  ])
  func aDecisionProblemGetsTheExactReport(line: String, kind: String) throws {
    let folder = try folder(appending: line)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try FastValidation(validator: DataFolderValidator(folder: folder)).run() == nil)
    let report = try DataFolderValidator(folder: folder).validate()
    #expect(report.findingCounts[kind, default: 0] >= 1)
    #expect(try json(report) == json(exact(folder)))
    #expect(report.findings.contains { $0.kind.rawValue == kind && $0.location == "decisions.csv:3002" })
  }

  @Test(arguments: [
    ("a-new,d-nowhere,qa-int-1,internal,2026-06-24T06:10:17Z,spam,false,", "audit_of_unknown_decision"),
    ("a-1,d-0,qa-int-1,internal,2026-06-24T06:10:17Z,spam,false,", "duplicate_id"),
    ("a-new,d-0,qa-int-1,internal,2026-06-24T06:10:17Z,no_such_label,false,", "unknown_label"),
  ])
  func anAuditProblemGetsTheExactReport(line: String, kind: String) throws {
    let folder = try folder(appending: line, to: "qa_audits.csv")
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try FastValidation(validator: DataFolderValidator(folder: folder)).run() == nil)
    let report = try DataFolderValidator(folder: folder).validate()
    #expect(report.findingCounts == [kind: 1])
    #expect(try json(report) == json(exact(folder)))
  }

  /// Every file in `directory` with its contents (none when it does not exist).
  private func files(in directory: URL) throws -> [String: Data] {
    guard FileManager.default.fileExists(atPath: directory.path) else { return [:] }
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
      files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
    }
    return files
  }

  @Test func aCleanFolderUnderAQuarantineTakesTheFastPathAndRejectsNothing() throws {
    let folder = try folder()
    let rejects = folder.appendingPathComponent("rejects")
    defer { try? FileManager.default.removeItem(at: folder) }
    let validator = DataFolderValidator(folder: folder, policy: .quarantine(directory: rejects))
    let (fast, usedFastPath) = try validator.validateSayingPath()
    #expect(usedFastPath)
    var exact = validator
    exact.forceExactReader = true
    #expect(try json(fast) == json(exact.validate()))
    #expect(fast.files.allSatisfy { $0.rowsRejected == 0 })
    #expect(try files(in: rejects).isEmpty)
  }

  /// A row the contract refuses, under a quarantine: both paths quarantine the same rows with
  /// the same reasons and give the same report: a bad audit is quarantined by the exact reader
  /// of the audits and a bad value in a decision in place, both on the fast path; a syntax error
  /// in a decision, which the decisions pass cannot read in place, sends the folder to the exact
  /// report at once (not through the pass's own exact reading first: decisions.csv read once).
  @Test(arguments: [
    ("qa_audits.csv", "a-new,d-0,qa-int-1,internal,2026-06-24T06:10:17Z,spam,maybe,", true),
    ("qa_audits.csv", "a-new,d-0,qa-int-1,internal,2026-06-24T06:10:17Z,\"spam,false,", true),
    (
      "decisions.csv",
      "d-new,i-x,kr-video,KR,Han River Ops,Busan-1,m-busan1-0,2026-06-16T20:09:27Z,soon,44.9,spam,,,false,", true
    ),
    (
      "decisions.csv",
      "d-new,i-x,kr-video,KR,Han River \"Ops,Busan-1,m-busan1-0,2026-06-16T20:09:27Z,2026-06-16T20:36:30Z,44.9,spam,,,false,",
      false
    ),
  ])
  func aBadRowUnderAQuarantineIsRejectedAlikeOnBothPaths(file: String, line: String, fast: Bool) throws {
    let folder = try folder(appending: line, to: file)
    defer { try? FileManager.default.removeItem(at: folder) }
    let fastRejects = folder.appendingPathComponent("fast-rejects")
    let exactRejects = folder.appendingPathComponent("exact-rejects")
    let validator = DataFolderValidator(folder: folder, policy: .quarantine(directory: fastRejects))
    let (report, usedFastPath) = try validator.validateSayingPath()
    #expect(usedFastPath == fast)
    var exact = DataFolderValidator(folder: folder, policy: .quarantine(directory: exactRejects))
    exact.forceExactReader = true
    #expect(try json(report) == json(exact.validate()))
    #expect(report.files.first { $0.file == file }?.rowsRejected == 1)
    let quarantined = try files(in: fastRejects)
    #expect(quarantined.keys.sorted() == [file + ".rejects.csv"])
    #expect(try quarantined == files(in: exactRejects))
  }

  /// With `fastPathOnly` (validation's), a decisions file the fast path cannot read is handed
  /// back unread: the pass throws instead of reading it with the exact reader, and quarantines
  /// nothing, so the exact report that follows is the only reading and the only quarantine.
  @Test func aPassThatMustNotFallBackThrowsAndQuarantinesNothing() throws {
    let folder = try folder(
      appending:
        "d-new,i-x,kr-video,KR,Han River \"Ops,Busan-1,m-busan1-0,2026-06-16T20:09:27Z,2026-06-16T20:36:30Z,44.9,spam,,,false,"
    )
    defer { try? FileManager.default.removeItem(at: folder) }
    let rejects = folder.appendingPathComponent("rejects")
    var pass = DecisionPass(folder: folder, policy: .quarantine(directory: rejects), groupings: [])
    pass.aggregates = false
    pass.fastPathOnly = true
    #expect(throws: DecisionPass.ExactReaderNeeded.self) {
      _ = try pass.run(reference: try ReferenceData.none(), makeSink: { _ in CountingSink() })
    }
    #expect(try files(in: rejects).isEmpty)
    pass.fastPathOnly = false
    let result = try pass.run(reference: try ReferenceData.none(), makeSink: { _ in CountingSink() })
    #expect(!result.usedFastPath)
    #expect(result.reconciliation.rowsRejected == 1)
  }

  @Test func hashesSharedAcrossOrWithinWorkersAreFound() {
    #expect(!FastValidation.shareAHash([[5, 1, 9], [2, 8], []]))
    #expect(FastValidation.shareAHash([[5, 1, 9], [2, 9]]))
    #expect(FastValidation.shareAHash([[3, 7, 3]]))
    #expect(!FastValidation.shareAHash([]))
  }
}

/// A sink that only counts the rows it is given.
private final class CountingSink: DecisionRowSink {
  var rows = 0
  func consume(_ row: DecisionRow, dictionary: RowDictionary) throws { rows += 1 }
  func restart() { rows = 0 }
}
