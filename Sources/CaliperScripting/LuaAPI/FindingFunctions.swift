import CaliperCore
import LuaKit

/// `caliper.finding{...}`: any script kind reports a problem into the state's ``FindingLog``.
enum FindingFunctions {
  static func add(to module: LuaTable, in state: LuaState, log: FindingLog) throws {
    try module.set(
      "finding",
      try state.function(named: "finding") { call in
        let table = try call.argument(1, as: LuaTable.self)
        try log.emit(try readFinding(table) { call.error($0) })
        return 0
      })
  }

  /// Reads a finding table; `error` makes the error for a bad field (a Lua argument error when
  /// a script calls `caliper.finding`, a rule's failure when a rule returns the table).
  static func readFinding(
    _ table: LuaTable, defaultSeverity: String = "medium", defaultSubject: String? = nil, error: (String) -> any Error
  ) throws
    -> Finding
  {
    let severityText = try table.get("severity", as: String?.self) ?? defaultSeverity
    guard let severity = Finding.Severity(rawValue: severityText) else {
      let known = Finding.Severity.allCases.map(\.rawValue).joined(separator: ", ")
      throw error("finding: severity must be one of \(known) (got \"\(severityText)\")")
    }
    guard let subject = try table.get("subject", as: String?.self) ?? defaultSubject else {
      throw error("finding: subject is required")
    }
    guard let message = try table.get("message", as: String?.self) else {
      throw error("finding: message is required")
    }
    var evidence: [String: EvidenceValue] = [:]
    if let evidenceTable = try table.get("evidence", as: LuaTable?.self) {
      for (key, value) in try evidenceTable.pairs() {
        guard case .string(let name) = key else { throw error("finding: evidence keys must be strings") }
        switch value {
        case .integer(let number): evidence[name] = .number(Double(number))
        case .number(let number) where number.isFinite: evidence[name] = .number(number)
        case .string(let text): evidence[name] = .text(text)
        case .boolean(let flag): evidence[name] = .text(flag ? "true" : "false")
        default: throw error("finding: evidence '\(name)' must be a finite number, a string or a boolean")
        }
      }
    }
    return Finding(
      severity: severity, subject: subject, kpi: try table.get("kpi", as: String?.self),
      period: try table.get("period", as: String?.self), message: message, evidence: evidence,
      detector: try table.get("detector", as: String?.self) ?? "script")
  }
}
