import CaliperCore
import Foundation
import Testing

@testable import CaliperScripting

@Suite("Scorecards evaluated on several hosts")
struct ScorecardSeedTests {
  /// Three scorecards whose KPIs draw random numbers: each starts from the run's seed, so they
  /// draw the same numbers, and the report is the same whichever host evaluated which.
  @Test func everyScorecardStartsFromTheSeedWhateverHostEvaluatesIt() async throws {
    let parent = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-seed-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: parent) }
    var files: [String: String] = [:]
    for name in ["a", "b", "c"] {
      files["\(name).lua"] = """
        local caliper = require "caliper"
        return caliper.scorecard { id = "\(name)", name = "\(name)", grain = "site", period = "week",
          kpis = { { id = "draw", value = function(g) return math.random(1, 1000000) end } } }
        """
    }
    let pack = try scratchPack("seeded", in: parent, folder: "scorecards", files)
    var reports: [Report] = []
    for workers in [1, 2, 3] {
      let report = try await runScorecards(packs: [pack], workers: workers)
      #expect(report.status == .ok)
      reports.append(report)
    }
    let draws = reports[0].scorecards.map { card in card.rows.map { $0.values[0].value } }
    #expect(draws.count == 3 && draws[0].count > 5)
    #expect(draws[0] == draws[1] && draws[1] == draws[2])
    // Not one constant: the numbers are draws.
    #expect(Set(draws[0]).count > 1)
    #expect(reports[1].scorecards == reports[0].scorecards && reports[2].scorecards == reports[0].scorecards)
  }
}
