import Foundation

/// One point of a KPI's series for a group.
public struct SeriesPoint: Sendable, Equatable, Codable {
  /// The period label.
  public var period: String
  /// The KPI's value there.
  public var metric: Metric

  /// Creates a point.
  public init(period: String, metric: Metric) {
    self.period = period
    self.metric = metric
  }
}

/// The built-in detectors scripts call through `caliper.detect`: each turns aggregates or KPI
/// series into findings, correcting for the many groups tested at once where it tests.
public enum Detectors {
  /// How a control chart judges a series.
  public enum ChartMethod: String, Sendable, CaseIterable {
    /// p chart on the KPI's successes and sample sizes (proportion KPIs).
    case p
    /// Laney p′ chart (for large samples with between-period variation).
    case laney
    /// EWMA of the values (any KPI).
    case ewma
  }

  /// Control-chart alarms on each group's KPI series, on the bad side only (`higherIsBetter`
  /// says which side that is). Points whose sample is under `minN` are left out of the chart.
  public static func controlChart(
    series: [String: [SeriesPoint]], kpi: String, label: String, higherIsBetter: Bool, method: ChartMethod,
    minN: Int, severity: Finding.Severity
  ) throws -> [Finding] {
    var findings: [Finding] = []
    for group in series.keys.sorted() {
      // An alarm becomes a finding only on the KPI's bad side.
      func record(_ point: SeriesPoint, low: Bool, message: String, evidence: [String: EvidenceValue]) {
        guard low == higherIsBetter else { return }
        findings.append(
          Finding(
            severity: severity, subject: group, kpi: kpi, period: point.period, message: message, evidence: evidence,
            detector: "control_chart"))
      }
      let points = series[group]!.filter { $0.metric.value != nil && $0.metric.n >= minN }
      guard points.count >= 3 else { continue }
      switch method {
      case .p, .laney:
        guard points.allSatisfy({ $0.metric.k != nil }) else {
          throw StatisticsError(
            "control_chart", "kpi", "'\(kpi)' is not a proportion (its values carry no k); use method = \"ewma\"")
        }
        let counts = points.map { $0.metric.k! }
        let sizes = points.map(\.metric.n)
        let chart =
          method == .p
          ? try ControlCharts.pChart(counts: counts, sizes: sizes)
          : try ControlCharts.laneyPChart(counts: counts, sizes: sizes)
        guard let chartPoints = chart.value else { continue }
        for (point, chartPoint) in zip(points, chartPoints) where chartPoint.alarm {
          let low = chartPoint.p < chartPoint.lcl
          record(
            point, low: low,
            message:
              "\(label) of \(group) in \(point.period) was \(percent(chartPoint.p)) (n=\(ReadableNumbers.count(point.metric.n))), "
              + "\(low ? "below the lower" : "above the upper") control limit "
              + "\(percent(low ? chartPoint.lcl : chartPoint.ucl)) (centre \(percent(chartPoint.center)))",
            evidence: [
              "value": .number(chartPoint.p), "n": .number(Double(point.metric.n)),
              "centre": .number(chartPoint.center), "lcl": .number(chartPoint.lcl), "ucl": .number(chartPoint.ucl),
              "method": .text(method.rawValue),
            ])
        }
      case .ewma:
        guard let chart = try ControlCharts.ewma(points.map { $0.metric.value! }).value else { continue }
        for (point, chartPoint) in zip(points, chart) where chartPoint.alarm {
          let low = chartPoint.z < chartPoint.lcl
          record(
            point, low: low,
            message:
              "\(label) of \(group): EWMA \(formatDecimal(chartPoint.z, places: 4)) in \(point.period) "
              + "crossed the \(low ? "lower" : "upper") limit \(formatDecimal(low ? chartPoint.lcl : chartPoint.ucl, places: 4))",
            evidence: [
              "value": .number(chartPoint.value), "ewma": .number(chartPoint.z), "lcl": .number(chartPoint.lcl),
              "ucl": .number(chartPoint.ucl), "method": .text("ewma"),
            ])
        }
      }
    }
    return findings
  }

  /// Period-over-period change of a proportion KPI per group (two-proportion z test),
  /// Benjamini–Hochberg across groups; only changes for the worse are reported.
  public static func periodChange(
    current: [String: Metric], previous: [String: Metric], period: String, previousPeriod: String, kpi: String,
    label: String, higherIsBetter: Bool, alpha: Double, severity: Finding.Severity
  ) throws -> [Finding] {
    var tests: [(group: String, z: Double, p: Double, now: Metric, before: Metric)] = []
    for group in current.keys.sorted() {
      guard let now = current[group], let before = previous[group], let k1 = now.k, let k2 = before.k,
        let test = try Proportions.twoProportionZ(k1, now.n, k2, before.n).value
      else { continue }
      tests.append((group, test.z, test.p, now, before))
    }
    guard !tests.isEmpty else { return [] }
    let (adjusted, rejected) = try MultipleTesting.benjaminiHochberg(tests.map(\.p), alpha: alpha)
    return tests.indices.compactMap { index in
      let test = tests[index]
      guard rejected[index], (test.z < 0) == higherIsBetter else { return nil }
      return Finding(
        severity: severity, subject: test.group, kpi: kpi, period: period,
        message:
          "\(label) of \(test.group) moved from \(percent(test.before.value!)) in \(previousPeriod) to "
          + "\(percent(test.now.value!)) in \(period) (BH-adjusted \(ReadableNumbers.pClause(adjusted[index])))",
        evidence: [
          "before": .number(test.before.value!), "n_before": .number(Double(test.before.n)),
          "now": .number(test.now.value!), "n_now": .number(Double(test.now.n)), "z": .number(test.z),
          "p": .number(test.p), "p_adjusted": .number(adjusted[index]),
        ], detector: "period_change")
    }
  }

  /// Vendor QA against internal QA on decisions both audited (McNemar's exact test on the
  /// discordant pairs), Benjamini–Hochberg across groups: groups whose vendor QA finds
  /// decisions correct that internal QA finds wrong, more often than the reverse, by at least
  /// `minGap` in accuracy.
  public static func qaGap(
    groups: [String: GroupAggregate], alpha: Double, minPairs: Int, minGap: Double, severity: Finding.Severity
  ) throws -> [Finding] {
    var tests: [(group: String, p: Double, state: GroupAggregate)] = []
    for group in groups.keys.sorted() {
      let state = groups[group]!
      guard state.qa.paired.pairs >= minPairs, let p = state.qaGap.pValue else { continue }
      tests.append((group, p, state))
    }
    guard !tests.isEmpty else { return [] }
    let (adjusted, rejected) = try MultipleTesting.benjaminiHochberg(tests.map(\.p), alpha: alpha)
    return tests.indices.compactMap { index in
      let test = tests[index]
      let gap = test.state.qaGap
      guard rejected[index], let vendor = gap.vendorAccuracy.value, let inHouse = gap.internalAccuracy.value,
        vendor - inHouse >= minGap
      else { return nil }
      return Finding(
        severity: severity, subject: test.group, kpi: "qa_gap",
        message:
          "\(test.group)'s own QA scores \(percent(vendor)) accuracy where internal QA scores \(percent(inHouse)) "
          + "on the same \(ReadableNumbers.count(test.state.qa.paired.pairs)) decisions (McNemar, BH-adjusted \(ReadableNumbers.pClause(adjusted[index])))",
        evidence: [
          "vendor_accuracy": .number(vendor), "internal_accuracy": .number(inHouse),
          "pairs": .number(Double(test.state.qa.paired.pairs)),
          "only_vendor_correct": .number(Double(test.state.qa.paired.onlyVendorCorrect)),
          "only_internal_correct": .number(Double(test.state.qa.paired.onlyInternalCorrect)),
          "p_adjusted": .number(adjusted[index]),
        ], detector: "qa_gap")
    }
  }

  /// Per group and label, a recall far below the same label's recall in the other groups
  /// (two-proportion z test, Benjamini–Hochberg across all group × label pairs, and a gap of
  /// at least `minGap`). `confusion` picks the counts: the AI's (model vs QA) or the
  /// moderators' (decision vs QA).
  ///
  /// For a label only this group has (a market-specific policy label), the baseline is the
  /// group's recall on its other violating labels: `nonViolating` labels (benign, severity
  /// `none`) are left out of it, since a model or a moderator recognises those far more often and
  /// would make any violating label look weak.
  public static func recallGaps(
    groups: [String: GroupAggregate], confusion: (GroupAggregate) -> Counts<LabelPair<String>>, alpha: Double,
    minN: Int, minGap: Double, severity: Finding.Severity, detector: String, who: String,
    nonViolating: Set<String> = []
  ) throws -> [Finding] {
    let cells = groups.mapValues { ConfusionCounts(confusion($0)) }
    var totals = Counts<LabelPair<String>>()
    for counts in cells.values { totals.merge(counts.cells) }
    let all = ConfusionCounts(totals)
    var tests: [(group: String, label: String, p: Double, mine: Metric, others: Metric, baseline: String)] = []
    for group in cells.keys.sorted() {
      let mine = cells[group]!
      for label in mine.labels {
        let recall = mine.recall(label)
        guard recall.n >= minN, let k = recall.k else { continue }
        // The same label in the other groups; for a label only this group has (a
        // market-specific policy label), this group's recall on its other labels.
        let total = all.recall(label)
        var othersN = total.n - recall.n
        var othersK = (total.k ?? 0) - k
        var baseline = "the same label elsewhere"
        if othersN < minN {
          let other = mine.cells.values.filter { $0.key.truth != label && !nonViolating.contains($0.key.truth) }
          othersN = other.values.reduce(0, +)
          othersK = other.reduce(0) { $1.key.truth == $1.key.predicted ? $0 + $1.value : $0 }
          baseline = nonViolating.isEmpty ? "its other labels" : "its other violating labels"
        }
        guard othersN >= minN, let test = try Proportions.twoProportionZ(k, recall.n, othersK, othersN).value
        else { continue }
        tests.append((group, label, test.p, recall, .proportion(othersK, of: othersN), baseline))
      }
    }
    guard !tests.isEmpty else { return [] }
    let (adjusted, rejected) = try MultipleTesting.benjaminiHochberg(tests.map(\.p), alpha: alpha)
    return tests.indices.compactMap { index in
      let test = tests[index]
      guard rejected[index], let mine = test.mine.value, let others = test.others.value, others - mine >= minGap
      else { return nil }
      return Finding(
        severity: severity, subject: "\(test.group) / \(test.label)", kpi: "recall",
        message:
          "\(who) recall of \(test.label) in \(test.group) is \(percent(mine)) (n=\(ReadableNumbers.count(test.mine.n))) against "
          + "\(percent(others)) on \(test.baseline) (BH-adjusted \(ReadableNumbers.pClause(adjusted[index])))",
        evidence: [
          "group": .text(test.group), "label": .text(test.label), "recall": .number(mine),
          "n": .number(Double(test.mine.n)), "baseline_recall": .number(others),
          "baseline_n": .number(Double(test.others.n)), "baseline": .text(test.baseline),
          "p_adjusted": .number(adjusted[index]),
        ], detector: detector)
    }
  }
}

/// `0.955` → `95.5%`.
func percent(_ value: Double) -> String { ReadableNumbers.percent(value) }
