import CaliperCore
import LuaKit

/// What a curriculum run knows besides the scripts: every moderator's profile, the policy
/// changes and who they affect, and the training history.
struct CurriculumData {
  var profiles: [ModeratorProfile]
  var policyChanges: [PolicyChange]
  /// Markets whose decisions use each label.
  var labelMarkets: [String: Set<String>]
  var policyLabels: [String]
  var training: [TrainingRecord]
  var asOf: CalendarDate
  /// Markets some selected market pack claims, per curriculum id (their moderators are that
  /// pack's to schedule, not the region's).
  var claimedMarkets: [String: Set<String>]
  /// Per moderator and ISO week, when the run measures training effect.
  var weekly: [GroupKey: GroupAggregate]?
  /// The seed of the effect's bootstrap.
  var seed: UInt64
}

/// Runs one curriculum on host 0: policy-change training first, then every rule on every
/// moderator in its scope, then the schedule. A rule that fails (or returns a bad assignment)
/// fails this curriculum only, naming pack, curriculum, rule, moderator and the Lua error.
struct CurriculumEvaluator {
  let host: ScriptHost
  let data: CurriculumData
  let limits: RunLimits

  func report(_ definition: CurriculumDefinition) -> (report: CurriculumReport, findings: [Finding]) {
    var report = CurriculumReport(
      id: definition.id, name: definition.name, pack: definition.pack, file: definition.file, status: .ok)
    do {
      let catalog = try ModuleCatalog(
        declared: definition.modules, policyLabels: data.policyLabels, defaultHours: definition.defaultHours)
      report.modules = catalog.modules
      let scope = data.profiles.filter { inScope($0.moderator, definition) && $0.moderator.status == .active }
      report.moderators = scope.count
      var assignments = policyAssignments(scope, catalog: catalog)
      var counts = [TrainingAssignment.policyChangeRule: assignments.count]
      let outcome = host.state.run(limits: limits) { () throws -> [TrainingAssignment] in
        host.curricula.catalog = catalog
        defer { host.curricula.catalog = nil }
        let params = try host.paramsView(definition.params)
        var found: [TrainingAssignment] = []
        for profile in scope {
          let view = ModeratorProfileView(profile: profile, catalog: catalog, asOf: data.asOf)
          for rule in definition.rules {
            found += try check(rule, definition, view: view, params: params, catalog: catalog)
          }
        }
        return found
      }
      let ruled = try outcome.get()
      for rule in definition.rules { counts[rule.id] = ruled.filter { $0.rule == rule.id }.count }
      assignments += ruled
      report.rules = definition.rules.map {
        CurriculumRuleRecord(id: $0.id, source: $0.source, description: $0.description, assignments: counts[$0.id] ?? 0)
      }
      report.policyAssignments = counts[TrainingAssignment.policyChangeRule] ?? 0
      let schedule = try CurriculumScheduler(
        catalog: catalog, capacity: definition.capacity, asOf: data.asOf, horizonWeeks: definition.horizonWeeks
      ).schedule(
        assignments,
        moderators: Dictionary(uniqueKeysWithValues: scope.map { ($0.moderator.moderatorID, $0.moderator) }),
        training: data.training)
      report.schedule = schedule
      if let weekly = data.weekly {
        let people = Dictionary(uniqueKeysWithValues: data.profiles.map { ($0.moderator.moderatorID, $0.moderator) })
        let inScope = Set(scope.map(\.moderator.moderatorID))
        report.effects = TrainingEffect(seed: data.seed).estimate(
          modules: catalog.modules, training: data.training.filter { inScope.contains($0.moderatorID) },
          moderators: people, weekly: weekly)
      }
      return (report, capacityFindings(schedule, definition))
    } catch {
      report.status = .failed
      report.error =
        (error as? CurriculumFailure)?.message ?? "pack \(definition.pack), curriculum \(definition.id): \(error)"
      return (report, [])
    }
  }

  /// Market packs schedule their markets' moderators; a pack that extends none schedules the
  /// rest (the markets no selected market pack running the same curriculum claims).
  private func inScope(_ moderator: Moderator, _ definition: CurriculumDefinition) -> Bool {
    if !definition.markets.isEmpty && !definition.markets.contains(moderator.market) { return false }
    if definition.regionWide, data.claimedMarkets[definition.id]?.contains(moderator.market) == true { return false }
    return true
  }

  /// For each policy version a module teaches, the affected moderators not trained by the
  /// day it took effect: assigned it first (priority 0).
  private func policyAssignments(_ scope: [ModeratorProfile], catalog: ModuleCatalog) -> [TrainingAssignment] {
    var assignments: [TrainingAssignment] = []
    for change in data.policyChanges where change.previous != nil {
      let version = change.current.policyVersion
      let teaching = catalog.modules.filter {
        $0.teachesPolicy == version || $0.teachesPolicy == "\(change.label)@\(version)"
      }
      guard let module = teaching.first else { continue }
      let markets = data.labelMarkets[change.label] ?? []
      for profile in scope where markets.contains(profile.moderator.market) {
        let trained = profile.training.contains { record in
          teaching.contains { $0.id == record.moduleID }
            && (record.completedAt.map { $0.date <= change.effectiveFrom } ?? false)
        }
        guard !trained else { continue }
        assignments.append(
          TrainingAssignment(
            moderator: profile.moderator.moderatorID, module: module.id, priority: 0,
            reason: "\(change.label) moves to policy \(version) on \(change.effectiveFrom); not trained by then",
            rule: TrainingAssignment.policyChangeRule))
      }
    }
    return assignments
  }

  /// Calls one rule on one moderator; what it returns becomes assignments.
  private func check(
    _ rule: CurriculumRule, _ definition: CurriculumDefinition, view: ModeratorProfileView, params: LuaTable,
    catalog: ModuleCatalog
  ) throws -> [TrainingAssignment] {
    let moderator = view.profile.moderator.moderatorID
    let place =
      "pack \(definition.pack), curriculum \(definition.id) (\(definition.file)), rule \(rule.id) on \(moderator)"
    let values: [LuaValue]
    do { values = try rule.check.callReturningAll(LuaObject(view), params) } catch let error as LuaError {
      if error.limit != nil { throw error }
      throw CurriculumFailure(message: "\(place): \(error)")
    }
    func fail(_ problem: String) -> CurriculumFailure { CurriculumFailure(message: "\(place): \(problem)") }
    guard case .table(let list) = values.first ?? .nil else {
      if case .nil = values.first ?? .nil { return [] }
      throw fail("returned a \((values.first ?? .nil).typeName), not a list of assignments")
    }
    var assignments: [TrainingAssignment] = []
    for (key, entry) in try list.pairs().sorted(by: { "\($0.key)" < "\($1.key)" }) {
      guard case .table(let item) = entry else { throw fail("entry \(key) is a \(entry.typeName), not a table") }
      guard let module = try item.get("module", as: String?.self) else {
        throw fail("entry \(key) names no module (caliper.module_for gives nil for a label no policy defines)")
      }
      guard catalog[module] != nil else { throw fail("entry \(key): no module '\(module)' in the curriculum") }
      let priority = try item.get("priority", as: Int?.self) ?? 1
      guard (1...100).contains(priority) else {
        throw fail("entry \(key): priority must lie in 1...100 (got \(priority))")
      }
      assignments.append(
        TrainingAssignment(
          moderator: moderator, module: module, priority: priority,
          reason: try item.get("reason", as: String?.self) ?? rule.description ?? rule.id, rule: rule.id))
    }
    return assignments
  }

  /// A site whose modules do not all end within the horizon is a finding.
  private func capacityFindings(_ schedule: TrainingSchedule, _ definition: CurriculumDefinition) -> [Finding] {
    schedule.sites.filter { $0.beyondHorizon > 0 }.map { site in
      let weekly = site.hoursPerWeek.map { "at \(formatDecimal($0, places: 1)) h a week" } ?? "at the moderators' hours"
      let end = site.weeksNeeded.map { "the last module ends in week \($0)" } ?? "some modules never fit"
      return Finding(
        severity: .medium, subject: site.name, kpi: "training_capacity",
        message:
          "\(site.name) needs \(formatDecimal(site.hoursNeeded, places: 1)) training hours (\(ReadableNumbers.count(site.modules)) modules, "
          + "\(site.moderators) moderators): \(weekly) \(end), \(site.beyondHorizon) after the \(definition.horizonWeeks)-week horizon",
        evidence: [
          "hours_needed": .number(site.hoursNeeded), "modules": .number(Double(site.modules)),
          "beyond_horizon": .number(Double(site.beyondHorizon)),
        ], detector: "capacity", pack: definition.pack, scorecard: definition.id)
    }
  }
}

/// A curriculum that could not be run, and why.
struct CurriculumFailure: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
