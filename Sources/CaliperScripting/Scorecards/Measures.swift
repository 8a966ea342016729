import CaliperCore
import LuaKit

/// Per group, what a custom measure has seen: rows in the group, rows its `where` kept, and
/// the sum of its `of` over those.
struct MeasureTally: Equatable {
  var rows = 0
  var matched = 0
  var sum = 0.0

  mutating func merge(_ other: MeasureTally) {
    rows += other.rows
    matched += other.matched
    sum += other.sum
  }

  /// The measure's value under `reduce`.
  func metric(_ reduce: MeasureDefinition.Reduce) -> Metric {
    switch reduce {
    case .count: Metric(value: Double(matched), n: rows)
    case .sum: Metric(value: sum, n: matched)
    case .rate: .proportion(matched, of: rows, what: "rows")
    case .mean:
      matched > 0 ? Metric(value: sum / Double(matched), n: matched) : Metric(undefined: "no rows matched", n: 0)
    }
  }
}

/// A worker's custom measures: each decision row goes, through a reusable read-only row view,
/// to the `where` and `of` functions of every measure of every scorecard, in this worker's
/// own Lua state. Partial tallies are merged across workers after the pass.
final class MeasureSink: DecisionRowSink {
  struct Plan {
    var scorecard: Int
    var grouper: RowGrouper
    var measures: [MeasureDefinition]
    /// Group → first index of its tallies in `tallies` (one per measure, contiguous), so that
    /// rows update the tallies in place.
    var groups: [Int64: Int] = [:]
    var tallies: [MeasureTally] = []
  }

  private let host: ScriptHost
  private var plans: [Plan]
  private let row: RowView
  private let rowTable: LuaTable
  private let limits: RunLimits

  init(host: ScriptHost, reference: ReferenceData, limits: RunLimits) throws {
    self.host = host
    self.limits = limits
    plans = host.scorecards.enumerated().compactMap { index, card in
      card.measures.isEmpty
        ? nil
        : Plan(
          scorecard: index, grouper: RowGrouper(grouping: card.grouping, reference: reference), measures: card.measures)
    }
    row = RowView()
    rowTable = try row.makeTable(in: host.state)
  }

  /// Whether any scorecard has measures (else the pass needs no sink work).
  var isEmpty: Bool { plans.isEmpty }

  func scan(_ body: () throws -> Void) throws {
    try host.state.run(limits: limits, body).get()
  }

  func consume(_ decision: DecisionRow, dictionary: RowDictionary) throws {
    guard !plans.isEmpty else { return }
    row.current = decision
    row.dictionary = dictionary
    for planIndex in plans.indices {
      guard let key = plans[planIndex].grouper.key(of: decision, in: dictionary) else { continue }
      let count = plans[planIndex].measures.count
      let base: Int
      if let known = plans[planIndex].groups[key] {
        base = known
      } else {
        base = plans[planIndex].tallies.count
        plans[planIndex].groups[key] = base
        plans[planIndex].tallies += repeatElement(MeasureTally(), count: count)
      }
      for index in 0..<count {
        let measure = plans[planIndex].measures[index]
        plans[planIndex].tallies[base + index].rows += 1
        if let predicate = measure.predicate {
          guard try truthy(predicate.call(rowTable, returning: LuaValue.self)) else { continue }
        }
        plans[planIndex].tallies[base + index].matched += 1
        if let of = measure.of {
          let value = try of.call(rowTable, returning: LuaValue.self)
          switch value {
          case .integer(let number): plans[planIndex].tallies[base + index].sum += Double(number)
          case .number(let number) where number.isFinite: plans[planIndex].tallies[base + index].sum += number
          default:
            throw PackError(
              location: "measure '\(measure.id)'",
              problem: "of(row) must return a finite number (got \(value.typeName))")
          }
        }
      }
    }
  }

  /// This worker's tallies by scorecard index and group, as strings.
  func results(dictionary: RowDictionary) -> [Int: [GroupKey: [MeasureTally]]] {
    var results: [Int: [GroupKey: [MeasureTally]]] = [:]
    for plan in plans {
      var table: [GroupKey: [MeasureTally]] = [:]
      let count = plan.measures.count
      for (key, base) in plan.groups {
        table[RowGrouper.groupKey(key, in: dictionary)] = Array(plan.tallies[base..<base + count])
      }
      results[plan.scorecard] = table
    }
    return results
  }

  private func truthy(_ value: LuaValue) -> Bool {
    switch value {
    case .nil: false
    case .boolean(let flag): flag
    default: true
    }
  }
}

/// The row scripts see in `where(row)` and `of(row)`: one Lua table per worker whose
/// `__index` reads the current decision's fields from Swift, so no table is built per row.
final class RowView {
  var current: DecisionRow?
  var dictionary: RowDictionary?

  /// Field names scripts may read.
  static let fields = [
    "decision_id", "item_id", "queue", "market", "vendor", "site", "moderator_id", "label", "ai_label",
    "model_version", "enqueued_at", "decided_at", "handle_seconds", "ai_confidence", "ai_assisted", "hour",
    "weekday", "turnaround_seconds", "date",
  ]

  /// Field names by their first byte, as (index, bytes): a key is matched by comparing its
  /// bytes with at most three candidates, without making a `String`.
  private static let candidates: [[(index: Int, bytes: [UInt8])]] = {
    var table = Array(repeating: [(index: Int, bytes: [UInt8])](), count: 256)
    for (index, name) in fields.enumerated() { table[Int(name.utf8.first!)].append((index, Array(name.utf8))) }
    return table
  }()

  private static func fieldIndex(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let first = key.first else { return nil }
    for candidate in candidates[Int(first)] where candidate.bytes.count == key.count {
      if candidate.bytes.elementsEqual(key) { return candidate.index }
    }
    return nil
  }

  func makeTable(in state: LuaState) throws -> LuaTable {
    let getter = try state.function(named: "row.__index") { [unowned self] call in
      guard let row = self.current, let dictionary = self.dictionary else {
        throw call.error("rows are only readable inside where(row) and of(row)")
      }
      let found = try call.stack.withBytes(at: 2) { key -> Bool in
        try self.push(field: key, of: row, dictionary, on: call.stack)
      }
      guard found == true else {
        throw call.error(
          "a row has no field '\(call.stack.describe(at: 2))' (fields: \(Self.fields.joined(separator: ", ")))")
      }
      return 1
    }
    let make = try state.load(
      """
      local index = ...
      return setmetatable({}, {
        __index = index,
        __newindex = function(_, key) error("rows are read-only (assigning '" .. tostring(key) .. "')", 2) end,
        __metatable = "row",
      })
      """, name: "=row", environment: try state.hostGlobals)
    return try make.call(getter, returning: LuaTable.self)
  }

  private func push(
    field key: UnsafeBufferPointer<UInt8>, of row: DecisionRow, _ dictionary: RowDictionary, on stack: LuaStack
  )
    throws -> Bool
  {
    func text(_ id: Int32) throws {
      if id == RowDictionary.missing {
        stack.pushNil()
      } else {
        try dictionary.withBytes(id) { try stack.pushBytes($0.assumingMemoryBound(to: UInt8.self)) }
      }
    }
    func raw(_ bytes: UnsafeRawBufferPointer) throws { try stack.pushBytes(bytes.assumingMemoryBound(to: UInt8.self)) }
    guard let field = Self.fieldIndex(key) else { return false }
    switch field {  // in `fields` order
    case 0: try raw(row.decisionID)
    case 1: try raw(row.itemID)
    case 2: try text(row.queue)
    case 3: try text(row.market)
    case 4: try text(row.vendor)
    case 5: try text(row.site)
    case 6: try text(row.moderator)
    case 7: try text(row.label)
    case 8: try text(row.aiLabel)
    case 9: try text(row.modelVersion)
    case 10: stack.push(row.enqueuedAt)
    case 11: stack.push(row.decidedAt)
    case 12: stack.push(row.handleSeconds)
    case 13: if let value = row.aiConfidence { stack.push(value) } else { stack.pushNil() }
    case 14: stack.push(row.aiAssisted)
    case 15: stack.push(Int64((row.decidedAt % 86_400 + 86_400) % 86_400 / 3_600))
    case 16: stack.push(Int64(Timestamp(secondsSinceEpoch: row.decidedAt).date.isoWeekday))
    case 17: stack.push(row.decidedAt - row.enqueuedAt)
    case 18: try stack.push(Timestamp(secondsSinceEpoch: row.decidedAt).date.description)
    default: return false
    }
    return true
  }
}
