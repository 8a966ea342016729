import CaliperCore
import Foundation

extension TableRenderer {
  /// The alignment section: per script its rules with what failed, each calibration
  /// session's agreement by organisation, and each go-live queue's checklist.
  func alignmentText(_ section: AlignmentSection) -> String {
    var out = ""
    for script in section.scripts {
      out += TerminalText.escaped("== \(script.name) [\(script.pack)/\(script.id)] — alignment ==") + "\n"
      if let error = script.error {
        out += "FAILED: \(TerminalText.escaped(error))\n\n"
        continue
      }
      var rows = [["rule", "over", "checked", "failed", "failing"]]
      for rule in script.rules {
        let failing = rule.checks.filter { !$0.passed }.map(\.subject)
        let shown = (rowLimit.map { Array(failing.prefix($0)) } ?? failing).joined(separator: ", ")
        let more = failing.count > (rowLimit ?? .max) ? " (+\(failing.count - rowLimit!))" : ""
        rows.append(
          [
            TerminalText.escaped(rule.id), rule.over.rawValue, String(rule.checked), String(rule.failed),
            TerminalText.escaped(shown + more),
          ])
      }
      out += aligned(rows) + "\n"
    }
    if !section.sessions.isEmpty {
      out += "== Calibration sessions: Krippendorff's alpha (95% bootstrap interval) ==\n"
      var rows = [
        ["session", "market", "date", "items", "raters"]
          + section.sessions[0].agreements.map { $0.among.joined(separator: "+") }
      ]
      for session in section.sessions {
        rows.append(
          [
            TerminalText.escaped(session.id), TerminalText.escaped(session.market), session.date, String(session.items),
            String(session.raters),
          ] + session.agreements.map { Self.metricText($0.alpha) })
      }
      let shown = rowLimit.map { Array(rows.prefix($0 + 1)) } ?? rows
      out += aligned(shown)
      if shown.count < rows.count {
        out += "… \(rows.count - shown.count) more sessions (all: --format json or html)\n"
      }
      out += "\n"
    }
    for queue in section.readiness {
      out +=
        TerminalText.escaped(
          "== Go-live readiness: \(queue.queue) (\(queue.market)) on \(queue.goLive): \(queue.moderators) moderators, trained \(Self.metricText(queue.trained)) =="
        ) + "\n"
      for item in queue.checks {
        out += TerminalText.escaped("[\(item.passed ? "pass" : "FAIL")] \(item.rule)") + "\n"
        for evidence in item.evidence { out += TerminalText.escaped("       \(evidence)") + "\n" }
      }
      if queue.checks.isEmpty { out += "(no rule looks at queues)\n" }
      out += "\n"
    }
    return out
  }

  /// `0.71 [0.55, 0.83]`, or `undefined` with the reason.
  static func metricText(_ metric: Metric) -> String {
    guard let value = metric.value else { return "– (\(metric.reason ?? "undefined"))" }
    var text = formatDecimal(value, places: 2)
    if let lo = metric.lo, let hi = metric.hi {
      text += " [\(formatDecimal(lo, places: 2)), \(formatDecimal(hi, places: 2))]"
    }
    return text
  }
}
