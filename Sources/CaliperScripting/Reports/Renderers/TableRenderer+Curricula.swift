import CaliperCore
import Foundation

extension TableRenderer {
  /// Training effect per module (and per site under it): accuracy on the module's labels before
  /// and after, trained and comparison, the difference in differences and its interval.
  func effectText(_ effects: [ModuleEffect]) -> String {
    var rows = [
      [
        "training effect", "site", "trained", "trained before → after", "comparison before → after", "effect",
        "verdict",
      ]
    ]
    func share(_ metric: Metric) -> String { metric.value.map(ReadableNumbers.percent) ?? "–" }
    for effect in effects {
      for entry in [effect] + (effect.sites ?? []) {
        let estimate = entry.estimate.map { value in
          "\(formatDecimal(value * 100, places: 1)) pts"
            + (entry.lo.map { " [\(formatDecimal($0 * 100, places: 1)), \(formatDecimal(entry.hi! * 100, places: 1))]" }
              ?? "")
        }
        rows.append(
          [
            TerminalText.escaped(entry.module), TerminalText.escaped(entry.site ?? "all"), String(entry.trained),
            "\(share(entry.trainedBefore)) → \(share(entry.trainedAfter))",
            "\(share(entry.comparisonBefore)) → \(share(entry.comparisonAfter))",
            estimate ?? TerminalText.escaped(entry.reason ?? "–"), entry.verdict,
          ])
      }
    }
    return aligned(rows)
  }

  /// The curricula section: per curriculum its rules, generated modules, hours against capacity
  /// per site, and each moderator's modules in order (`--limit` moderators).
  func curriculumText(_ section: CurriculumSection) -> String {
    var out = ""
    for curriculum in section.curricula {
      out += TerminalText.escaped("== \(curriculum.name) [\(curriculum.pack)/\(curriculum.id)] — curriculum ==") + "\n"
      if let error = curriculum.error {
        out += "FAILED: \(TerminalText.escaped(error))\n\n"
        continue
      }
      guard let schedule = curriculum.schedule else { continue }
      let generated = curriculum.modules.filter(\.generated).map(\.id)
      out += "\(ReadableNumbers.count(curriculum.moderators)) active moderators; week 1 is \(schedule.firstWeek); "
      out += "\(curriculum.policyAssignments) policy-change assignments; "
      out += curriculum.rules.map { "\($0.id): \($0.assignments)" }.joined(separator: ", ") + "\n"
      if !generated.isEmpty {
        out +=
          TerminalText.escaped("generated for policy labels no module covers: \(generated.joined(separator: ", "))")
          + "\n"
      }
      var sites = [["site", "moderators", "modules", "hours", "hours/week", "weeks", "after horizon"]]
      for site in schedule.sites {
        sites.append(
          [
            TerminalText.escaped(site.name), String(site.moderators), String(site.modules),
            formatDecimal(site.hoursNeeded, places: 1), site.hoursPerWeek.map { formatDecimal($0, places: 1) } ?? "–",
            site.weeksNeeded.map(String.init) ?? "never", String(site.beyondHorizon),
          ])
      }
      out += aligned(sites)
      let moderators = Array(Set(schedule.items.map(\.moderator))).sorted()
      let shown = rowLimit.map { Array(moderators.prefix($0)) } ?? moderators
      var rows = [["moderator", "site", "module", "hours", "weeks", "priority", "reason"]]
      for moderator in shown {
        for item in schedule.items where item.moderator == moderator {
          rows.append(
            [
              TerminalText.escaped(item.moderator), TerminalText.escaped(item.site), TerminalText.escaped(item.module),
              formatDecimal(item.hours, places: 1),
              item.startWeek.map { $0 == item.endWeek ? $0 : "\($0)–\(item.endWeek!)" } ?? "never",
              String(item.priority), TerminalText.escaped(item.reason),
            ])
        }
      }
      out += "\n" + aligned(rows)
      if shown.count < moderators.count {
        out += "… \(moderators.count - shown.count) more moderators (all rows: --format csv, json or html)\n"
      }
      if let effects = curriculum.effects { out += "\n" + effectText(effects) }
      out += "\n"
    }
    return out
  }
}
