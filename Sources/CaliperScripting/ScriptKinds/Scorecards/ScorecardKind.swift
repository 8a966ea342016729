import Foundation
import LuaKit

/// Scorecards as a pack script kind: `scorecards/*.lua`, each returning `caliper.scorecard{...}`.
enum ScorecardKind: PackScriptKind {
  static let folder = "scorecards"
  static let constructor = "scorecard"

  static func read(
    _ table: LuaTable, script: PackScript, pack: String, fallbackID: String, base: ScorecardDefinition?
  ) throws -> ScorecardDefinition {
    try ScorecardReader(pack: pack, file: script.file).read(table, fallbackID: fallbackID, base: base)
  }

  /// Inherited scorecards run over the selected pack's markets unless they filter markets.
  static func adopt(_ definition: inout ScorecardDefinition, by pack: Pack) {
    let markets = Set(pack.manifest.markets ?? [])
    if !markets.isEmpty, definition.filter.markets.isEmpty {
      definition.filter.markets = markets
      definition.namedValues.append(
        NamedValues(
          dimension: .market, names: markets.sorted(), location: "\(pack.manifest.name)/pack.lua: markets",
          fromManifest: true))
    }
    definition.pack = pack.manifest.name
  }

  /// Splits the scorecards into those this run's data can run and those that name values it
  /// does not know (reported failed, as a script that failed to load is); a pack manifest's
  /// unknown market fails the whole run.
  static func check(
    _ definitions: [ScorecardDefinition], against known: KnownValues
  ) throws -> (
    runnable: [ScorecardDefinition], failures: [LoadFailure]
  ) {
    var runnable: [ScorecardDefinition] = []
    var failures: [LoadFailure] = []
    for definition in definitions {
      let problem = definition.namedValues.lazy.compactMap { named in known.problem(named).map { (named, $0) } }.first
      guard let (named, error) = problem else {
        runnable.append(definition)
        continue
      }
      if named.fromManifest { throw error }
      failures.append(
        LoadFailure(
          pack: definition.pack, file: definition.file,
          id: URL(fileURLWithPath: definition.file).deletingPathExtension().lastPathComponent,
          message: error.description))
    }
    return (runnable, failures)
  }
}

extension ScorecardDefinition: PackDefinition {}
