import CaliperCore

extension CSVRenderer {
  /// The columns of a curriculum run: the learning-management import (docs/curriculum-csv.md).
  public static let curriculumColumns = [
    "moderator_id", "site", "vendor", "market", "module_id", "module_title", "hours", "start_week", "end_week",
    "priority", "rule", "reason", "curriculum", "pack", "within_horizon",
  ]

  /// One row per scheduled module, moderators in order, each moderator's modules in the order
  /// taken; a failed curriculum gives no rows (the report's status and stderr say why).
  static func curriculumCSV(_ section: CurriculumSection) -> String {
    var lines = [curriculumColumns.joined(separator: ",")]
    for curriculum in section.curricula {
      for item in curriculum.schedule?.items ?? [] {
        let fields = [
          item.moderator, item.site, item.vendor, item.market, item.module, item.title,
          formatDecimal(item.hours, places: 2), item.startWeek ?? "", item.endWeek ?? "", String(item.priority),
          item.rule, item.reason, curriculum.id, curriculum.pack, item.withinHorizon ? "true" : "false",
        ]
        lines.append(fields.map(quote).joined(separator: ","))
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
