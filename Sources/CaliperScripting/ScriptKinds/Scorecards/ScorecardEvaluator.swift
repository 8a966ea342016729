import CaliperCore
import LuaKit

/// Evaluates one scorecard on host 0: every KPI of every group and period, the scores and
/// bands, then the scorecard's findings hooks. Any script error fails this scorecard only,
/// with a message naming pack, file, line and the KPI being computed.
struct ScorecardEvaluator {
  let host: ScriptHost
  let evaluation: CardEvaluation
  let limits: RunLimits

  private var card: ScorecardDefinition { evaluation.definition }

  /// The scorecard's report and the findings its hooks emitted; `failure` (a measure that
  /// failed during the pass) fails it without evaluating anything.
  func report(failure: String? = nil) -> (report: ScorecardReport, findings: [Finding]) {
    var report = ScorecardReport(
      id: card.id, name: card.name, pack: card.pack, file: card.file, grain: card.grain,
      periodGrain: card.period, period: evaluation.period, periods: evaluation.periods, status: .ok,
      error: nil,
      kpis: card.kpis.map {
        KPIRecord(
          id: $0.id, label: $0.label, weight: $0.weight, target: $0.target, better: $0.better,
          format: $0.format, minN: $0.minN ?? card.minN, source: $0.source)
      },
      bands: card.bands.map { BandRecord(min: $0.min, label: $0.label) }, rows: [], trends: [], confusions: [])
    if let failure {
      report.status = .failed
      report.error = failure
      return (report, [])
    }
    let outcome = host.state.run(limits: limits) { () throws -> [Finding] in
      let (hooks, other) = try host.findings.collect(pack: card.pack, script: card.id) {
        try evaluateAll()
      }
      return other + hooks
    }
    let findings: [Finding]
    switch outcome.result {
    case .success(let emitted): findings = emitted
    case .failure(let error):
      report.status = .failed
      report.error = (error as? ScorecardFailure)?.message ?? "pack \(card.pack), scorecard \(card.id): \(error)"
      report.limit = ScorecardFailure(message: "", cause: error).limit?.rawValue
      return (report, [])
    }
    report.partialPeriods = evaluation.periods.filter(evaluation.partialPeriods.contains)
    if let period = evaluation.period {
      report.rows = rows(in: period)
      report.bandCounts = bandCounts(period: period)
    }
    report.trends = trends()
    if card.grain == .vendor {
      report.confusions = evaluation.pooled.keys.sorted().map { group in
        let counts = ConfusionCounts(evaluation.pooled[group]!.qa.all.confusion)
        let matrix = counts.matrix
        return ConfusionRecord(group: group, labels: matrix.labels.map(\.description), counts: matrix.counts)
      }
    }
    return (report, findings)
  }

  /// Every KPI of every group and period, then the findings hooks; returns the hooks'
  /// findings, each marked with the pack that defined its hook when that is not this one.
  private func evaluateAll() throws -> [Finding] {
    for key in evaluation.table.keys.sorted() {
      evaluation.metrics[key] = try evaluateKPIs(key)
    }
    var findings: [Finding] = []
    for (pack, hook) in card.findings {
      do {
        let emitted = try host.findings.collect(pack: card.pack, script: card.id) {
          _ = try hook.callReturningAll(LuaObject(CardView(evaluation: evaluation)))
        }.findings
        findings += emitted.map { finding in
          var finding = finding
          if pack != card.pack { finding.origin = pack }
          return finding
        }
      } catch {
        throw ScorecardFailure(message: "pack \(pack), scorecard \(card.id), findings hook: \(error)", cause: error)
      }
    }
    return findings
  }

  private func evaluateKPIs(_ key: GroupKey) throws -> [Metric] {
    guard let view = evaluation.view(key) else { return [] }
    return try card.kpis.map { kpi in
      let values: [LuaValue]
      do { values = try kpi.value.callReturningAll(LuaObject(view)) } catch {
        throw ScorecardFailure(
          message:
            "pack \(kpi.source), scorecard \(card.id), KPI \(kpi.id) (group \(key.group), \(key.period)): \(error)",
          cause: error)
      }
      return try metric(from: values, kpi: kpi, view: view)
    }
  }

  /// A KPI function returns a Metric, a number (and optionally its n), or nil and a reason.
  private func metric(from values: [LuaValue], kpi: KPIDefinition, view: GroupView) throws -> Metric {
    func fail(_ problem: String) -> ScorecardFailure {
      ScorecardFailure(
        message:
          "pack \(kpi.source), scorecard \(card.id), KPI \(kpi.id) (group \(view.key.group), \(view.key.period)): \(problem)"
      )
    }
    let first = values.first ?? .nil
    switch first {
    case .nil:
      if values.count > 1, case .string(let reason) = values[1] {
        return Metric(undefined: reason, n: view.state.decisions)
      }
      return Metric(undefined: "no value", n: view.state.decisions)
    case .integer(let number): return Metric(value: Double(number), n: try sampleSize(values, view, fail))
    case .number(let number):
      guard number.isFinite else {
        throw fail("returned \(number.isNaN ? "NaN" : number > 0 ? "infinity" : "-infinity"), not a finite number")
      }
      return Metric(value: number, n: try sampleSize(values, view, fail))
    case .opaque:
      let metric = try host.state.withStack { stack -> Metric? in
        try first.push(onto: stack)
        defer { stack.pop() }
        return stack.object(at: -1, as: Metric.self)
      }
      guard let metric else { throw fail("returned a \(first.typeName), not a number or a Metric") }
      return metric
    default: throw fail("returned a \(first.typeName), not a number, a Metric or nil")
    }
  }

  private func sampleSize(_ values: [LuaValue], _ view: GroupView, _ fail: (String) -> ScorecardFailure) throws -> Int {
    guard values.count > 1 else { return view.state.decisions }
    switch values[1] {
    case .integer(let n) where n >= 0: return Int(n)
    case .nil: return view.state.decisions
    default: throw fail("its second result (the sample size) must be a non-negative integer")
    }
  }

  private func kpiValue(_ metric: Metric, _ kpi: KPIDefinition) -> KPIValue {
    let minN = kpi.minN ?? card.minN
    var value = KPIValue(kpi: kpi.id, status: .ok, value: metric.value, n: metric.n, lo: metric.lo, hi: metric.hi)
    if metric.value == nil {
      value.status = .undefined
      value.reason = metric.reason ?? "undefined"
      value.lo = nil
      value.hi = nil
    } else if metric.n < minN {
      value.status = .insufficient
      value.reason = "insufficient data: n = \(metric.n) < min_n = \(minN)"
      value.value = nil
      value.lo = nil
      value.hi = nil
    } else if let target = kpi.target {
      value.score = Scoring.attainment(value: metric.value!, target: target, higherIsBetter: kpi.better == .higher)
    }
    return value
  }

  /// Groups per band in `period` and in the period before it.
  private func bandCounts(period: String) -> BandCounts {
    let index = evaluation.periods.firstIndex(of: period)
    let previous = index.flatMap { $0 > 0 ? evaluation.periods[$0 - 1] : nil }
    func counts(_ rows: [GroupRow]) -> [String: Int] {
      rows.reduce(into: [:]) { $0[$1.band ?? BandCounts.noScore, default: 0] += 1 }
    }
    let now = counts(rows(in: period))
    let before = previous.map { counts(rows(in: $0)) }
    let labels = card.bands.map(\.label) + [BandCounts.noScore]
    return BandCounts(
      period: period, previousPeriod: previous,
      bands: labels.map { label in
        BandCount(band: label, count: now[label] ?? 0, previous: before.map { $0[label] ?? 0 })
      })
  }

  private func rows(in period: String) -> [GroupRow] {
    var rows: [GroupRow] = []
    for (key, metrics) in evaluation.metrics where key.period == period {
      let state = evaluation.table[key]!
      let values = zip(metrics, card.kpis).map { kpiValue($0, $1) }
      let scored = Scoring.score(values: values, weights: card.kpis.map(\.weight))
      rows.append(
        GroupRow(
          group: key.group, markets: state.context.markets.sorted(), vendors: state.context.vendors.sorted(),
          decisions: state.decisions,
          score: scored.score, band: scored.score.map { Scoring.band($0, card.bands) }, scoreReason: scored.reason,
          values: values))
    }
    return rows.sorted { a, b in
      switch (a.score, b.score) {
      case (let x?, let y?): x != y ? x < y : a.group < b.group
      case (.some, .none): true
      case (.none, .some): false
      case (.none, .none): a.group < b.group
      }
    }
  }

  private func trends() -> [Trend] {
    var trends: [Trend] = []
    for (index, kpi) in card.kpis.enumerated() {
      for (group, points) in evaluation.series(index).sorted(by: { $0.key < $1.key }) {
        trends.append(
          Trend(
            group: group, kpi: kpi.id,
            points: points.map {
              let value = kpiValue($0.metric, kpi)
              return TrendPoint(
                period: $0.period, value: value.value, n: value.n,
                partial: evaluation.partialPeriods.contains($0.period) ? true : nil)
            }))
      }
    }
    return trends
  }
}

/// A scorecard that could not be evaluated, and why.
struct ScorecardFailure: Error, CustomStringConvertible {
  var message: String
  /// The run limit that stopped the script, when one did.
  var limit: LuaError.Limit?
  var description: String { message }

  /// A failure described by `message`, keeping the limit `cause` names (if it is a limit).
  init(message: String, cause: (any Error)? = nil) {
    self.message = message
    limit = (cause as? LuaError)?.limit ?? (cause as? ScorecardFailure)?.limit
  }
}

/// How KPI values become scores and bands.
enum Scoring {
  /// 0–100: full marks at or beyond the target, then linear down to 0 at three quarters of the
  /// target (higher is better) or at twice the target, or target + 1 for a target of 0 (lower
  /// is better). See docs/lua-api.md, "Scores and bands".
  static func attainment(value: Double, target: Double, higherIsBetter: Bool) -> Double {
    if higherIsBetter {
      guard value < target else { return 100 }
      guard target > 0 else { return 0 }
      let floor = target * 0.75
      return max(0, min(100, 100 * (value - floor) / (target - floor)))
    }
    guard value > target else { return 100 }
    let ceiling = target > 0 ? target * 2 : target + 1
    return max(0, min(100, 100 * (ceiling - value) / (ceiling - target)))
  }

  /// The weighted mean of KPI scores over KPIs with a score; none when under half the weight
  /// has one.
  static func score(values: [KPIValue], weights: [Double]) -> (score: Double?, reason: String?) {
    let total = weights.filter { $0 > 0 }.reduce(0, +)
    guard total > 0 else { return (nil, "no KPI is weighted") }
    var weighted = 0.0
    var used = 0.0
    for (value, weight) in zip(values, weights) where weight > 0 {
      guard let score = value.score else { continue }
      weighted += score * weight
      used += weight
    }
    guard used >= total / 2, used > 0 else {
      return (
        nil,
        "insufficient data for a score: KPIs holding \(Int((used / total * 100).rounded()))% of the weight have values"
      )
    }
    return (weighted / used, nil)
  }

  /// The first band whose minimum the score reaches.
  static func band(_ score: Double, _ bands: [Band]) -> String {
    bands.first { $0.min.map { score >= $0 } ?? true }?.label ?? ""
  }
}
