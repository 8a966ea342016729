import CaliperCore
import LuaKit

/// What rules of an alignment script look at: each value names a kind of object the run
/// builds from the data, and a rule's `check` is called once per object.
public enum AlignmentSubject: String, Sendable, Codable, CaseIterable {
  /// Calibration sessions (`calibration.csv`).
  case sessions
  /// Vendors, pooled over the whole period: QA measurement alignment.
  case vendors
  /// Sites, pooled over the whole period.
  case sites
  /// Markets, pooled over the whole period.
  case markets
  /// QA auditors compared with internal reference audits, by week.
  case auditors
  /// Queues going live after the as-of date, within the horizon.
  case queues
  /// Red-team comparisons of consecutive model versions per technique (and market).
  case redteam
  /// Vendors' self-reported figures (`vendor_reports.csv`) beside Caliper's measurement.
  case reports
  /// Policy changes (`policies.csv`): accuracy around each, training before it, early uses.
  case policies
  /// Policy labels across markets: accuracy and calibration per market, and whether markets
  /// differ.
  case labels
}

/// One rule: a check run on every object of one subject.
struct AlignmentRule {
  /// Unique within its script.
  var id: String
  /// What it looks at.
  var over: AlignmentSubject
  /// Called with each object and the script's parameters.
  var check: LuaFunction
  /// Severity of findings the rule returns without one.
  var severity: Finding.Severity?
  /// What it checks, for people.
  var description: String?
  /// The pack that wrote (or last changed) it.
  var source: String
}

/// What `caliper.alignment{...}` declares.
struct AlignmentDefinition: PackDefinition {
  var id: String
  var name: String
  var pack: String
  /// The file, relative to its pack.
  var file: String
  var description: String?
  /// Thresholds and other values rules read from their second argument; a market pack's
  /// script with `base = "id"` changes them key by key.
  var params: [String: LuaValue]
  var rules: [AlignmentRule]
  /// The markets of the selected pack that runs it (empty: every market): sessions, sites,
  /// markets, queues and red-team results of other markets are not its business.
  var markets: Set<String> = []
  /// Whether it also checks objects that belong to no one market (auditors, red-team results
  /// pooled over markets): true in a pack that extends no other, so a market pack does not
  /// repeat its base's region-wide findings.
  var regionWide = true
}

/// Reads an alignment table returned by a script.
struct AlignmentReader: DeclarationReading {
  let pack: String
  let file: String

  func read(_ table: LuaTable, fallbackID: String, base: AlignmentDefinition?) throws -> AlignmentDefinition {
    let id = try get(table, "id", "", as: String.self) ?? base?.id ?? fallbackID
    let name = try get(table, "name", "", as: String.self) ?? base?.name ?? id
    let description = try get(table, "description", "", as: String.self) ?? base?.description
    let params = try params(table, base: base?.params ?? [:])
    let rules = try merged(table, "rules", into: base?.rules ?? [], id: \.id, noun: "rule") {
      ruleTable, ruleID, path, inherited in
      let over = try choice(ruleTable, "over", AlignmentSubject.self, path: path) ?? inherited?.over
      guard let over else {
        throw fail(
          "\(path).over", "required: one of \(AlignmentSubject.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      guard let check = try get(ruleTable, "check", path, as: LuaFunction.self) ?? inherited?.check else {
        throw fail("\(path).check", "required: a function(object, params)")
      }
      let severity = try choice(ruleTable, "severity", Finding.Severity.self, path: path) ?? inherited?.severity
      return AlignmentRule(
        id: ruleID, over: over, check: check, severity: severity,
        description: try get(ruleTable, "description", path, as: String.self) ?? inherited?.description,
        source: pack)
    }
    guard !rules.isEmpty else { throw fail("rules", "an alignment script needs at least one rule") }
    return AlignmentDefinition(
      id: id, name: name, pack: pack, file: file, description: description, params: params, rules: rules)
  }
}

/// Alignment rules as a pack script kind: `alignment/*.lua`, each returning
/// `caliper.alignment{...}`.
enum AlignmentKind: PackScriptKind {
  static let folder = "alignment"
  static let constructor = "alignment"

  static func read(
    _ table: LuaTable, script: PackScript, pack: String, fallbackID: String, base: AlignmentDefinition?
  ) throws -> AlignmentDefinition {
    try AlignmentReader(pack: pack, file: script.file).read(table, fallbackID: fallbackID, base: base)
  }

  static func adopt(_ definition: inout AlignmentDefinition, by pack: Pack) {
    definition.pack = pack.manifest.name
    definition.markets = Set(pack.manifest.markets ?? [])
    definition.regionWide = pack.manifest.extends == nil
  }
}
