import LuaKit

/// A definition that a pack script declares: named by an id unique within its kind, and run on
/// behalf of one selected pack.
protocol PackDefinition {
  /// The id, unique among the definitions of its kind that one pack runs.
  var id: String { get }
  /// The selected pack that runs it (inherited definitions take their heir's name).
  var pack: String { get set }
}

/// A kind of script that packs keep in a folder of their own: scorecards, alignment rules and
/// curricula. A kind says where its scripts live, what they return
/// and how a returned table becomes a definition; ``DefinitionLoader`` does the rest the same
/// way for every kind (lineage base first, `base = "id"` to change an inherited definition,
/// one failing file reported without hiding the others).
protocol PackScriptKind {
  /// What one script declares.
  associatedtype Definition: PackDefinition

  /// The folder of a pack that holds this kind's scripts (`scorecards`).
  static var folder: String { get }
  /// The `caliper` function its scripts return through: `caliper.<constructor>{...}`.
  static var constructor: String { get }

  /// Reads the table `script` returned. `base` is the inherited definition it changes (when
  /// the table names one with `base = "id"`); `fallbackID` is the file's name. Reading does not
  /// depend on the data: packs are compiled once and run on any data source.
  static func read(
    _ table: LuaTable, script: PackScript, pack: String, fallbackID: String, base: Definition?
  ) throws -> Definition

  /// Fits a definition to the selected pack that runs it (for example, to that pack's markets).
  static func adopt(_ definition: inout Definition, by pack: Pack)
}

/// Every pack script kind, for what is done for each (registering `caliper.<constructor>`).
enum PackScriptKinds {
  /// The constructors scripts return through, one per kind.
  static let constructors = [ScorecardKind.constructor, AlignmentKind.constructor, CurriculumKind.constructor]
}
