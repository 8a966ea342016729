import LuaKit

/// Scorecards as a pack script kind: `scorecards/*.lua`, each returning `caliper.scorecard{...}`.
enum ScorecardKind: PackScriptKind {
  static let folder = "scorecards"
  static let constructor = "scorecard"

  static func read(
    _ table: LuaTable, script: PackScript, pack: String, fallbackID: String, base: ScorecardDefinition?,
    known: KnownValues
  ) throws -> ScorecardDefinition {
    try ScorecardReader(pack: pack, file: script.file, knownValues: known).read(
      table, fallbackID: fallbackID, base: base)
  }

  /// Inherited scorecards run over the selected pack's markets unless they filter markets.
  static func adopt(_ definition: inout ScorecardDefinition, by pack: Pack, known: KnownValues) throws {
    let markets = Set(pack.manifest.markets ?? [])
    if !markets.isEmpty, definition.filter.markets.isEmpty {
      definition.filter.markets = Set(
        try known.check(markets.sorted(), .market) { path, problem in
          PackError(location: "\(pack.manifest.name)/pack.lua: markets", problem: problem + " (\(path))")
        })
    }
    definition.pack = pack.manifest.name
  }
}

extension ScorecardDefinition: PackDefinition {}
