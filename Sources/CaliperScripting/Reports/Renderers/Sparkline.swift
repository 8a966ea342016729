import CaliperCore

/// A group's KPI series as a one-line inline SVG (no axes): for flat series, where a full trend
/// chart would spend a row of the page on a straight line.
struct Sparkline {
  let trend: Trend
  let periods: [String]

  static let width = 120.0
  static let height = 22.0

  /// Whether the series hardly moves: every value within half a percentage point (or half a
  /// percent of its size) of the others. Series of fewer than two values count as flat.
  static func isFlat(_ trend: Trend) -> Bool {
    let values = trend.points.compactMap(\.value)
    guard let low = values.min(), let high = values.max() else { return true }
    return high - low <= max(0.005, abs(high) * 0.005)
  }

  var svg: String {
    let points = trend.points.filter { $0.value != nil }
    let values = points.map { $0.value! }
    let low = values.min() ?? 0
    let high = values.max() ?? 1
    let span = high - low > 1e-12 ? high - low : 1
    func x(_ period: String) -> Double {
      let index = Double(periods.firstIndex(of: period) ?? 0)
      return 2 + (periods.count > 1 ? index / Double(periods.count - 1) : 0.5) * (Self.width - 4)
    }
    func y(_ value: Double) -> Double {
      high - low > 1e-12 ? 3 + (1 - (value - low) / span) * (Self.height - 6) : Self.height / 2
    }
    func f(_ value: Double) -> String { formatDecimal(value, places: 1) }
    var path = points.enumerated().map { index, point in
      "\(index == 0 ? "M" : "L")\(f(x(point.period))) \(f(y(point.value!)))"
    }.joined()
    // A single point still draws: a short tick.
    if points.count == 1 { path += "h1" }
    if points.isEmpty { path = "M2 \(f(Self.height / 2))H\(f(Self.width - 2))" }
    return
      "<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" aria-label=\"\(HTMLRenderer.escape(trend.kpi)) of \(HTMLRenderer.escape(trend.group))\"><path d=\"\(path)\" stroke=\"\(points.isEmpty ? "#c5ccd8" : "#2b59c3")\" stroke-width=\"1.5\" fill=\"none\"/></svg>"
  }
}
