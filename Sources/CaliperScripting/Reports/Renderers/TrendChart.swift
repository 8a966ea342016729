import CaliperCore

/// One KPI's series for one group as an inline SVG line chart: the values, the p-chart
/// control limits (for percentages: centre p̄ = Σk/Σn, limits p̄ ± 3√(p̄(1−p̄)/nᵢ)) and the
/// periods flagged by findings as red rings.
struct TrendChart {
  let trend: Trend
  let periods: [String]
  let format: KPIFormat
  let alarms: Set<String>

  static let width = 260.0
  static let height = 130.0
  static let left = 52.0
  static let bottom = 22.0
  static let top = 8.0

  var svg: String {
    let points = trend.points.filter { $0.value != nil }
    let limits = format == .percent ? controlLimits(points) : [:]
    var values = points.map { $0.value! }
    for limit in limits.values { values += [limit.lcl, limit.ucl] }
    guard let low = values.min(), let high = values.max() else {
      return
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\"><text x=\"10\" y=\"60\" class=\"axis\">no data with enough n</text></svg>"
    }
    let span = high - low > 1e-12 ? high - low : max(abs(high), 1) * 0.1
    // Pad the range by a tenth, but never past what the KPI can take (below 0, above 100%).
    let minY = low >= 0 ? max(0, low - span * 0.1) : low - span * 0.1
    let maxY = format == .percent && high <= 1 ? min(1, high + span * 0.1) : high + span * 0.1
    let plotWidth = Self.width - Self.left - 8
    let plotHeight = Self.height - Self.top - Self.bottom
    func x(_ period: String) -> Double {
      let index = Double(periods.firstIndex(of: period) ?? 0)
      return Self.left + (periods.count > 1 ? index / Double(periods.count - 1) : 0.5) * plotWidth
    }
    func y(_ value: Double) -> Double { Self.top + (1 - (value - minY) / (maxY - minY)) * plotHeight }
    func f(_ value: Double) -> String { formatDecimal(value, places: 1) }

    var svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" aria-label=\"\(HTMLRenderer.escape(trend.kpi)) of \(HTMLRenderer.escape(trend.group))\">"
    svg +=
      "<path d=\"M\(f(Self.left)) \(f(Self.top))V\(f(Self.top + plotHeight))H\(f(Self.left + plotWidth))\" stroke=\"#c5ccd8\" fill=\"none\"/>"
    svg +=
      "<text x=\"\(f(Self.left - 4))\" y=\"\(f(Self.top + 8))\" text-anchor=\"end\" class=\"axis\">\(HTMLRenderer.escape(KPIFormatting.text(maxY, format: format)))</text>"
    svg +=
      "<text x=\"\(f(Self.left - 4))\" y=\"\(f(Self.top + plotHeight))\" text-anchor=\"end\" class=\"axis\">\(HTMLRenderer.escape(KPIFormatting.text(minY, format: format)))</text>"
    if let first = periods.first, let last = periods.last {
      svg +=
        "<text x=\"\(f(Self.left))\" y=\"\(f(Self.height - 6))\" class=\"axis\">\(HTMLRenderer.escape(first))</text>"
      svg +=
        "<text x=\"\(f(Self.left + plotWidth))\" y=\"\(f(Self.height - 6))\" text-anchor=\"end\" class=\"axis\">\(HTMLRenderer.escape(last))</text>"
    }
    let limitPoints = points.filter { limits[$0.period] != nil }
    if limitPoints.count > 1 {
      for side in [\Limit.lcl, \Limit.ucl] {
        let path = limitPoints.enumerated().map { index, point in
          "\(index == 0 ? "M" : "L")\(f(x(point.period))) \(f(y(limits[point.period]![keyPath: side])))"
        }.joined()
        svg += "<path d=\"\(path)\" stroke=\"#d68910\" stroke-dasharray=\"4 3\" fill=\"none\"/>"
      }
      let centre = limits.values.first!.centre
      svg +=
        "<path d=\"M\(f(Self.left)) \(f(y(centre)))H\(f(Self.left + plotWidth))\" stroke=\"#9aa5b8\" stroke-dasharray=\"1 3\" fill=\"none\"/>"
    }
    if points.count > 1 {
      let path = points.enumerated().map { index, point in
        "\(index == 0 ? "M" : "L")\(f(x(point.period))) \(f(y(point.value!)))"
      }.joined()
      svg += "<path d=\"\(path)\" stroke=\"#2b59c3\" stroke-width=\"2\" fill=\"none\"/>"
    }
    for point in points {
      let alarm = alarms.contains(point.period)
      svg +=
        "<circle cx=\"\(f(x(point.period)))\" cy=\"\(f(y(point.value!)))\" r=\"\(alarm ? 5 : 2.5)\" fill=\"\(alarm ? "#fff" : "#2b59c3")\" stroke=\"\(alarm ? "#c0392b" : "none")\" stroke-width=\"2\"><title>\(HTMLRenderer.escape(point.period)): \(HTMLRenderer.escape(KPIFormatting.text(point.value!, format: format))) (n=\(ReadableNumbers.count(point.n)))</title></circle>"
    }
    return svg + "</svg>"
  }

  struct Limit {
    var centre: Double
    var lcl: Double
    var ucl: Double
  }

  /// p-chart limits per period from the points' values and sample sizes.
  private func controlLimits(_ points: [TrendPoint]) -> [String: Limit] {
    let used = points.filter { $0.n > 0 }
    let totalN = used.reduce(0) { $0 + $1.n }
    guard used.count >= 3, totalN > 0 else { return [:] }
    let centre = used.reduce(0.0) { $0 + $1.value! * Double($1.n) } / Double(totalN)
    var limits: [String: Limit] = [:]
    for point in used {
      let sigma = (centre * (1 - centre) / Double(point.n)).squareRoot()
      limits[point.period] = Limit(centre: centre, lcl: max(0, centre - 3 * sigma), ucl: min(1, centre + 3 * sigma))
    }
    return limits
  }
}
