import CaliperCore
import Foundation

/// One self-contained HTML file (no network, no script, no CDN) that prints cleanly on A4 or
/// Letter: a summary (groups per band and their change, the top findings linked to their rows
/// and charts), the findings with their evidence as labelled fields, every scorecard table with
/// its bands, a trend chart per KPI for the groups that matter (worst first, and any group with
/// a finding) with p-chart control limits and alarms marked (a sparkline where the series is
/// flat), a QA confusion heatmap per vendor, and the provenance needed to reproduce the numbers.
public struct HTMLRenderer: ReportRenderer {
  /// `html`.
  public static let formatName = "html"

  /// Creates the renderer (the HTML report shows every row).
  public init(options: RenderOptions = RenderOptions()) {}

  /// Trend charts per KPI: the worst groups of the table, plus any group with a finding.
  public static let trendGroups = 8

  /// The report as an HTML document.
  public func render(_ report: Report) -> String {
    Self.document(report)
  }

  private static func document(_ report: Report) -> String {
    let title =
      report.sections.curricula != nil ? "curricula" : report.sections.alignment == nil ? "scorecards" : "alignment"
    var html = """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>Caliper \(title)</title>
      <style>\(style)</style></head><body>
      <header><h1>Caliper \(title)</h1>
      <p class="meta">caliper \(escape(report.caliper.version)) · Lua API \(report.caliper.luaAPI) · \
      \(report.run.asOf.map { "as of " + escape($0) } ?? "period " + escape(report.run.period ?? "latest complete")) · seed \(report.run.seed) · status <b>\(escape(report.status.rawValue))</b></p>
      </header><main>

      """
    html += summarySection(report)
    html += findingsSection(report)
    for card in report.scorecards { html += scorecardSection(card, findings: report.findings) }
    if let alignment = report.sections.alignment { html += alignmentSections(alignment) }
    if let curricula = report.sections.curricula { html += curriculumSections(curricula) }
    html += provenance(report)
    html += "</main></body></html>\n"
    return html
  }

  private static func findingsSection(_ report: Report) -> String {
    var html = "<section id=\"findings\"><h2>Findings (\(report.findings.count))</h2>"
    guard !report.findings.isEmpty else { return html + "<p>No findings.</p></section>\n" }
    html += "<table><thead><tr><th>severity</th><th>subject</th><th>period</th><th>finding</th><th>evidence</th>"
    html += "<th>source</th></tr></thead><tbody>"
    for finding in report.findings {
      let evidence = EvidenceFields.fields(finding.evidence).map {
        "<dt>\(escape($0.label))</dt><dd>\(escape($0.text))</dd>"
      }
      let sources = [finding.pack + "/" + finding.scorecard] + (finding.also ?? []).map { $0.pack + "/" + $0.scorecard }
      let links = findingLinks(finding, in: report)
      html += "<tr><td><span class=\"sev \(finding.severity.rawValue)\">\(finding.severity.rawValue)</span></td>"
      html += "<td>\(escape(finding.subject))</td><td>\(escape(finding.period ?? "–"))</td>"
      html +=
        "<td>\(escape(finding.message))\(links.isEmpty ? "" : "<br><small>" + links.joined(separator: " · ") + "</small>")</td>"
      html += "<td><dl class=\"evidence\">\(evidence.joined())</dl></td>"
      html +=
        "<td>\(escape(finding.detector))<br><small>\(sources.map(escape).joined(separator: "<br>"))</small></td></tr>"
    }
    return html + "</tbody></table></section>\n"
  }

  private static func scorecardSection(_ card: ScorecardReport, findings: [Finding]) -> String {
    var html = "<section class=\"card\" id=\"\(cardAnchor(card))\"><h2>\(escape(card.name))</h2>"
    html +=
      "<p class=\"meta\">\(escape(card.pack))/\(escape(card.file)) · \(escape(card.grain?.rawValue ?? "?")) by \(escape(card.periodGrain?.rawValue ?? "?"))"
    html += " · \(escape(card.period ?? "no period"))"
    if let period = card.period, card.partialPeriods.contains(period) {
      html += " <span class=\"partial\" title=\"the data ends inside this period\">partial</span>"
    }
    html += "</p>"
    if let error = card.error { return html + "<p class=\"failed\">Failed: \(escape(error))</p></section>\n" }
    html += "<div class=\"scroll\"><table><thead><tr><th>\(escape(card.grain?.rawValue ?? ""))</th><th>score</th>"
    for kpi in card.kpis {
      let target = kpi.target.map { " · target \(KPIFormatting.text($0, format: kpi.format))" } ?? ""
      html +=
        "<th>\(escape(kpi.label))<br><small>w \(formatDecimal(kpi.weight, places: 2))\(escape(target)) · \(escape(kpi.source))</small></th>"
    }
    html += "</tr></thead><tbody>"
    for row in card.rows {
      let band = row.band ?? "none"
      html += "<tr id=\"\(rowAnchor(card, group: row.group))\"><td>\(escape(row.group))"
      html += "<br><small>\(escape(row.markets.joined(separator: ", ")))</small></td>"
      html +=
        "<td class=\"band \(escape(band))\">\(row.score.map { formatDecimal($0, places: 1) } ?? "–")<br><small>\(escape(row.band ?? "insufficient"))</small></td>"
      for (value, kpi) in zip(row.values, card.kpis) {
        let interval = value.lo.flatMap { lo in
          value.hi.map { "\(KPIFormatting.text(lo, format: kpi.format))–\(KPIFormatting.text($0, format: kpi.format))" }
        }
        let text = value.status == .ok ? KPIFormatting.text(value.value!, format: kpi.format) : value.status.rawValue
        html += "<td class=\"\(value.status)\" title=\"\(escape(value.reason ?? interval ?? ""))\">\(escape(text))"
        html +=
          "<br><small>n=\(ReadableNumbers.count(value.n))\(interval.map { " · " + escape($0) } ?? "")</small></td>"
      }
      html += "</tr>"
    }
    html += "</tbody></table></div>"
    html += trendsSection(card, findings: findings)
    if !card.confusions.isEmpty {
      html +=
        "<h3>QA confusion by vendor (rows: QA label, columns: decision label; share of row)</h3><div class=\"grid\">"
      for matrix in card.confusions { html += heatmap(matrix) }
      html += "</div>"
    }
    return html + "</section>\n"
  }

  /// The groups whose trends are drawn: the table's worst, then any group with a finding.
  static func chartedGroups(_ card: ScorecardReport, findings: [Finding]) -> [String] {
    guard card.periods.count > 1 else { return [] }
    let flagged = Set(findings.filter { $0.scorecard == card.id && $0.pack == card.pack }.map(findingGroup))
    var chosen = Array(card.rows.prefix(trendGroups).map(\.group))
    for group in flagged.sorted() where !chosen.contains(group) && card.trends.contains(where: { $0.group == group }) {
      chosen.append(group)
    }
    return chosen
  }

  private static func trendsSection(_ card: ScorecardReport, findings: [Finding]) -> String {
    let chosen = chartedGroups(card, findings: findings)
    guard !chosen.isEmpty else { return "" }
    var html = "<h3>Trends</h3>"
    for kpi in card.kpis {
      html += "<h4>\(escape(kpi.label))</h4>"
      var charts = ""
      var sparks = ""
      for group in chosen {
        guard let trend = card.trends.first(where: { $0.group == group && $0.kpi == kpi.id }) else { continue }
        let id = trendAnchor(card, kpi: kpi.id, group: group)
        let latest = trend.points.last { $0.value != nil }
        let alarms = Set(
          findings.filter { findingGroup($0) == group && $0.kpi == kpi.id && $0.scorecard == card.id }
            .compactMap(\.period))
        if Sparkline.isFlat(trend) && alarms.isEmpty {
          sparks += "<div class=\"sparkrow\" id=\"\(id)\"><span>\(escape(group))</span>"
          sparks += Sparkline(trend: trend, periods: card.periods).svg
          sparks +=
            "<span>\(latest.map { escape(KPIFormatting.text($0.value!, format: kpi.format)) } ?? "–")</span></div>"
        } else {
          charts += "<figure id=\"\(id)\">"
          charts += TrendChart(trend: trend, periods: card.periods, format: kpi.format, alarms: alarms).svg
          charts += "<figcaption>\(escape(group))</figcaption></figure>"
        }
      }
      if !charts.isEmpty { html += "<div class=\"grid\">\(charts)</div>" }
      if !sparks.isEmpty { html += "<div class=\"sparks\"><small>flat over the periods:</small>\(sparks)</div>" }
    }
    return html
  }

  private static func heatmap(_ matrix: ConfusionRecord) -> String {
    let cell = 22.0
    let margin = 110.0
    let size = Double(matrix.labels.count) * cell
    var svg =
      "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(margin + size + 10))\" height=\"\(Int(margin + size + 10))\" role=\"img\" aria-label=\"confusion matrix of \(escape(matrix.group))\">"
    for (i, label) in matrix.labels.enumerated() {
      let y = margin + Double(i) * cell + cell * 0.7
      svg += "<text x=\"\(Int(margin - 4))\" y=\"\(Int(y))\" text-anchor=\"end\" class=\"axis\">\(escape(label))</text>"
      let x = margin + Double(i) * cell + cell * 0.7
      svg +=
        "<text transform=\"translate(\(Int(x)),\(Int(margin - 4))) rotate(-60)\" class=\"axis\">\(escape(label))</text>"
      let total = max(1, matrix.counts[i].reduce(0, +))
      for (j, count) in matrix.counts[i].enumerated() {
        let share = Double(count) / Double(total)
        let colour =
          i == j
          ? "rgba(22,128,84,\(formatDecimal(0.15 + 0.85 * share, places: 3)))"
          : "rgba(200,40,40,\(formatDecimal(count == 0 ? 0.03 : 0.15 + 0.85 * share, places: 3)))"
        svg +=
          "<path d=\"M\(Int(margin + Double(j) * cell)) \(Int(margin + Double(i) * cell))h\(Int(cell - 1))v\(Int(cell - 1))h-\(Int(cell - 1))z\" fill=\"\(colour)\"><title>\(escape(label)) → \(escape(matrix.labels[j])): \(count)</title></path>"
      }
    }
    return svg + "</svg><figcaption>\(escape(matrix.group))</figcaption></figure>"
  }

  private static func provenance(_ report: Report) -> String {
    var html =
      "<section id=\"provenance\"><h2>Reproducibility</h2><table><thead><tr><th>pack</th><th>version</th><th>extends</th><th>sha256</th></tr></thead><tbody>"
    for pack in report.packs {
      html +=
        "<tr><td>\(escape(pack.name))</td><td>\(escape(pack.version))</td><td>\(escape(pack.extends ?? "–"))</td><td><code>\(pack.sha256)</code></td></tr>"
    }
    html +=
      "</tbody></table><table><thead><tr><th>data file</th><th>read</th><th>accepted</th><th>rejected</th><th>sha256</th></tr></thead><tbody>"
    for file in report.data.files {
      html +=
        "<tr><td>\(escape(file.file))</td><td>\(file.rowsRead)</td><td>\(file.rowsAccepted)</td><td>\(file.rowsRejected)</td><td><code>\(file.sha256)</code></td></tr>"
    }
    return html + "</tbody></table></section>\n"
  }

  static func escape(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }

  static let style = """
    body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;background:#f6f7f9;margin:0}
    header{background:#1d2433;color:#fff;padding:16px 28px}header h1{margin:0;font-size:22px}
    .meta{color:#8a93a6;margin:4px 0 12px}header .meta{color:#c9d1e0}
    main{padding:8px 28px 40px;max-width:1400px}section{background:#fff;border:1px solid #e2e6ee;border-radius:8px;padding:14px 18px;margin:16px 0}
    h2{font-size:18px;margin:4px 0 8px}h3{font-size:15px;margin:18px 0 6px}h4{font-size:13px;margin:12px 0 4px;color:#4a5568}
    table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border-bottom:1px solid #edf0f5;padding:5px 8px;text-align:left;vertical-align:top}
    th{background:#f2f4f8;font-weight:600;font-size:12px}td small,th small{color:#6b7385;font-weight:400}
    .scroll{overflow-x:auto}.band.green{background:#dff3e8}.band.amber{background:#fff1d6}.band.red{background:#fbe0e0}
    td.insufficient,td.undefined{color:#8a93a6;font-style:italic}.failed{color:#b42318;font-weight:600}
    .sev{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;color:#fff}
    .sev.critical{background:#7a1212}.sev.high{background:#c0392b}.sev.medium{background:#d68910}.sev.low{background:#2e86c1}.sev.info{background:#7f8c8d}
    .evidence{font-size:12px;color:#4a5568;word-break:break-word}.grid{display:flex;flex-wrap:wrap;gap:10px}
    figure{margin:0;border:1px solid #edf0f5;border-radius:6px;padding:6px;background:#fff;max-width:100%;overflow:hidden}
    figcaption{font-size:12px;color:#4a5568;text-align:center}svg{display:block;max-width:100%;height:auto}
    .axis{font-size:10px;fill:#6b7385}code{font-size:11px;word-break:break-all}
    dl.evidence{display:grid;grid-template-columns:auto 1fr;gap:0 10px;margin:0;font-size:12px;min-width:250px;word-break:normal}
    dl.evidence dt{color:#6b7385}dl.evidence dd{margin:0;font-variant-numeric:tabular-nums}
    .chip{display:inline-block;padding:1px 8px;margin:1px 2px;border-radius:10px;background:#eef1f6;font-size:12px}
    .chip.green{background:#dff3e8}.chip.amber{background:#fff1d6}.chip.red{background:#fbe0e0}
    .partial{display:inline-block;padding:0 6px;border-radius:8px;background:#fff1d6;color:#7a5a00;font-size:11px}
    ol.top{padding-left:20px}ol.top li{margin:3px 0}.links{font-size:12px}a{color:#2b59c3}
    .sparks{display:flex;flex-wrap:wrap;gap:4px 18px;align-items:center;margin:4px 0}
    .sparkrow{display:flex;gap:8px;align-items:center;font-size:12px}.sparkrow svg{display:inline-block}
    tr:target,figure:target,.sparkrow:target{outline:2px solid #2b59c3}
    @page{size:auto;margin:12mm}
    @media print{body{background:#fff;font-size:10.5px}header{background:none;color:#000;padding:0 0 6px;border-bottom:2px solid #000}
    header .meta{color:#333}main{padding:0;max-width:none}section{border:none;border-radius:0;padding:4px 0;margin:8px 0;break-inside:auto}
    h2,h3,h4{break-after:avoid}tr,figure,.sparkrow{break-inside:avoid}.scroll{overflow:visible}
    table{font-size:9.5px}th,td{padding:2px 4px}.band.green,.band.amber,.band.red,.chip,.sev,.partial{print-color-adjust:exact;-webkit-print-color-adjust:exact}
    figure{border:none}a{color:inherit;text-decoration:none}}
    """
}
