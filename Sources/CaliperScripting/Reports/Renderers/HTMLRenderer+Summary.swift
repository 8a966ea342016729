import CaliperCore

/// The HTML report's opening: per scorecard, how many groups sit in each band and how that
/// changed from the previous period; then the most urgent findings, one line each, each linked
/// to its group's row and trend chart further down.
extension HTMLRenderer {
  /// Findings listed in the summary (the findings section lists all).
  static let summaryFindings = 10

  static func summarySection(_ report: Report) -> String {
    var html = "<section id=\"summary\"><h2>Summary</h2>"
    let cards = report.scorecards.filter { $0.status == .ok && $0.bandCounts != nil }
    if !cards.isEmpty {
      html += "<table class=\"bands\"><thead><tr><th>scorecard</th><th>period</th><th>groups by band"
      html += " <small>(change from the period before)</small></th></tr></thead><tbody>"
      for card in cards {
        let counts = card.bandCounts!
        html += "<tr><td><a href=\"#\(cardAnchor(card))\">\(escape(card.name))</a>"
        html += " <small>\(escape(card.pack))</small></td><td>\(escape(counts.period))"
        if card.partialPeriods.contains(counts.period) { html += " <span class=\"partial\">partial</span>" }
        html += counts.previousPeriod.map { "<br><small>vs \(escape($0))</small>" } ?? ""
        html += "</td><td>"
        for band in counts.bands where band.count > 0 || (band.previous ?? 0) > 0 {
          html += "<span class=\"chip \(escape(band.band))\">\(escape(band.band)) <b>\(band.count)</b>"
          if let previous = band.previous {
            let change = band.count - previous
            html += " <small>\(change == 0 ? "±0" : change > 0 ? "+\(change)" : "−\(-change)")</small>"
          }
          html += "</span> "
        }
        html += "</td></tr>"
      }
      html += "</tbody></table>"
    }
    guard !report.findings.isEmpty else { return html + "<p>No findings.</p></section>\n" }
    let shown = report.findings.prefix(summaryFindings)
    html += "<h3>Top findings</h3><ol class=\"top\">"
    for finding in shown {
      html += "<li><span class=\"sev \(finding.severity.rawValue)\">\(finding.severity.rawValue)</span> "
      html += "<b>\(escape(finding.subject))</b>\(finding.period.map { " " + escape($0) } ?? ""): "
      html += escape(finding.message)
      let links = findingLinks(finding, in: report)
      if !links.isEmpty { html += " <span class=\"links\">" + links.joined(separator: " · ") + "</span>" }
      html += "</li>"
    }
    html += "</ol>"
    if report.findings.count > shown.count {
      html += "<p><a href=\"#findings\">All \(report.findings.count) findings</a></p>"
    }
    return html + "</section>\n"
  }

  /// Links to the finding's group row and its KPI's trend chart, where the report has them.
  static func findingLinks(_ finding: Finding, in report: Report) -> [String] {
    guard let card = report.scorecards.first(where: { $0.pack == finding.pack && $0.id == finding.scorecard }) else {
      return []
    }
    let group = findingGroup(finding)
    var links: [String] = []
    if card.rows.contains(where: { $0.group == group }) {
      links.append("<a href=\"#\(rowAnchor(card, group: group))\">row</a>")
    }
    if let kpi = finding.kpi, chartedGroups(card, findings: report.findings).contains(group),
      card.trends.contains(where: { $0.group == group && $0.kpi == kpi })
    {
      links.append("<a href=\"#\(trendAnchor(card, kpi: kpi, group: group))\">chart</a>")
    }
    if links.isEmpty { links.append("<a href=\"#\(cardAnchor(card))\">scorecard</a>") }
    return links
  }

  /// The group a finding is about: its evidence's `group` (`TH` for `TH / royal_defamation`),
  /// else its subject.
  static func findingGroup(_ finding: Finding) -> String {
    if case .text(let group)? = finding.evidence["group"] { return group }
    return finding.subject
  }

  static func cardAnchor(_ card: ScorecardReport) -> String { "card-" + slug(card.pack, card.id) }

  static func rowAnchor(_ card: ScorecardReport, group: String) -> String { "row-" + slug(card.pack, card.id, group) }

  static func trendAnchor(_ card: ScorecardReport, kpi: String, group: String) -> String {
    "trend-" + slug(card.pack, card.id, kpi, group)
  }

  /// An id-safe text: letters and digits kept (lower-cased), anything else one `-`.
  static func slug(_ parts: String...) -> String {
    var out = ""
    for (index, part) in parts.enumerated() {
      if index > 0 { out += "--" }
      var lastDash = false
      for scalar in part.lowercased().unicodeScalars {
        if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
          out.unicodeScalars.append(scalar)
          lastDash = false
        } else if !lastDash {
          out += "-"
          lastDash = true
        }
      }
    }
    return out
  }
}
