import Foundation
import LuaKit
import Testing

@testable import CaliperCore
@testable import CaliperScripting

@Suite("Remembered measure results")
struct MeasureMemoTests {
  /// Each self-contained function is measured twice: as written (its results remembered by
  /// the fields it reads) and wrapped in a closure over it (an upvalue: called for every row).
  /// Both must give the same value and n in every group.
  @Test func selfContainedMeasuresGiveWhatCallingForEveryRowGives() async throws {
    let functions: [(id: String, reduce: String, where: String?, of: String?)] = [
      ("night", "rate", "function(row) return row.hour >= 22 or row.hour < 6 end", nil),
      // Reads different fields on different rows.
      (
        "branchy", "rate",
        """
        function(row)
          if row.market == "JP" then return row.hour < 6
          elseif row.ai_label then return row.ai_label == row.label and row.ai_assisted
          else return row.weekday >= 6 end
        end
        """, nil
      ),
      // Reads an id: no short identity, so its memo gives up at once.
      ("by_id", "rate", "function(row) return row.decision_id:sub(-1) == '7' end", nil),
      // More different keys than a memo keeps: it gives up part-way.
      ("many_keys", "rate", "function(row) return row.enqueued_at % 7 == 0 end", nil),
      ("mean_hours", "mean", nil, "function(row) return row.turnaround_seconds // 3600 end"),
      (
        "weekend_handle", "sum", "function(row) return row.date >= '2026-06-20' end",
        "function(row) return row.ai_assisted and row.handle_seconds or 0.5 end"
      ),
    ]
    var measures = ""
    var kpis = ""
    for function in functions {
      for (suffix, wrap) in [("", false), ("_called", true)] {
        func field(_ name: String, _ body: String?) -> String {
          guard let body else { return "" }
          return wrap ? ", \(name) = twin(\(body))" : ", \(name) = \(body)"
        }
        let id = function.id + suffix
        measures +=
          "caliper.measure { id = '\(id)', reduce = '\(function.reduce)'"
          + field("where", function.where) + field("of", function.of) + " },\n"
        kpis += "{ id = '\(id)', value = function(g) return g:measure('\(id)') end },\n"
      }
    }
    let scorecard = """
      local caliper = require "caliper"
      -- Calls f from a closure that captures it: never remembered.
      local function twin(f) return function(row) return f(row) end end
      return caliper.scorecard { id = "memo", name = "Memo", grain = "site", period = "week",
        measures = {
      \(measures)  },
        kpis = {
      \(kpis)  } }
      """
    let parent = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-memo-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: parent) }
    let pack = try scratchPack("memo", in: parent, folder: "scorecards", ["memo.lua": scorecard])
    for workers in [1, 2] {
      let report = try await runScorecards(packs: [pack], workers: workers)
      let card = try #require(report.scorecards.first)
      #expect(card.error == nil, "\(card.error ?? "")")
      #expect(card.rows.count > 5)
      for function in functions {
        let remembered = try #require(card.kpis.firstIndex { $0.id == function.id })
        let called = try #require(card.kpis.firstIndex { $0.id == function.id + "_called" })
        var matchedSome = false
        for row in card.rows {
          var twin = row.values[called]
          twin.kpi = function.id
          #expect(row.values[remembered] == twin, "\(function.id), \(row.group)")
          if let value = row.values[called].value, value > 0 { matchedSome = true }
        }
        #expect(matchedSome, "\(function.id) kept no row: the test would not tell")
      }
    }
  }

  /// A memo over a hand-made row: results found by the fields read, kept apart by their
  /// values, forgotten when a call reads a new field, and given up on as documented.
  @Test func aMemoKeysResultsByTheFieldsCallsRead() throws {
    let dictionary = RowDictionary()
    let (hour, market, decisionID, weekday) = (UInt64(1) << 15, UInt64(1) << 3, UInt64(1), UInt64(1) << 16)
    func row(hour: Int64, market: String) -> DecisionRow {
      decisionRow(decidedAt: 1_781_568_000 + hour * 3_600, market: dictionary.id(market))
    }
    var memo = RowMemo<Bool>()
    // No field read yet: every row has the same (empty) key.
    #expect(memo.result(for: memo.key(row(hour: 23, market: "JP"))) == nil)
    let kept1 = memo.keep(
      true, read: hour, key: memo.key(row(hour: 23, market: "JP")), row: row(hour: 23, market: "JP"))
    #expect(kept1)
    #expect(memo.result(for: memo.key(row(hour: 23, market: "KR"))) == true)
    #expect(memo.result(for: memo.key(row(hour: 9, market: "JP"))) == nil)
    let kept2 = memo.keep(false, read: hour, key: memo.key(row(hour: 9, market: "JP")), row: row(hour: 9, market: "JP"))
    #expect(kept2)
    #expect(memo.result(for: memo.key(row(hour: 9, market: "KR"))) == false)
    // A call that also read the market: the memo starts over, keyed by hour and market.
    let third = row(hour: 3, market: "ID")
    let kept3 = memo.keep(true, read: hour | market, key: memo.key(third), row: third)
    #expect(kept3)
    #expect(memo.result(for: memo.key(row(hour: 23, market: "JP"))) == nil)
    #expect(memo.result(for: memo.key(row(hour: 3, market: "ID"))) == true)
    #expect(memo.result(for: memo.key(row(hour: 3, market: "JP"))) == nil)
    // Forgetting keeps the key fields but no result.
    memo.forget()
    #expect(memo.result(for: memo.key(row(hour: 3, market: "ID"))) == nil)

    // Gives up on an id, on a fifth field and past the entry bound.
    var byID = RowMemo<Bool>()
    let kept4 = byID.keep(true, read: decisionID | hour, key: byID.key(third), row: third)
    #expect(!kept4)
    var wide = RowMemo<Bool>()
    let kept5 = wide.keep(true, read: hour | market | weekday | 1 << 4, key: wide.key(third), row: third)
    #expect(kept5)
    let kept6 = wide.keep(true, read: 1 << 5, key: wide.key(third), row: third)
    #expect(!kept6)
    var full = RowMemo<Int>()
    var kept = 0
    for day in 0..<Int64(RowMemo<Int>.maxEntries + 1) {
      let next = decisionRow(decidedAt: day * 86_400, market: 0)
      let key = full.key(next)
      #expect(full.result(for: key) == nil)
      guard full.keep(Int(day), read: 1 << 18, key: key, row: next) else { break }
      kept += 1
    }
    #expect(kept == RowMemo<Int>.maxEntries)
    #expect(full.result(for: full.key(decisionRow(decidedAt: 17 * 86_400, market: 0))) == 17)
  }

  private func decisionRow(decidedAt: Int64, market: Int32) -> DecisionRow {
    DecisionRow(
      decisionID: UnsafeRawBufferPointer(start: nil, count: 0), itemID: UnsafeRawBufferPointer(start: nil, count: 0),
      queue: 0, market: market, vendor: 0, site: 0, moderator: 0, label: 0, aiLabel: RowDictionary.missing,
      modelVersion: RowDictionary.missing, enqueuedAt: decidedAt - 60, decidedAt: decidedAt, handleSeconds: 30,
      aiConfidence: nil, aiAssisted: false)
  }
}
