import CaliperCore

extension HTMLRenderer {
  /// Training effect per module and site: difference in differences with its interval.
  static func effectTable(_ effects: [ModuleEffect]) -> String {
    func share(_ metric: Metric) -> String { metric.value.map(ReadableNumbers.percent) ?? "–" }
    var html = "<h3>Training effect (accuracy on the module's labels, difference in differences)</h3>"
    html += "<div class=\"scroll\"><table><thead><tr><th>module</th><th>site</th><th>trained</th>"
    html += "<th>trained before → after</th><th>comparison before → after</th><th>effect (95% interval)</th>"
    html += "<th>verdict</th></tr></thead><tbody>"
    for effect in effects {
      for entry in [effect] + (effect.sites ?? []) {
        let estimate =
          entry.estimate.map { value in
            "\(formatDecimal(value * 100, places: 1)) pts"
              + (entry.lo.map {
                " [\(formatDecimal($0 * 100, places: 1)), \(formatDecimal(entry.hi! * 100, places: 1))]"
              } ?? "")
          } ?? (entry.reason ?? "–")
        html += "<tr><td>\(escape(entry.module))</td><td>\(escape(entry.site ?? "all"))</td><td>\(entry.trained)</td>"
        html += "<td>\(share(entry.trainedBefore)) → \(share(entry.trainedAfter))</td>"
        html += "<td>\(share(entry.comparisonBefore)) → \(share(entry.comparisonAfter))</td>"
        html += "<td>\(escape(estimate))</td><td>\(escape(entry.verdict))</td></tr>"
      }
    }
    return html + "</tbody></table></div>"
  }

  /// The curricula: per curriculum its modules (generated ones marked), hours against capacity
  /// per site, and every moderator's schedule.
  static func curriculumSections(_ section: CurriculumSection) -> String {
    var html = ""
    for curriculum in section.curricula {
      html += "<section class=\"card\" id=\"curriculum-\(slug(curriculum.pack, curriculum.id))\">"
      html +=
        "<h2>\(escape(curriculum.name))</h2><p class=\"meta\">\(escape(curriculum.pack))/\(escape(curriculum.file))"
      html += " · curriculum · as of \(escape(section.asOf))</p>"
      if let error = curriculum.error {
        html += "<p class=\"failed\">Failed: \(escape(error))</p></section>\n"
        continue
      }
      guard let schedule = curriculum.schedule else { continue }
      html += "<p>\(ReadableNumbers.count(curriculum.moderators)) active moderators · week 1 is "
      html += "\(escape(schedule.firstWeek)) · horizon \(schedule.horizonWeeks) weeks · "
      html += "\(curriculum.policyAssignments) policy-change assignments · "
      html += curriculum.rules.map { "\(escape($0.id)): \($0.assignments)" }.joined(separator: " · ") + "</p>"
      html += "<h3>Modules</h3><div class=\"scroll\"><table><thead><tr><th>module</th><th>title</th><th>covers</th>"
      html += "<th>requires</th><th>hours</th><th>expires</th></tr></thead><tbody>"
      for module in curriculum.modules {
        html +=
          "<tr><td>\(escape(module.id))\(module.generated ? " <span class=\"partial\">generated</span>" : "")</td>"
        html += "<td>\(escape(module.title))</td>"
        html +=
          "<td>\(escape((module.covers + [module.skill, module.teachesPolicy.map { "policy " + $0 }].compactMap { $0 }).joined(separator: ", ")))</td>"
        html +=
          "<td>\(escape(module.requires.joined(separator: ", ")))</td><td>\(formatDecimal(module.hours, places: 1))</td>"
        html += "<td>\(module.expiresDays.map { "\($0) days" } ?? "–")</td></tr>"
      }
      html += "</tbody></table></div><h3>Hours against capacity, by site</h3><div class=\"scroll\"><table><thead><tr>"
      html += "<th>site</th><th>moderators</th><th>modules</th><th>hours</th><th>hours/week</th><th>weeks</th>"
      html += "<th>after horizon</th></tr></thead><tbody>"
      for site in schedule.sites {
        html += "<tr><td>\(escape(site.name))</td><td>\(site.moderators)</td><td>\(site.modules)</td>"
        html += "<td>\(formatDecimal(site.hoursNeeded, places: 1))</td>"
        html += "<td>\(site.hoursPerWeek.map { formatDecimal($0, places: 1) } ?? "–")</td>"
        html += "<td>\(site.weeksNeeded.map(String.init) ?? "never")</td>"
        html += "<td class=\"\(site.beyondHorizon > 0 ? "failed" : "")\">\(site.beyondHorizon)</td></tr>"
      }
      html += "</tbody></table></div><h3>Schedule</h3><div class=\"scroll\"><table><thead><tr><th>moderator</th>"
      html +=
        "<th>site</th><th>module</th><th>hours</th><th>weeks</th><th>priority</th><th>reason</th></tr></thead><tbody>"
      for item in schedule.items {
        let weeks = item.startWeek.map { $0 == item.endWeek ? $0 : "\($0)–\(item.endWeek!)" } ?? "never"
        html += "<tr><td>\(escape(item.moderator))</td><td>\(escape(item.site))</td><td>\(escape(item.module))</td>"
        html += "<td>\(formatDecimal(item.hours, places: 1))</td><td>\(escape(weeks))</td><td>\(item.priority)</td>"
        html += "<td>\(escape(item.reason))</td></tr>"
      }
      html += "</tbody></table></div>"
      if let effects = curriculum.effects { html += effectTable(effects) }
      html += "</section>\n"
    }
    return html
  }
}
