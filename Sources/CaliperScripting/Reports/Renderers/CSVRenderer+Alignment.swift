extension CSVRenderer {
  /// The columns of an alignment run, in order.
  public static let alignmentColumns = [
    "script", "pack", "file", "status", "rule", "over", "rule_source", "subject", "passed", "findings", "error",
  ]

  /// One row per rule × object checked; a failed script gives one row with its error.
  static func alignmentCSV(_ section: AlignmentSection) -> String {
    var lines = [alignmentColumns.joined(separator: ",")]
    for script in section.scripts {
      let head = [script.id, script.pack, script.file, script.status.rawValue]
      if let error = script.error {
        lines.append((head + ["", "", "", "", "", "", error]).map(quote).joined(separator: ","))
        continue
      }
      for rule in script.rules {
        for check in rule.checks {
          let fields =
            head + [
              rule.id, rule.over.rawValue, rule.source, check.subject, check.passed ? "true" : "false",
              String(check.findings), "",
            ]
          lines.append(fields.map(quote).joined(separator: ","))
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
