import CaliperCore
import Foundation

/// CSV: one row per scorecard × group × KPI in each scorecard's period; for an alignment run,
/// one row per rule × object checked.
public struct CSVRenderer: ReportRenderer {
  /// `csv`.
  public static let formatName = "csv"

  /// Creates the renderer (CSV has no options: every row is written).
  public init(options: RenderOptions = RenderOptions()) {}

  /// The columns, in order.
  public static let columns = [
    "scorecard", "pack", "grain", "period", "period_partial", "group", "kpi", "kpi_source", "status", "value", "n",
    "lo", "hi",
    "kpi_score", "score", "band", "reason",
  ]

  /// The report as CSV (RFC 4180, LF line ends).
  public func render(_ report: Report) -> String {
    if let alignment = report.sections.alignment { return Self.alignmentCSV(alignment) }
    if let curricula = report.sections.curricula { return Self.curriculumCSV(curricula) }
    var lines = [Self.columns.joined(separator: ",")]
    func number(_ value: Double?) -> String { value.map { formatDecimal($0, places: 6) } ?? "" }
    for card in report.scorecards {
      for row in card.rows {
        for (value, kpi) in zip(row.values, card.kpis) {
          let fields = [
            card.id, card.pack, card.grain?.rawValue ?? "", card.period ?? "",
            String(card.period.map(card.partialPeriods.contains) ?? false), row.group, kpi.id, kpi.source,
            value.status.rawValue,
            number(value.value), String(value.n), number(value.lo), number(value.hi), number(value.score),
            number(row.score), row.band ?? "", value.reason ?? row.scoreReason ?? "",
          ]
          lines.append(fields.map(Self.quote).joined(separator: ","))
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func quote(_ field: String) -> String {
    guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
