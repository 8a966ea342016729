/// A vendor's self-reported figure beside Caliper's measurement of the same thing, on the same
/// decisions (the vendor's or site's, in the reported week or month).
public struct ReportedFigure: Sendable {
  /// The row of `vendor_reports.csv`.
  public var report: VendorReport
  /// Caliper's measurement (undefined when there is nothing to measure it on).
  public var measured: Metric
  /// Markets the measured decisions come from (for pack scoping).
  public var markets: Set<String>

  /// The group the figure is about: the site when given, else the vendor.
  public var subject: String {
    let scope = report.site.map { "\(report.vendor) / \($0)" } ?? report.vendor
    return "\(scope) \(report.period) \(report.kpi.rawValue)"
  }

  /// Reported minus measured, or `nil` when the measurement is undefined.
  public var difference: Double? { measured.value.map { report.value - $0 } }

  /// The measured proportion's Wilson interval at `confidence`; `nil` with a reason when the
  /// figure is not a proportion or the measurement is undefined.
  public func interval(confidence: Double) throws -> StatResult<ClosedRange<Double>> {
    guard report.kpi.isProportion else {
      return .undefined(reason: "\(report.kpi.rawValue) is not a proportion: compare it with a tolerance")
    }
    guard let k = measured.k, measured.n > 0 else {
      return .undefined(reason: measured.reason ?? "nothing measured")
    }
    return try Proportions.wilson(successes: k, trials: measured.n, confidence: confidence)
  }

  /// Pairs every report with the measurement of its group and period in `tables` (grouped by
  /// vendor or site, and by week or month).
  public static func compare(
    _ reports: [VendorReport], tables: [Grouping: [GroupKey: GroupAggregate]]
  ) -> [ReportedFigure] {
    reports.map { report in
      let grain: Grain = report.site == nil ? .vendor : .site
      let table = tables.first { $0.key.grain == grain && $0.key.period == report.period.grain }?.value ?? [:]
      let group = report.site ?? report.vendor
      guard let state = table[GroupKey(group: group, period: report.period.label)] else {
        return ReportedFigure(
          report: report,
          measured: Metric(undefined: "no decisions of \(grain.rawValue) '\(group)' in \(report.period)", n: 0),
          markets: [])
      }
      if report.site != nil, !state.context.vendors.contains(report.vendor) {
        return ReportedFigure(
          report: report,
          measured: Metric(undefined: "site '\(group)' has no decisions of vendor '\(report.vendor)'", n: 0),
          markets: state.context.markets)
      }
      return ReportedFigure(report: report, measured: report.kpi.measure(state), markets: state.context.markets)
    }
  }
}

extension ReportedKPI {
  /// Caliper's own measurement of this figure on a group's decisions: QA accuracy is internal
  /// QA's (the vendor's own audits are what is being checked), the rest as scorecards define
  /// them.
  public func measure(_ state: GroupAggregate) -> Metric {
    switch self {
    case .qaAccuracy: state.qa.internalQA.accuracy
    case .goldenAccuracy: state.goldenAccuracy
    case .slaWithinRate: state.slaWithinRate
    case .handleP90Seconds: state.handleQuantile(0.9)
    }
  }
}
