import CaliperCore
import Foundation

/// The terminal report: per scorecard an aligned table, worst groups first, band coloured on a
/// terminal; then the findings.
public struct TableRenderer: ReportRenderer {
  /// `table`.
  public static let formatName = "table"

  /// Whether to colour bands (stdout is a terminal).
  public var colour: Bool
  /// Rows shown per scorecard (worst first); the rest are counted. `nil`: all.
  public var rowLimit: Int?

  /// Creates a renderer.
  public init(colour: Bool, rowLimit: Int? = nil) {
    self.colour = colour
    self.rowLimit = rowLimit
  }

  /// Creates a renderer with the caller's colour and row limit.
  public init(options: RenderOptions) {
    self.init(colour: options.colour, rowLimit: options.rowLimit)
  }

  /// The whole report as text.
  public func render(_ report: Report) -> String {
    var out = ""
    for card in report.scorecards {
      out += TerminalText.escaped("== \(card.name) [\(card.pack)/\(card.id)]")
      if let grain = card.grain, let periodGrain = card.periodGrain {
        out += " — \(grain.rawValue) by \(periodGrain.rawValue)"
      }
      out += card.period.map { ", \($0)" } ?? ""
      if let period = card.period, card.partialPeriods.contains(period) { out += " (partial: the data ends inside it)" }
      out += " ==\n"
      if let error = card.error {
        out += "FAILED: \(TerminalText.escaped(error))\n\n"
        continue
      }
      guard !card.rows.isEmpty else {
        out += "(no decisions in this period)\n\n"
        continue
      }
      var header = [card.grain?.rawValue ?? "group", "score", "band"]
      let mixed = Set(card.kpis.map(\.source)).count > 1
      header += card.kpis.map { TerminalText.escaped(mixed && $0.source == card.pack ? $0.label + "*" : $0.label) }
      var rows = [header]
      let shown = rowLimit.map { Array(card.rows.prefix($0)) } ?? card.rows
      for row in shown {
        var cells = [
          TerminalText.escaped(row.group), row.score.map { formatDecimal($0, places: 1) } ?? "–",
          row.band ?? "insufficient",
        ]
        cells += zip(row.values, card.kpis).map { KPIFormatting.cell($0, format: $1.format) }
        rows.append(cells)
      }
      let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
      for (index, cells) in rows.enumerated() {
        var line = ""
        for (column, cell) in cells.enumerated() {
          let padded = cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
          line += column == 2 && index > 0 ? paint(padded, band: cell) : padded
          if column < cells.count - 1 { line += "  " }
        }
        out += line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        if index == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
      }
      if shown.count < card.rows.count {
        out +=
          "… \(card.rows.count - shown.count) more \(card.grain?.rawValue ?? "group")s (all rows: --format csv, json or html)\n"
      }
      let own = card.kpis.filter { $0.source == card.pack }.map(\.id)
      let inherited = Set(card.kpis.map(\.source)).subtracting([card.pack])
      if !own.isEmpty, !inherited.isEmpty {
        out += "* set by \(card.pack); other KPIs from \(inherited.sorted().joined(separator: ", "))\n"
      }
      out += "\n"
    }
    if let alignment = report.sections.alignment { out += alignmentText(alignment) }
    if let curricula = report.sections.curricula { out += curriculumText(curricula) }
    out += "== Findings (\(report.findings.count)) ==\n"
    for finding in report.findings {
      let period = finding.period.map { " \($0)" } ?? ""
      out +=
        TerminalText.escaped(
          "[\(finding.severity.rawValue)] \(finding.subject)\(period): \(finding.message)"
            + " — \(finding.detector), \(Self.sources(of: finding))") + "\n"
    }
    if report.findings.isEmpty { out += "none\n" }
    if let curricula = report.sections.curricula {
      let failed = curricula.curricula.filter { $0.status != .ok }.count
      out += "\n\(curricula.curricula.count) curricula, \(failed) failed, as of \(curricula.asOf); packs: "
    } else if let alignment = report.sections.alignment {
      let failed = alignment.scripts.filter { $0.status != .ok }.count
      out += "\n\(alignment.scripts.count) alignment scripts, \(failed) failed, as of \(alignment.asOf); packs: "
    } else {
      let failed = report.scorecards.filter { $0.status != .ok }.count
      out += "\n\(report.scorecards.count) scorecards, \(failed) failed; packs: "
    }
    out += report.packs.map { "\($0.name) \($0.version) (\($0.sha256.prefix(12)))" }.joined(separator: ", ")
    out += "; caliper \(report.caliper.version)\n"
    return out
  }

  /// `apac-base/site_weekly`, or `apac-base/site_weekly + jp/site_weekly` for a merged finding.
  static func sources(of finding: Finding) -> String {
    (["\(finding.pack)/\(finding.scorecard)"] + (finding.also ?? []).map { "\($0.pack)/\($0.scorecard)" })
      .joined(separator: " + ")
  }

  /// Lines padded to the widest cell of each column, a rule under the header.
  func aligned(_ rows: [[String]]) -> String {
    guard let header = rows.first else { return "" }
    let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    var out = ""
    for (index, cells) in rows.enumerated() {
      let line = cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
        .joined(separator: "  ")
      out += line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
      if index == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
    }
    return out
  }

  private func paint(_ text: String, band: String) -> String {
    guard colour else { return text }
    let code: String
    switch band.trimmingCharacters(in: .whitespaces) {
    case "green": code = "32"
    case "amber": code = "33"
    case "red": code = "31"
    default: return text
    }
    return "\u{1B}[\(code)m\(text)\u{1B}[0m"
  }
}
