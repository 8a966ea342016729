import CaliperCore

extension HTMLRenderer {
  /// Alignment scripts and their rules, then per calibration session the agreement by
  /// organisation, the most disputed items and a rater × item heatmap, then per go-live queue
  /// its readiness checklist, then per label the market divergence table.
  static func alignmentSections(_ section: AlignmentSection) -> String {
    var html = ""
    for script in section.scripts {
      html += "<section class=\"card\"><h2>\(escape(script.name))</h2>"
      html += "<p class=\"meta\">\(escape(script.pack))/\(escape(script.file)) · as of \(escape(section.asOf))</p>"
      if let error = script.error {
        html += "<p class=\"failed\">Failed: \(escape(error))</p></section>\n"
        continue
      }
      html +=
        "<table><thead><tr><th>rule</th><th>over</th><th>checked</th><th>failed</th><th>failing</th></tr></thead><tbody>"
      for rule in script.rules {
        let failing = rule.checks.filter { !$0.passed }.map { escape($0.subject) }.joined(separator: ", ")
        html +=
          "<tr><td>\(escape(rule.id))<br><small>\(escape(rule.description ?? "")) · \(escape(rule.source))</small></td>"
        html += "<td>\(rule.over.rawValue)</td><td>\(rule.checked)</td><td>\(rule.failed)</td><td>\(failing)</td></tr>"
      }
      html += "</tbody></table></section>\n"
    }
    if !section.sessions.isEmpty {
      html += "<section id=\"calibration\"><h2>Calibration sessions</h2>"
      for session in section.sessions { html += sessionBlock(session) }
      html += "</section>\n"
    }
    if !section.readiness.isEmpty {
      html += "<section id=\"readiness\"><h2>Go-live readiness</h2>"
      for queue in section.readiness {
        html += "<h3>\(escape(queue.queue)) <small>\(escape(queue.market)) · live \(escape(queue.goLive))"
        html +=
          " · \(queue.moderators) moderators · trained \(escape(TableRenderer.metricText(queue.trained)))</small></h3>"
        html += "<table><thead><tr><th>check</th><th>result</th><th>evidence</th></tr></thead><tbody>"
        for item in queue.checks {
          html += "<tr><td>\(escape(item.rule))<br><small>\(escape(item.description ?? ""))</small></td>"
          html += "<td class=\"band \(item.passed ? "green" : "red")\">\(item.passed ? "pass" : "fail")</td>"
          html += "<td class=\"evidence\">\(item.evidence.map(escape).joined(separator: "<br>"))</td></tr>"
        }
        if queue.checks.isEmpty { html += "<tr><td colspan=\"3\">No rule looks at queues.</td></tr>" }
        html += "</tbody></table>"
      }
      html += "</section>\n"
    }
    if section.labels.contains(where: { $0.markets.count > 1 }) { html += labelDivergence(section.labels) }
    return html
  }

  /// Per label with data in two or more markets: each market's accuracy and calibration, the
  /// test across markets, and the markets below the others marked.
  private static func labelDivergence(_ labels: [LabelDivergence]) -> String {
    var html = "<section id=\"labels\"><h2>Labels across markets</h2>"
    html += "<p class=\"meta\">Moderator accuracy on internal audits whose reference is the label, and calibration"
    html += " ratings matching the reference; a marked market lies below the others (z test, p &lt; 0.05) on a label"
    html += " whose markets differ (chi-squared, Benjamini–Hochberg adjusted p &lt; 0.05).</p>"
    for label in labels where label.markets.count > 1 {
      let test =
        label.chi2.map { chi2 in
          "χ² \(formatDecimal(chi2, places: 1)), adjusted p \(label.adjustedP.map { ReadableNumbers.pValue($0) } ?? "–")"
        } ?? escape(label.reason ?? "no test")
      html += "<h3>\(escape(label.label)) <small>\(test)</small></h3>"
      html += "<table><thead><tr><th>market</th><th>accuracy</th><th>calibration</th><th></th></tr></thead><tbody>"
      for market in label.markets {
        html += "<tr><td>\(escape(market.market))</td><td>\(escape(TableRenderer.metricText(market.accuracy)))</td>"
        html += "<td>\(escape(TableRenderer.metricText(market.calibration)))</td>"
        html += market.diverging ? "<td class=\"band red\">diverges</td></tr>" : "<td></td></tr>"
      }
      html += "</tbody></table>"
    }
    return html + "</section>\n"
  }

  private static func sessionBlock(_ session: SessionSummary) -> String {
    var html = "<h3>\(escape(session.id)) <small>\(escape(session.market)) · \(escape(session.date))"
    html += " · \(session.items) items · \(session.raters) raters</small></h3>"
    html +=
      "<table><thead><tr><th>among</th><th>Krippendorff's alpha</th><th>95% interval</th><th>items</th></tr></thead><tbody>"
    for agreement in session.agreements {
      let alpha = agreement.alpha
      let interval = alpha.lo.flatMap { lo in
        alpha.hi.map { "\(formatDecimal(lo, places: 2))–\(formatDecimal($0, places: 2))" }
      }
      html += "<tr><td>\(escape(agreement.among.joined(separator: " + ")))</td>"
      html += "<td>\(alpha.value.map { formatDecimal($0, places: 3) } ?? escape(alpha.reason ?? "undefined"))</td>"
      html += "<td>\(interval ?? "–")</td><td>\(alpha.n)</td></tr>"
    }
    html += "</tbody></table>"
    if !session.disputed.isEmpty {
      html += "<h4>Most disputed items</h4><table><thead><tr><th>item</th><th>reference</th><th>modal share</th>"
      html += "<th>labels</th></tr></thead><tbody>"
      for item in session.disputed {
        html += "<tr><td>\(escape(item.item))</td><td>\(escape(item.reference ?? "none"))</td>"
        html += "<td>\(formatDecimal(item.modalShare, places: 2))</td>"
        html += "<td>\(item.labels.map(escape).joined(separator: ", "))</td></tr>"
      }
      html += "</tbody></table>"
    }
    return html + raterHeatmap(session)
  }

  /// Rater × item: green agrees with the reference, red does not, grey not rated or no reference.
  private static func raterHeatmap(_ session: SessionSummary) -> String {
    let map = session.heatmap
    guard !map.items.isEmpty, !map.raters.isEmpty else { return "" }
    let cell = 14
    let margin = 190
    let width = margin + map.items.count * cell + 10
    let height = map.raters.count * cell + 10
    var svg = "<h4>Raters against the reference (columns: items, most disputed first)</h4><figure>"
    svg +=
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"rater by item agreement of \(escape(session.id))\">"
    for (row, rater) in map.raters.enumerated() {
      svg +=
        "<text x=\"\(margin - 4)\" y=\"\(row * cell + 11)\" text-anchor=\"end\" class=\"axis\">\(escape(rater))</text>"
      for (column, value) in map.cells[row].enumerated() {
        let colour = value == 1 ? "#2e9d6a" : value == 0 ? "#c0392b" : "#e2e6ee"
        let meaning = value == 1 ? "agrees" : value == 0 ? "disagrees" : "not rated or no reference"
        svg +=
          "<rect x=\"\(margin + column * cell)\" y=\"\(row * cell)\" width=\"\(cell - 1)\" height=\"\(cell - 1)\" fill=\"\(colour)\"><title>\(escape(rater)) on \(escape(map.items[column])): \(meaning)</title></rect>"
      }
    }
    return svg + "</svg></figure>"
  }
}
