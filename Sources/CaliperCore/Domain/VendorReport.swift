/// A figure a vendor reported in its own scorecard (a row of `vendor_reports.csv`), to be held
/// against Caliper's own measurement of the same thing.
public struct VendorReport: Hashable, Sendable, Codable {
  /// The vendor.
  public var vendor: String
  /// The site, or `nil` for a vendor-wide figure.
  public var site: String?
  /// The period the figure covers.
  public var period: ReportedPeriod
  /// What was reported.
  public var kpi: ReportedKPI
  /// The reported value (a proportion, or seconds).
  public var value: Double

  /// Creates a report row.
  public init(vendor: String, site: String?, period: ReportedPeriod, kpi: ReportedKPI, value: Double) {
    self.vendor = vendor
    self.site = site
    self.period = period
    self.kpi = kpi
    self.value = value
  }
}

/// The figures a vendor may report, named as Caliper measures them.
public enum ReportedKPI: String, Hashable, Sendable, Codable, CaseIterable {
  /// QA accuracy (internal QA audits).
  case qaAccuracy = "qa_accuracy"
  /// Golden-set accuracy.
  case goldenAccuracy = "golden_accuracy"
  /// Share of decisions within SLA.
  case slaWithinRate = "sla_within_rate"
  /// 90th percentile of handle time, in seconds.
  case handleP90Seconds = "handle_p90_seconds"

  /// Whether the figure is a proportion (compared with an interval) rather than seconds
  /// (compared with a tolerance).
  public var isProportion: Bool { self != .handleP90Seconds }

  /// Whether `value` is a possible figure of this kind.
  public func accepts(_ value: Double) -> Bool {
    guard value.isFinite else { return false }
    return isProportion ? (0...1).contains(value) : value >= 0
  }
}

/// An ISO week (`2026-W36`) or a calendar month (`2026-09`), spelled as reports spell periods.
public struct ReportedPeriod: Hashable, Sendable, Codable, CustomStringConvertible {
  /// Week or month.
  public var grain: PeriodGrain
  /// The label, exactly as ``PeriodGrain/label(of:)`` spells it.
  public var label: String

  /// Parses a week or month label; `nil` for anything else (including week 54 or month 13).
  public init?(_ text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].count == 4, parts[0].allSatisfy(\.isASCII), let year = Int(parts[0]),
      year >= 1970
    else { return nil }
    if parts[1].first == "W" {
      let week = parts[1].dropFirst()
      guard week.count == 2, week.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(week),
        (1...53).contains(number)
      else { return nil }
      grain = .week
    } else {
      guard parts[1].count == 2, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let month = Int(parts[1]),
        (1...12).contains(month)
      else { return nil }
      grain = .month
    }
    label = text
  }

  /// The label.
  public var description: String { label }
}
