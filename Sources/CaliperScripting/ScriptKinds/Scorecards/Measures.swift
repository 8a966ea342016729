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
  /// What one worker's measures of one scorecard produced.
  struct Outcome {
    var tallies: [GroupKey: [MeasureTally]] = [:]
    var failure: String?

    /// Adds another worker's outcome (the first failure in worker order is kept).
    mutating func merge(_ other: Outcome) {
      for (key, theirs) in other.tallies {
        guard var mine = tallies[key] else {
          tallies[key] = theirs
          continue
        }
        for index in mine.indices { mine[index].merge(theirs[index]) }
        tallies[key] = mine
      }
      failure = failure ?? other.failure
    }
  }

  /// The state the predicates run in (given back to the pool after the run).
  let host: ScriptHost
  /// Mutated through one access per row (a stored `var` of a class pays a dynamic exclusivity
  /// check at every access).
  private var work: MeasureWork
  private let row: RowView
  private let rowView: LuaRecordView
  private let limits: RunLimits
  /// Whether any scorecard has measures (else the pass needs no sink work).
  let isEmpty: Bool

  private let cancellation: CancellationFlag
  /// What `work` is rebuilt from when the pass starts over.
  private let scorecards: [ScorecardDefinition]
  private let reference: ReferenceData
  private let scansRows: Bool

  /// A sink over `host`'s scorecards. When the source cannot scan rows, every scorecard with
  /// measures fails with an error that says so, and the others run.
  init(
    host: ScriptHost, scorecards: [ScorecardDefinition], reference: ReferenceData, limits: RunLimits,
    cancellation: CancellationFlag, scansRows: Bool
  ) throws {
    self.host = host
    self.limits = limits
    self.cancellation = cancellation
    self.scorecards = scorecards
    self.reference = reference
    self.scansRows = scansRows
    work = Self.work(scorecards, reference, scansRows: scansRows)
    isEmpty = work.plans.isEmpty || !scansRows
    row = RowView()
    rowView = try row.makeView(in: host.state)
  }

  /// The measures with empty tallies.
  private static func work(
    _ scorecards: [ScorecardDefinition], _ reference: ReferenceData, scansRows: Bool
  ) -> MeasureWork {
    var work = MeasureWork(scorecards: scorecards, reference: reference)
    if !scansRows { work.failAll("the data source cannot scan rows, so custom measures cannot run") }
    return work
  }

  func restart() {
    work = Self.work(scorecards, reference, scansRows: scansRows)
  }

  func scan(_ body: () throws -> Void) throws {
    try cancellation.check()
    try host.state.run(limits: limits, body).get()
  }

  func consume(_ decision: DecisionRow, dictionary: RowDictionary) throws {
    try withUnsafePointer(to: decision) {
      try consume(UnsafeBufferPointer(start: $0, count: 1), dictionary: dictionary)
    }
  }

  func consume(_ rows: UnsafeBufferPointer<DecisionRow>, dictionary: RowDictionary) throws {
    guard !isEmpty else { return }
    if row.adopt(dictionary) {
      try rowView.resetSymbols()
      work.forgetMemos()
    }
    // The view is opened by the first function called on a row (a row whose results are all
    // remembered calls none) and closed after it.
    defer { if rowView.isOpen { rowView.close() } }
    try work.consume(rows, dictionary, row, rowView)
  }

  /// This worker's outcomes by scorecard key (`pack/id`), with group keys as strings.
  func results(dictionary: RowDictionary) -> [String: Outcome] {
    var results: [String: Outcome] = [:]
    for (plan, keys) in work.plansWithGroupKeys {
      var outcome = Outcome(failure: plan.failure)
      let count = plan.steps.count
      // Groups of the plan's lane that its own filter kept no row of are not the plan's.
      for (group, key) in keys.enumerated() where plan.tallies[group * count].rows > 0 {
        outcome.tallies[RowGrouper.groupKey(key, in: dictionary)] = Array(
          plan.tallies[group * count..<(group + 1) * count])
      }
      results[plan.scorecard] = outcome
    }
    return results
  }
}

/// The measures of every scorecard of one worker, and their tallies. A function shared by
/// several scorecards (a base pack's measure that market packs inherit) runs once per row, and
/// scorecards whose groupings share grain and period (a base scorecard and its market copies,
/// each with its own filter) share the row's group key.
struct MeasureWork {
  /// What the per-row loop reads of a measure: indices into `predicates` and `values` (-1:
  /// none), so that no reference-counted value is copied per row.
  struct Step {
    var predicate: Int
    var of: Int
  }

  struct Plan {
    /// The scorecard's key (`pack/id`): workers' copies of a scorecard are matched by it.
    var scorecard: String
    /// `pack P, scorecard S`, for error messages.
    var name: String
    /// The scorecard's grouping: its filter decides which rows the plan sees.
    var grouper: RowGrouper
    /// The measures' ids (for error messages) and steps, in declaration order.
    var measureIDs: [String]
    var steps: [Step]
    /// Per group of its lane, in the lane's order: group `g`'s tallies are
    /// `tallies[g * steps.count ..<]` (one per measure, contiguous), so that rows update them in
    /// place; all zero for a group the plan's filter kept no row of.
    var tallies: [MeasureTally] = []
    /// Set by the first script error of one of its measures: the plan stops (its scorecard
    /// will be reported failed) and the pass goes on for the others.
    var failure: String?
  }

  /// Plans (a contiguous range of `plans`) whose groupings share grain and period, the
  /// grouper that computes their common key once per row, and their groups (looked up once
  /// per row for all of them).
  struct Lane {
    var keyer: RowGrouper
    /// At most 64 plans (bit `i` of the masks below is plan `plans.lowerBound + i`).
    var plans: Range<Int>
    var groups = GroupIndex()
    /// The plans still counting (a plan stops at its first script error).
    var alive: UInt64
    /// The plans whose filters have dates: checked row by row (`verdicts` know no days).
    var dated: UInt64
    /// Which of the other plans keep a row, by the row's market, vendor, site and queue.
    var verdicts = FilterVerdicts()
  }

  /// A distinct function and its result for the row numbered `row` (results are reused by
  /// every plan that shares the function within that row), and the memo of its results across
  /// rows when it captures nothing.
  struct Shared<Result> {
    var function: LuaFunction
    var row = -1
    var result: Result
    var memo: RowMemo<Result>?

    init(function: LuaFunction, result: Result) {
      self.function = function
      self.result = result
      memo = function.capturesNothing ? RowMemo() : nil
    }
  }

  private(set) var plans: [Plan] = []
  private var lanes: [Lane] = []
  private var predicates: [Shared<Bool>] = []
  private var values: [Shared<Double>] = []
  private var rowNumber = 0

  init(scorecards: [ScorecardDefinition], reference: ReferenceData) {
    // Plans of the same grain and period are kept next to each other, one lane per pair.
    var byLane: [(grain: Grain, period: PeriodGrain, plans: [Plan])] = []
    for card in scorecards where !card.measures.isEmpty {
      let steps = card.measures.map { definition in
        Step(
          predicate: definition.predicate.map { Self.slot($0, in: &predicates, empty: false) } ?? -1,
          of: definition.of.map { Self.slot($0, in: &values, empty: 0) } ?? -1)
      }
      let plan = Plan(
        scorecard: card.key, name: "pack \(card.pack), scorecard \(card.id)",
        grouper: RowGrouper(grouping: card.grouping, reference: reference), measureIDs: card.measures.map(\.id),
        steps: steps)
      let grouping = card.grouping
      if let lane = byLane.firstIndex(where: { $0.grain == grouping.grain && $0.period == grouping.period }) {
        byLane[lane].plans.append(plan)
      } else {
        byLane.append((grouping.grain, grouping.period, [plan]))
      }
    }
    for lane in byLane {
      let keyer = RowGrouper(grouping: Grouping(grain: lane.grain, period: lane.period), reference: reference)
      for start in stride(from: 0, to: lane.plans.count, by: 64) {
        let members = lane.plans[start..<min(start + 64, lane.plans.count)]
        var dated: UInt64 = 0
        for (bit, plan) in members.enumerated() where plan.grouper.grouping.filter.hasDates {
          dated |= 1 << UInt64(bit)
        }
        lanes.append(
          Lane(
            keyer: keyer, plans: plans.count..<plans.count + members.count,
            alive: members.count == 64 ? .max : (1 << UInt64(members.count)) - 1, dated: dated))
        plans += members
      }
    }
  }

  /// Fails every plan with `reason` (their scorecards are reported failed).
  mutating func failAll(_ reason: String) {
    for index in plans.indices { plans[index].failure = "\(plans[index].name): \(reason)" }
    for index in lanes.indices { lanes[index].alive = 0 }
  }

  private static func slot<Result>(_ function: LuaFunction, in list: inout [Shared<Result>], empty: Result) -> Int {
    if let known = list.firstIndex(where: { $0.function.isSame(as: function) }) { return known }
    list.append(Shared(function: function, result: empty))
    return list.count - 1
  }

  /// Forgets the remembered results (the row's symbol ids changed meaning).
  mutating func forgetMemos() {
    for index in predicates.indices { predicates[index].memo?.forget() }
    for index in values.indices { values[index].memo?.forget() }
    for index in lanes.indices { lanes[index].verdicts = FilterVerdicts() }
  }

  /// Every plan with the keys of its lane's groups.
  var plansWithGroupKeys: [(plan: Plan, keys: [Int64])] {
    lanes.flatMap { lane in plans[lane.plans].map { ($0, lane.groups.keys) } }
  }

  /// Counts `rows` in every plan whose filter keeps them, calling functions (with `view`
  /// opened on `row`) only for results not remembered.
  mutating func consume(
    _ rows: UnsafeBufferPointer<DecisionRow>, _ dictionary: RowDictionary, _ row: RowView, _ view: LuaRecordView
  ) throws {
    for decision in rows {
      rowNumber += 1
      for laneIndex in lanes.indices {
        var kept = keptPlans(laneIndex, decision, dictionary) & lanes[laneIndex].alive
        guard kept != 0 else { continue }
        let group = self.group(laneIndex, decision, dictionary)
        let first = lanes[laneIndex].plans.lowerBound
        while kept != 0 {
          let bit = kept.trailingZeroBitCount
          kept &= kept &- 1
          if try !tally(first + bit, group, decision, row, view) { lanes[laneIndex].alive &= ~(1 << UInt64(bit)) }
        }
      }
      if view.isOpen { view.close() }
    }
  }

  /// The plans of lane `laneIndex` whose filters keep `decision` (failed ones included): those
  /// without dates remembered by the row's market, vendor, site and queue, the others checked.
  @inline(__always)
  private mutating func keptPlans(_ laneIndex: Int, _ decision: DecisionRow, _ dictionary: RowDictionary) -> UInt64 {
    let first = lanes[laneIndex].plans.lowerBound
    let dated = lanes[laneIndex].dated
    let key = FilterVerdicts.key(decision)
    var kept: UInt64
    if let key, let known = lanes[laneIndex].verdicts.kept(key) {
      kept = known
    } else {
      kept = 0
      for planIndex in lanes[laneIndex].plans where dated & 1 << UInt64(planIndex - first) == 0 {
        if plans[planIndex].grouper.keeps(decision, in: dictionary) { kept |= 1 << UInt64(planIndex - first) }
      }
      if let key { lanes[laneIndex].verdicts.remember(kept, for: key) }
    }
    var rest = dated & lanes[laneIndex].alive
    while rest != 0 {
      let bit = rest.trailingZeroBitCount
      rest &= rest &- 1
      if plans[first + bit].grouper.keeps(decision, in: dictionary) { kept |= 1 << UInt64(bit) }
    }
    return kept
  }

  /// The index of `decision`'s group in lane `laneIndex`; a new group gets empty tallies in
  /// every plan of the lane.
  private mutating func group(_ laneIndex: Int, _ decision: DecisionRow, _ dictionary: RowDictionary) -> Int {
    let key = lanes[laneIndex].keyer.key(ofKept: decision, in: dictionary)
    let (group, isNew) = lanes[laneIndex].groups.index(of: key)
    if isNew {
      for planIndex in lanes[laneIndex].plans {
        plans[planIndex].tallies += repeatElement(MeasureTally(), count: plans[planIndex].steps.count)
      }
    }
    return group
  }

  /// Counts the row in plan `planIndex`'s group `group`, running its measures' functions;
  /// false when a function failed (the plan has stopped).
  private mutating func tally(
    _ planIndex: Int, _ group: Int, _ decision: DecisionRow, _ row: RowView, _ view: LuaRecordView
  ) throws -> Bool {
    let count = plans[planIndex].steps.count
    let base = group * count
    for index in 0..<count {
      let step = plans[planIndex].steps[index]
      plans[planIndex].tallies[base + index].rows += 1
      do {
        if step.predicate >= 0 {
          guard try keeps(step.predicate, decision, row, view) else { continue }
        }
        plans[planIndex].tallies[base + index].matched += 1
        if step.of >= 0 { plans[planIndex].tallies[base + index].sum += try value(step.of, decision, row, view) }
      } catch {
        let message = "\(plans[planIndex].name), measure \(plans[planIndex].measureIDs[index]): \(error)"
        // A tripped limit stops every script of this state for the rest of the block, so it
        // stops the pass rather than failing the other scorecards for no fault of theirs.
        if (error as? LuaError)?.limit != nil { throw PackError(location: message, problem: "the run was stopped") }
        plans[planIndex].failure = message
        return false
      }
    }
    return true
  }

  private mutating func keeps(
    _ slot: Int, _ decision: DecisionRow, _ row: RowView, _ view: LuaRecordView
  ) throws -> Bool {
    if predicates[slot].row != rowNumber {
      predicates[slot].result = try Self.evaluate(&predicates[slot], decision, row, view) { function in
        try function.call(view, returning: LuaTruth.self).isTrue
      }
      predicates[slot].row = rowNumber
    }
    return predicates[slot].result
  }

  private mutating func value(
    _ slot: Int, _ decision: DecisionRow, _ row: RowView, _ view: LuaRecordView
  ) throws -> Double {
    if values[slot].row != rowNumber {
      values[slot].result = try Self.evaluate(&values[slot], decision, row, view) { function in
        let value = try function.call(view, returning: LuaValue.self)
        switch value {
        case .integer(let number): return Double(number)
        case .number(let number) where number.isFinite: return number
        default: throw MeasureError(message: "of(row) must return a finite number (got \(value.typeName))")
        }
      }
      values[slot].row = rowNumber
    }
    return values[slot].result
  }

  /// `shared`'s result for `decision`: remembered, or got from `call` (with the view opened on
  /// the row) and remembered when its memo keeps it.
  @inline(__always)
  private static func evaluate<Result>(
    _ shared: inout Shared<Result>, _ decision: DecisionRow, _ row: RowView, _ view: LuaRecordView,
    _ call: (LuaFunction) throws -> Result
  ) throws -> Result {
    guard shared.memo != nil else {
      open(view, on: decision, row)
      return try call(shared.function)
    }
    let key = shared.memo!.key(decision)
    if let known = shared.memo!.result(for: key) { return known }
    open(view, on: decision, row)
    view.forgetFieldsRead()
    let result = try call(shared.function)
    if !shared.memo!.keep(result, read: view.fieldsRead, key: key, row: decision) { shared.memo = nil }
    return result
  }

  /// Opens `view` on `decision` unless a function already did for this row.
  private static func open(_ view: LuaRecordView, on decision: DecisionRow, _ row: RowView) {
    guard !view.isOpen else { return }
    row.show(decision)
    view.open()
  }
}

/// A measure's result that is not a number.
private struct MeasureError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
