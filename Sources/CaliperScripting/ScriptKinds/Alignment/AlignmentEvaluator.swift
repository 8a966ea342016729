import CaliperCore
import LuaKit

/// Runs one alignment script's rules on host 0: every rule's `check(object, params)` on every
/// object of its subject, inside one run under the engine's limits. A rule that errors, returns
/// something that is not a finding, or hits a limit fails this script only, with a message
/// naming pack, script, rule, object and the located Lua error; the other scripts still run.
struct AlignmentEvaluator {
  let host: ScriptHost
  let data: AlignmentData
  let limits: RunLimits

  /// The script's report, the findings it produced and, per rule, each object's findings.
  func report(_ definition: AlignmentDefinition) -> (report: AlignmentScriptReport, findings: [Finding]) {
    var report = AlignmentScriptReport(
      id: definition.id, name: definition.name, pack: definition.pack, file: definition.file, status: .ok,
      error: nil, rules: [])
    let outcome = host.state.run(limits: limits) { () throws -> ([AlignmentRuleRecord], [Finding]) in
      let params = try host.paramsView(definition.params)
      var records: [AlignmentRuleRecord] = []
      var all: [Finding] = []
      for rule in definition.rules {
        var record = AlignmentRuleRecord(
          id: rule.id, over: rule.over, description: rule.description, source: rule.source, checked: 0, failed: 0,
          checks: [])
        for (subject, object) in data.objects(rule.over, markets: definition.markets, regionWide: definition.regionWide)
        {
          let found = try host.findings.collect(pack: definition.pack, script: definition.id) {
            try check(rule, definition, subject: subject, object: object, params: params)
          }
          let findings = (found.value + found.findings).map { finding in
            var finding = finding
            finding.pack = definition.pack
            finding.scorecard = definition.id
            if finding.detector == "script" { finding.detector = rule.id }
            // A rule inherited from a base runs in the base's pack too: the report merges the two.
            if rule.source != definition.pack { finding.origin = rule.source }
            return finding
          }
          record.checked += 1
          if !findings.isEmpty { record.failed += 1 }
          record.checks.append(AlignmentCheck(subject: subject, passed: findings.isEmpty, findings: findings.count))
          all += findings
        }
        records.append(record)
      }
      return (records, all)
    }
    switch outcome.result {
    case .success(let (records, findings)):
      report.rules = records
      return (report, findings)
    case .failure(let error):
      report.status = .failed
      report.error =
        (error as? AlignmentFailure)?.message ?? "pack \(definition.pack), alignment \(definition.id): \(error)"
      return (report, [])
    }
  }

  /// Calls one rule on one object; what it returns becomes findings.
  private func check(
    _ rule: AlignmentRule, _ definition: AlignmentDefinition, subject: String, object: any LuaPushable,
    params: LuaTable
  ) throws -> [Finding] {
    let place =
      "pack \(definition.pack), alignment \(definition.id) (\(definition.file)), rule \(rule.id) on \(subject)"
    let values: [LuaValue]
    do { values = try rule.check.callReturningAll(AnyPushable(object), params) } catch let error as LuaError {
      if error.limit != nil { throw error }
      throw AlignmentFailure(message: "\(place): \(error)")
    }
    let severity = (rule.severity ?? .medium).rawValue
    let read = { (table: LuaTable) throws -> Finding in
      try FindingFunctions.readFinding(table, defaultSeverity: severity, defaultSubject: subject) {
        AlignmentFailure(message: "\(place): returned a bad finding: \($0)")
      }
    }
    switch values.first ?? .nil {
    case .nil: return []
    case .boolean(true): return []
    case .table(let table):
      let pairs = try table.pairs()
      // A table with named fields is one finding (read strictly); otherwise a list of them.
      if pairs.contains(where: { if case .integer = $0.key { false } else { true } }) { return [try read(table)] }
      let entries = pairs.compactMap { pair -> (Int64, LuaValue)? in
        if case .integer(let index) = pair.key { return (index, pair.value) }
        return nil
      }.sorted { $0.0 < $1.0 }.map(\.1)
      return try entries.map { entry in
        guard case .table(let item) = entry else {
          throw AlignmentFailure(message: "\(place): returned a list with a \(entry.typeName), not a finding table")
        }
        return try read(item)
      }
    case let other:
      throw AlignmentFailure(
        message: "\(place): returned a \(other.typeName); a check returns nothing, a finding or a list of findings")
    }
  }
}

/// A rule's failure, already located.
struct AlignmentFailure: Error {
  var message: String
}

/// Any pushable value, so that objects of different view types go through one call.
struct AnyPushable: LuaPushable {
  let value: any LuaPushable
  init(_ value: any LuaPushable) { self.value = value }
  func push(onto stack: LuaStack) throws { try value.push(onto: stack) }
}
