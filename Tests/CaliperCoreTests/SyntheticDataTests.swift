import Foundation
import Testing

@testable import CaliperCore

@Suite("Synthetic data generator")
struct SyntheticDataTests {
  func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("caliper-generate-\(UUID().uuidString)")
  }

  @Test func sameSeedGivesByteIdenticalFilesAndOtherSeedsDiffer() throws {
    let first = temporaryFolder()
    let second = temporaryFolder()
    let third = temporaryFolder()
    defer { for folder in [first, second, third] { try? FileManager.default.removeItem(at: folder) } }
    let summary = try SyntheticDataGenerator(seed: 7, decisions: 3_000, weeks: 4).write(to: first)
    _ = try SyntheticDataGenerator(seed: 7, decisions: 3_000, weeks: 4).write(to: second)
    _ = try SyntheticDataGenerator(seed: 8, decisions: 3_000, weeks: 4).write(to: third)
    #expect(summary.rows["decisions.csv"] == 3_000)
    for file in ContractFile.allCases.map(\.fileName) + ["ANSWERS.md"] {
      let a = try Data(contentsOf: first.appendingPathComponent(file))
      #expect(a == (try Data(contentsOf: second.appendingPathComponent(file))), "\(file)")
    }
    #expect(
      try Data(contentsOf: first.appendingPathComponent("decisions.csv"))
        != (try Data(contentsOf: third.appendingPathComponent("decisions.csv"))))
  }

  @Test func generatedDataMeetsTheContractAndCarriesThePlantedProblems() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let generator = SyntheticDataGenerator(seed: 1, decisions: 40_000, weeks: 4)
    _ = try generator.write(to: folder)
    let report = try DataFolderValidator(folder: folder).validate()
    #expect(report.reconciles && report.findingCounts.isEmpty && report.absentFiles.isEmpty)

    // Accuracy from internal audits: the drifting site in the drift week against other weeks,
    // and the lenient vendor's own QA against internal QA on the same decisions.
    let reader = ContractFileReader(folder: folder)
    var decisions: [String: Decision] = [:]
    _ = try reader.read(.decisions, decode: Decision.init) { decisions[$0.decisionID] = $0 }
    var internalVerdicts: [String: Bool] = [:]
    var vendorVerdicts: [String: Bool] = [:]
    var drift = (week: (k: 0, n: 0), other: (k: 0, n: 0))
    let driftWeek = generator.driftWeekLabel
    _ = try reader.read(.qaAudits, decode: QAAudit.init) { audit in
      let decision = decisions[audit.decisionID]!
      let correct = decision.isCorrect(per: audit)
      if audit.auditorOrganisation == .vendor {
        vendorVerdicts[audit.decisionID] = correct
        return
      }
      internalVerdicts[audit.decisionID] = correct
      guard decision.site == SyntheticWorld.driftSite else { return }
      if decision.period(.week) == driftWeek {
        drift.week.n += 1
        drift.week.k += correct ? 1 : 0
      } else {
        drift.other.n += 1
        drift.other.k += correct ? 1 : 0
      }
    }
    let weekRate = Double(drift.week.k) / Double(drift.week.n)
    let otherRate = Double(drift.other.k) / Double(drift.other.n)
    #expect(otherRate - weekRate > 0.04, "drift week \(weekRate) vs other weeks \(otherRate)")

    var paired = (vendor: 0, internal: 0, n: 0)
    for (id, vendorCorrect) in vendorVerdicts {
      guard let internalCorrect = internalVerdicts[id], decisions[id]!.vendor == SyntheticWorld.inflatedVendor else {
        continue
      }
      paired.n += 1
      paired.vendor += vendorCorrect ? 1 : 0
      paired.internal += internalCorrect ? 1 : 0
    }
    #expect(paired.n > 100)
    #expect(paired.vendor > paired.internal)
    let answers = try String(contentsOf: folder.appendingPathComponent("ANSWERS.md"), encoding: .utf8)
    #expect(answers.contains("`Osaka-2`") && answers.contains(driftWeek) && answers.contains("`vn-ads`"))
  }

  @Test func fixedPointFormatting() {
    #expect(fixed(0.775, decimals: 2) == "0.78" || fixed(0.775, decimals: 2) == "0.77")
    #expect(fixed(41.5, decimals: 1) == "41.5")
    #expect(fixed(15.04, decimals: 1) == "15.0")
    #expect(fixed(0.05, decimals: 2) == "0.05")
    #expect(fixed(-1.25, decimals: 1) == "-1.3")
    #expect(fixed(3, decimals: 0) == "3")
  }
}
