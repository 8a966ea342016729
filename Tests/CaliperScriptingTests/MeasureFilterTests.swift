import Foundation
import Testing

@testable import CaliperScripting

/// Custom measures of scorecards that share grain and period but not filters (one lane whose
/// filter verdicts are remembered by market, vendor, site and queue, dates checked row by row)
/// count exactly the rows the built-in aggregation counts for the same filters.
@Suite("Custom measures under filters")
struct MeasureFilterTests {
  @Test func aMeasureCountsTheRowsOfItsScorecardsFilter() async throws {
    let filters = [
      "none": "",
      "jp": "filter = { market = 'JP' },",
      "jp_kr": "filter = { market = { 'JP', 'KR' } },",
      "vendor": "filter = { vendor = 'Archipelago CX' },",
      "video": "filter = { lob = 'video' },",
      "queue": "filter = { queue = 'kr-video' },",
      "week": "filter = { from = '2026-06-15', to = '2026-06-21' },",
      "jp_week": "filter = { market = 'JP', from = '2026-06-08', to = '2026-06-14' },",
    ]
    var files: [String: String] = [:]
    for (id, filter) in filters {
      files["\(id).lua"] = """
        local caliper = require "caliper"
        return caliper.scorecard { id = "\(id)", grain = "site", period = "week", min_n = 1, \(filter)
          measures = { caliper.measure { id = "rows", reduce = "count", where = function(row) return true end } },
          kpis = {
            { id = "rows", value = function(g) return g:measure("rows") end },
            { id = "decisions", value = function(g) return g.decisions end },
          } }
        """
    }
    let parent = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-filters-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: parent) }
    let pack = try scratchPack("filters", in: parent, folder: "scorecards", files)
    for workers in [1, 2] {
      let report = try await runScorecards(packs: [pack], workers: workers)
      #expect(report.scorecards.count == filters.count)
      var decisions: [String: Double] = [:]
      for card in report.scorecards {
        #expect(card.error == nil, "\(card.id): \(card.error ?? "")")
        decisions[card.id] = card.rows.compactMap { $0.values[1].value }.reduce(0, +)
        for row in card.rows {
          #expect(row.values[0].value != nil && row.values[0].value == row.values[1].value, "\(card.id) \(row.group)")
        }
      }
      // Every filter kept some rows and dropped others.
      let all = try #require(decisions["none"])
      for (id, count) in decisions where id != "none" { #expect(count > 0 && count < all, "\(id): \(count) of \(all)") }
    }
  }
}
