import CaliperCore
import LuaKit

/// A scorecard's evaluated groups, as its `findings(card)` hook and the detectors see them.
final class CardEvaluation {
  let definition: ScorecardDefinition
  let table: [GroupKey: GroupAggregate]
  let measures: [GroupKey: [String: Metric]]
  let policy: PolicyBook
  /// Periods with data, sorted.
  let periods: [String]
  /// Periods the data does not cover whole (a trailing week the data ends in, say).
  let partialPeriods: Set<String>
  /// The period the report's table shows: the one asked for, else the latest complete one
  /// (the latest of all when none is complete).
  let period: String?
  /// Each group's KPI metrics (in KPI order), as the scripts returned them.
  var metrics: [GroupKey: [Metric]] = [:]

  init(
    definition: ScorecardDefinition, table: [GroupKey: GroupAggregate], measures: [GroupKey: [String: Metric]],
    policy: PolicyBook, period: String?, span: DataSpan?
  ) {
    self.definition = definition
    self.table = table
    self.measures = measures
    self.policy = policy
    let periods = Set(table.keys.map(\.period)).sorted()
    self.periods = periods
    let partial = Set(periods.filter { label in !(span?.covers(label, grain: definition.period) ?? false) })
    partialPeriods = partial
    self.period = period ?? periods.last { !partial.contains($0) } ?? periods.last
  }

  /// Labels of severity `none` (benign): no violation to recognise.
  var nonViolatingLabels: Set<String> { Set(policy.labels.filter { policy[$0]?.severity == Severity.none }) }

  /// Group names, sorted.
  var groups: [String] { Set(table.keys.map(\.group)).sorted() }

  func kpiIndex(_ id: String) -> Int? { definition.kpis.firstIndex { $0.id == id } }

  /// Each group's series of a KPI over the periods.
  func series(_ kpi: Int) -> [String: [SeriesPoint]] {
    var series: [String: [SeriesPoint]] = [:]
    for key in metrics.keys.sorted() {
      series[key.group, default: []].append(SeriesPoint(period: key.period, metric: metrics[key]![kpi]))
    }
    return series
  }

  /// Each group's state pooled over every period (computed once; detectors share it).
  lazy var pooled: [String: GroupAggregate] = {
    var pooled: [String: GroupAggregate] = [:]
    for (key, state) in table { pooled[key.group, default: GroupAggregate()].merge(state) }
    return pooled
  }()

  func view(_ key: GroupKey) -> GroupView? {
    table[key].map {
      GroupView(grain: definition.grain, key: key, state: $0, measures: measures[key] ?? [:], policy: policy)
    }
  }
}

/// The `card` userdata.
struct CardView {
  let evaluation: CardEvaluation

  static func register(in state: LuaState) throws {
    try state.registerType(CardView.self, name: "Scorecard") { type in
      type.field("id") { $0.evaluation.definition.id }
      type.field("name") { $0.evaluation.definition.name }
      type.field("grain") { $0.evaluation.definition.grain.rawValue }
      type.field("period") { $0.evaluation.period }
      type.field("periods") { $0.evaluation.periods }
      type.field("partial_periods") { card in card.evaluation.periods.filter(card.evaluation.partialPeriods.contains) }
      type.field("groups") { $0.evaluation.groups }
      type.method("value") { card, call in
        let kpi = try card.kpi(call, 2)
        let group = try call.argument(3, as: String.self)
        let period = try call.argument(4, as: String?.self) ?? card.evaluation.period ?? ""
        guard let metric = card.evaluation.metrics[GroupKey(group: group, period: period)]?[kpi] else {
          try call.push(Optional<Int>.none)
          return 1
        }
        try call.push(LuaObject(metric))
        return 1
      }
      type.method("series") { card, call in
        let kpi = try card.kpi(call, 2)
        let group = try call.argument(3, as: String.self)
        let points = card.evaluation.series(kpi)[group] ?? []
        try call.push(points.map { LuaObject($0.metric) })
        try call.push(points.map(\.period))
        return 2
      }
      type.method("group") { card, call in
        let group = try call.argument(2, as: String.self)
        let period = try call.argument(3, as: String?.self) ?? card.evaluation.period ?? ""
        try call.push(card.evaluation.view(GroupKey(group: group, period: period)).map(LuaObject.init))
        return 1
      }
    }
  }

  func kpi(_ call: LuaCall, _ position: Int32) throws -> Int {
    let id = try call.argument(position, as: String.self)
    guard let index = evaluation.kpiIndex(id) else {
      let known = evaluation.definition.kpis.map(\.id).joined(separator: ", ")
      throw call.error("scorecard '\(evaluation.definition.id)' has no KPI '\(id)' (known: \(known))")
    }
    return index
  }
}

/// `caliper.detect`: the built-in detectors. Each emits its findings and returns how many.
enum DetectFunctions {
  struct Options: Decodable {
    var method: String?
    var alpha: Double?
    var min_n: Int?
    var min_pairs: Int?
    var min_gap: Double?
    var severity: String?
  }

  static func make(in state: LuaState, findings log: FindingLog) throws -> LuaTable {
    let detect = try state.newTable()
    func add(
      _ name: String, kpiArgument: Bool, _ body: @escaping (CardEvaluation, Int?, Options) throws -> [Finding]
    )
      throws
    {
      try detect.set(
        name,
        try state.function(named: "detect.\(name)") { call in
          guard let card = call.stack.object(at: 1, as: CardView.self) else {
            throw call.error("argument #1 must be the scorecard (the `card` passed to findings)")
          }
          let kpi = kpiArgument ? try card.kpi(call, 2) : nil
          let options =
            try LuaDecoder(rootName: "\(name) options").decode(
              Options?.self, from: call.stack, at: kpiArgument ? 3 : 2) ?? Options()
          let findings: [Finding]
          do { findings = try body(card.evaluation, kpi, options) } catch let error as StatisticsError {
            throw call.error("\(name): \(error)")
          }
          for finding in findings { try log.emit(finding) }
          try call.push(findings.count)
          return 1
        })
    }
    func severity(_ options: Options, _ fallback: Finding.Severity) throws -> Finding.Severity {
      guard let text = options.severity else { return fallback }
      guard let value = Finding.Severity(rawValue: text) else {
        throw StatisticsError(
          "detect", "severity", "must be one of \(Finding.Severity.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return value
    }
    try add("control_chart", kpiArgument: true) { card, kpi, options in
      let definition = card.definition.kpis[kpi!]
      guard let method = Detectors.ChartMethod(rawValue: options.method ?? "p") else {
        throw StatisticsError("control_chart", "method", "must be one of p, laney, ewma (got \(options.method!))")
      }
      return try Detectors.controlChart(
        series: card.series(kpi!), kpi: definition.id, label: definition.label,
        higherIsBetter: definition.better == .higher, method: method,
        minN: options.min_n ?? definition.minN ?? card.definition.minN, severity: try severity(options, .high))
    }
    try add("period_change", kpiArgument: true) { card, kpi, options in
      guard let period = card.period, let index = card.periods.firstIndex(of: period), index > 0 else { return [] }
      let previous = card.periods[index - 1]
      var now: [String: Metric] = [:]
      var before: [String: Metric] = [:]
      for (key, metrics) in card.metrics {
        if key.period == period { now[key.group] = metrics[kpi!] }
        if key.period == previous { before[key.group] = metrics[kpi!] }
      }
      let definition = card.definition.kpis[kpi!]
      return try Detectors.periodChange(
        current: now, previous: before, period: period, previousPeriod: previous, kpi: definition.id,
        label: definition.label, higherIsBetter: definition.better == .higher, alpha: options.alpha ?? 0.05,
        severity: try severity(options, .medium))
    }
    try add("qa_gap", kpiArgument: false) { card, _, options in
      try Detectors.qaGap(
        groups: card.pooled, alpha: options.alpha ?? 0.05, minPairs: options.min_pairs ?? 30,
        minGap: options.min_gap ?? 0.02, severity: try severity(options, .high))
    }
    try add("ai_recall_gaps", kpiArgument: false) { card, _, options in
      try Detectors.recallGaps(
        groups: card.pooled, confusion: { $0.ai.overall.confusion }, alpha: options.alpha ?? 0.05,
        minN: options.min_n ?? 30,
        minGap: options.min_gap ?? 0.2, severity: try severity(options, .high), detector: "ai_recall_gaps",
        who: "AI", nonViolating: card.nonViolatingLabels)
    }
    try add("label_weakness", kpiArgument: false) { card, _, options in
      try Detectors.recallGaps(
        groups: card.pooled, confusion: { $0.qa.all.confusion }, alpha: options.alpha ?? 0.05,
        minN: options.min_n ?? 20,
        minGap: options.min_gap ?? 0.25, severity: try severity(options, .medium), detector: "label_weakness",
        who: "Moderator", nonViolating: card.nonViolatingLabels)
    }
    return try state.readOnlyView(of: detect, name: "caliper.detect")
  }
}
