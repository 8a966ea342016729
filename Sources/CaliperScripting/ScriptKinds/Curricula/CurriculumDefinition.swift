import CaliperCore
import LuaKit

/// One rule of a curriculum: called with each moderator's profile, returns assignments.
struct CurriculumRule {
  /// Unique within its curriculum.
  var id: String
  /// `check(profile, params)` → a list of `{ module, priority, reason }` (or nil).
  var check: LuaFunction
  /// What it looks for, for people.
  var description: String?
  /// The pack that wrote (or last changed) it.
  var source: String
}

/// What `caliper.curriculum{...}` declares.
struct CurriculumDefinition: PackDefinition {
  var id: String
  var name: String
  var pack: String
  /// The file, relative to its pack.
  var file: String
  /// Declared modules (refreshers are added per run, from the policy labels).
  var modules: [TrainingModule]
  var rules: [CurriculumRule]
  var capacity: TrainingCapacity
  /// Hours of a generated refresher module.
  var defaultHours: Double
  /// Weeks the schedule should finish within.
  var horizonWeeks: Int
  /// Values rules read from their second argument.
  var params: [String: LuaValue]
  /// The selected pack's markets (empty: every market).
  var markets: Set<String> = []
  /// Whether the pack extends none: it schedules the moderators of markets that no selected
  /// market pack running the same curriculum claims.
  var regionWide = true
}

/// Reads a curriculum table returned by a script.
struct CurriculumReader: DeclarationReading {
  let pack: String
  let file: String

  func read(_ table: LuaTable, fallbackID: String, base: CurriculumDefinition?) throws -> CurriculumDefinition {
    let id = try get(table, "id", "", as: String.self) ?? base?.id ?? fallbackID
    let name = try get(table, "name", "", as: String.self) ?? base?.name ?? id
    let modules = try merged(table, "modules", into: base?.modules ?? [], id: \.id, noun: "module") {
      entry, moduleID, path, inherited in try readModule(entry, id: moduleID, path: path, inherited: inherited)
    }
    guard !modules.isEmpty else { throw fail("modules", "a curriculum needs at least one module") }

    let rules = try merged(table, "rules", into: base?.rules ?? [], id: \.id, noun: "rule") {
      ruleTable, ruleID, path, inherited in
      guard let check = try get(ruleTable, "check", path, as: LuaFunction.self) ?? inherited?.check else {
        throw fail("\(path).check", "required: a function(profile, params)")
      }
      return CurriculumRule(
        id: ruleID, check: check,
        description: try get(ruleTable, "description", path, as: String.self) ?? inherited?.description,
        source: pack)
    }

    var capacity = base?.capacity ?? TrainingCapacity(hoursPerWeek: 4)
    if let capacityTable = try get(table, "capacity", "", as: LuaTable.self) {
      if let hours = try get(capacityTable, "hours_per_week", "capacity", as: Double.self) {
        guard hours.isFinite, hours > 0, hours <= 168 else {
          throw fail("capacity.hours_per_week", "must lie in (0, 168] (got \(hours))")
        }
        capacity.hoursPerWeek = hours
      }
      if let sites = try get(capacityTable, "site_hours_per_week", "capacity", as: LuaTable.self) {
        for (key, value) in try sites.pairs() {
          guard case .string(let site) = key else {
            throw fail("capacity.site_hours_per_week", "keys must be site names")
          }
          let hours: Double
          switch value {
          case .integer(let whole): hours = Double(whole)
          case .number(let number): hours = number
          default: throw fail("capacity.site_hours_per_week.\(site)", "must be a number (got \(value.typeName))")
          }
          guard hours.isFinite, hours > 0 else {
            throw fail("capacity.site_hours_per_week.\(site)", "must be a positive number (got \(hours))")
          }
          if site == "default" {
            capacity.defaultSiteHoursPerWeek = hours
          } else {
            capacity.siteHoursPerWeek[site] = hours
          }
        }
      }
    }
    let defaultHours = try get(table, "default_hours", "", as: Double.self) ?? base?.defaultHours ?? 1
    guard defaultHours.isFinite, defaultHours > 0, defaultHours <= 1_000 else {
      throw fail("default_hours", "must lie in (0, 1000] (got \(defaultHours))")
    }
    let horizon = try get(table, "horizon_weeks", "", as: Int.self) ?? base?.horizonWeeks ?? 12
    guard (1...520).contains(horizon) else { throw fail("horizon_weeks", "must lie in 1...520 (got \(horizon))") }
    let params = try params(table, base: base?.params ?? [:])
    let definition = CurriculumDefinition(
      id: id, name: name, pack: pack, file: file, modules: modules, rules: rules, capacity: capacity,
      defaultHours: defaultHours, horizonWeeks: horizon, params: params)
    // Unknown prerequisites and cycles among the declared modules are the author's to fix now.
    do { _ = try ModuleCatalog(declared: modules, policyLabels: [], defaultHours: defaultHours) } catch {
      throw fail("modules", "\(error)")
    }
    return definition
  }

  private func readModule(
    _ table: LuaTable, id: String, path: String, inherited: TrainingModule?
  ) throws
    -> TrainingModule
  {
    let title = try get(table, "title", path, as: String.self) ?? inherited?.title ?? id
    func absent(_ key: String) throws -> Bool {
      if case .nil = try table.get(key, as: LuaValue.self) { return true }
      return false
    }
    let covers = try absent("covers") ? inherited?.covers ?? [] : try strings(table, "covers", path)
    let requires = try absent("requires") ? inherited?.requires ?? [] : try strings(table, "requires", path)
    guard let hours = try get(table, "hours", path, as: Double.self) ?? inherited?.hours else {
      throw fail("\(path).hours", "required: the hours the module takes")
    }
    guard hours.isFinite, hours > 0, hours <= 1_000 else {
      throw fail("\(path).hours", "must lie in (0, 1000] (got \(hours))")
    }
    let expires = try get(table, "expires_days", path, as: Int.self) ?? inherited?.expiresDays
    if let expires, expires <= 0 { throw fail("\(path).expires_days", "must be positive (got \(expires))") }
    let skill = try get(table, "skill", path, as: String.self) ?? inherited?.skill
    let policy = try get(table, "teaches_policy", path, as: String.self) ?? inherited?.teachesPolicy
    guard !covers.isEmpty || skill != nil || policy != nil else {
      throw fail(path, "a module covers labels (covers), a skill (skill) or a policy version (teaches_policy)")
    }
    return TrainingModule(
      id: id, title: title, covers: covers, skill: skill, requires: requires, hours: hours, expiresDays: expires,
      teachesPolicy: policy)
  }
}

/// Curricula as a pack script kind: `curricula/*.lua`, each returning `caliper.curriculum{...}`.
enum CurriculumKind: PackScriptKind {
  static let folder = "curricula"
  static let constructor = "curriculum"

  static func read(
    _ table: LuaTable, script: PackScript, pack: String, fallbackID: String, base: CurriculumDefinition?
  ) throws -> CurriculumDefinition {
    try CurriculumReader(pack: pack, file: script.file).read(table, fallbackID: fallbackID, base: base)
  }

  static func adopt(_ definition: inout CurriculumDefinition, by pack: Pack) {
    definition.pack = pack.manifest.name
    definition.markets = Set(pack.manifest.markets ?? [])
    definition.regionWide = pack.manifest.extends == nil
  }
}
