import CaliperCore

/// How KPI values are written in tables, CSV-free text and HTML.
enum KPIFormatting {
  /// `97.1%`, `12.5 s`, `3.2‰`, `1,204` or `0.8123`.
  static func text(_ value: Double, format: KPIFormat) -> String {
    switch format {
    case .percent: ReadableNumbers.percent(value)
    case .seconds: formatDecimal(value, places: 1) + " s"
    case .rate_per_1000: formatDecimal(value, places: 2) + "‰"
    case .count: abs(value) < 1e15 ? ReadableNumbers.count(Int(value.rounded())) : formatDecimal(value, places: 0)
    case .number: formatDecimal(value, places: 4)
    }
  }

  /// A KPI cell: the value and its n, or why there is none.
  static func cell(_ value: KPIValue, format: KPIFormat) -> String {
    switch value.status {
    case .ok: "\(text(value.value!, format: format)) (n=\(ReadableNumbers.count(value.n)))"
    case .insufficient: "insufficient (n=\(ReadableNumbers.count(value.n)))"
    case .undefined: "undefined"
    }
  }
}
