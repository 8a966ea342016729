import CaliperCore
import Foundation

/// A Markdown reference of packs as the engine loads them: each selected pack's scorecards (KPIs
/// with weights, targets and direction, bands, filters, measures), alignment scripts (rules and
/// what they run over) and curricula (modules, prerequisites, rules, capacity), inherited ones
/// included and marked. Written by `caliper docs` and `swift package caliper-docs`, so liaisons and
/// analysts read what a pack does without reading its Lua.
public enum PackDocumentation {
  /// One page per selected pack, keyed by pack name. Packs that do not load are an error; a
  /// script that fails to load is listed on its pack's page with its error.
  public static func pages(packs roots: [URL]) throws -> [String: String] {
    let packs = try PackSet(roots: roots)
    let host = try ScriptHost(packs: packs, memoryLimit: 512 << 20)
    var pages: [String: String] = [:]
    for pack in packs.selected {
      let name = pack.manifest.name
      var page = Page()
      page.heading(1, "Pack `\(name)` \(pack.manifest.version)")
      if let description = pack.manifest.description { page.line(description) }
      var facts: [String] = []
      if let base = pack.manifest.extends { facts.append("extends `\(base)`") }
      if let markets = pack.manifest.markets, !markets.isEmpty {
        facts.append("markets \(markets.joined(separator: ", "))")
      }
      facts.append("content hash `\(pack.contentHash.prefix(12))`")
      page.line(facts.joined(separator: "; ") + ".")
      scorecards(host.scorecards.filter { $0.pack == name }, of: name, into: &page)
      alignment(host.alignments.filter { $0.pack == name }, of: name, into: &page)
      curricula(host.curriculumDefinitions.filter { $0.pack == name }, of: name, into: &page)
      let failures = host.loadFailures.filter { $0.pack == name }
      if !failures.isEmpty {
        page.heading(2, "Scripts that do not load")
        for failure in failures { page.line("- `\(failure.file)`: \(failure.message)") }
      }
      pages[name] = page.text
    }
    return pages
  }

  private static func origin(_ source: String, of pack: String) -> String {
    source == pack ? "" : " (from `\(source)`)"
  }

  private static func number(_ value: Double?) -> String {
    guard let value else { return "–" }
    return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }

  private static func scorecards(_ cards: [ScorecardDefinition], of pack: String, into page: inout Page) {
    guard !cards.isEmpty else { return }
    page.heading(2, "Scorecards")
    for card in cards {
      page.heading(3, "\(card.name) (`\(card.id)`)")
      var facts = [
        "by \(card.grain.rawValue) and \(card.period.rawValue)", "at least \(card.minN) per value", "`\(card.file)`",
      ]
      let filter = card.filter
      for (label, values) in [
        ("markets", filter.markets), ("queues", filter.queues), ("vendors", filter.vendors), ("sites", filter.sites),
        ("lines of business", filter.linesOfBusiness),
      ] where !values.isEmpty {
        facts.append("\(label) \(values.sorted().joined(separator: ", "))")
      }
      page.line(facts.joined(separator: "; ") + ".")
      page.table(
        ["KPI", "label", "weight", "target", "better", "format", "min n"],
        card.kpis.map { kpi in
          [
            "`\(kpi.id)`\(origin(kpi.source, of: pack))", kpi.label, number(kpi.weight), number(kpi.target),
            kpi.better.rawValue, kpi.format.rawValue, kpi.minN.map(String.init) ?? String(card.minN),
          ]
        })
      if !card.bands.isEmpty {
        page.line(
          "Bands: "
            + card.bands.map { band in band.min.map { "\(band.label) from \(number($0))" } ?? "\(band.label) below" }
            .joined(separator: ", ") + ".")
      }
      if !card.measures.isEmpty {
        page.line(
          "Row measures: " + card.measures.map { "`\($0.id)` (\($0.reduce.rawValue))" }.joined(separator: ", ") + ".")
      }
      if !card.findings.isEmpty {
        page.line("Findings hooks from: " + card.findings.map { "`\($0.pack)`" }.joined(separator: ", ") + ".")
      }
    }
  }

  private static func alignment(_ scripts: [AlignmentDefinition], of pack: String, into page: inout Page) {
    guard !scripts.isEmpty else { return }
    page.heading(2, "Alignment rules")
    for script in scripts {
      page.heading(3, "\(script.name) (`\(script.id)`)")
      if let description = script.description { page.line(description) }
      page.line(
        "`\(script.file)`"
          + (script.params.isEmpty
            ? "" : "; parameters " + script.params.keys.sorted().map { "`\($0)`" }.joined(separator: ", ")) + ".")
      page.table(
        ["rule", "over", "severity", "what it checks"],
        script.rules.map { rule in
          [
            "`\(rule.id)`\(origin(rule.source, of: pack))", rule.over.rawValue, rule.severity?.rawValue ?? "–",
            rule.description ?? "–",
          ]
        })
    }
  }

  private static func curricula(_ curricula: [CurriculumDefinition], of pack: String, into page: inout Page) {
    guard !curricula.isEmpty else { return }
    page.heading(2, "Curricula")
    for curriculum in curricula {
      page.heading(3, "\(curriculum.name) (`\(curriculum.id)`)")
      page.line(
        "`\(curriculum.file)`; \(number(curriculum.capacity.hoursPerWeek)) hours a week per moderator; a horizon of \(curriculum.horizonWeeks) weeks."
      )
      page.table(
        ["module", "title", "covers", "requires", "hours", "expires (days)"],
        curriculum.modules.map { module in
          [
            "`\(module.id)`", module.title,
            (module.covers + (module.skill.map { ["skill \($0)"] } ?? [])
              + (module.teachesPolicy.map { ["policy \($0)"] } ?? []))
              .joined(separator: ", "),
            module.requires.joined(separator: ", "), number(module.hours), module.expiresDays.map(String.init) ?? "–",
          ]
        })
      page.table(
        ["rule", "what it assigns"],
        curriculum.rules.map { ["`\($0.id)`\(origin($0.source, of: pack))", $0.description ?? "–"] })
    }
  }

  /// Markdown text built line by line.
  private struct Page {
    var text = ""

    mutating func heading(_ level: Int, _ title: String) {
      if !text.isEmpty, !text.hasSuffix("\n\n") { text += "\n" }
      text += String(repeating: "#", count: level) + " " + title + "\n\n"
    }

    mutating func line(_ line: String) { text += line + "\n\n" }

    mutating func table(_ header: [String], _ rows: [[String]]) {
      guard !rows.isEmpty else { return }
      let escape = { (cell: String) in
        cell.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
      }
      text += "| " + header.joined(separator: " | ") + " |\n"
      text += "|" + String(repeating: " --- |", count: header.count) + "\n"
      for row in rows { text += "| " + row.map(escape).joined(separator: " | ") + " |\n" }
      text += "\n"
    }
  }
}
