import Foundation
import LuaKit

/// A script that failed to load or declare (syntax error, bad field, unknown filter value),
/// reported as a failed entry of its kind while the others still run.
struct LoadFailure {
  /// The selected pack whose run it belongs to.
  var pack: String
  /// The file, relative to its pack.
  var file: String
  /// The id it would have had (its file name).
  var id: String
  /// The located error.
  var message: String
}

/// Loads the definitions of one kind that a selected pack runs, into one state: its bases'
/// first (base of all first), each script run through ``PackScript``; a script whose table
/// says `base = "id"` changes that inherited definition, any other adds one (an id used twice
/// is an error). Definitions are then fitted to the selected pack.
struct DefinitionLoader<Kind: PackScriptKind> {
  /// The state the scripts run in (their functions live there).
  let state: LuaState
  /// Every pack involved.
  let packs: PackSet
  /// Limits for running each declaration script.
  var limits = RunLimits(timeout: .seconds(30))

  /// The definitions `pack` runs, in declaration order, and the scripts that failed.
  func load(_ pack: Pack) throws -> (definitions: [Kind.Definition], failures: [LoadFailure]) {
    var definitions: [Kind.Definition] = []
    var failures: [LoadFailure] = []
    for member in packs.lineage(of: pack) {
      for file in member.scripts(in: Kind.folder) {
        let script = PackScript(pack: member, file: file)
        let fallbackID = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        do {
          let table = try script.declaration(
            in: state, limits: limits, expected: "caliper.\(Kind.constructor){...}")
          let baseIndex = try base(of: table, among: definitions, script: script)
          var definition = try Kind.read(
            table, script: script, pack: member.manifest.name, fallbackID: fallbackID,
            base: baseIndex.map { definitions[$0] })
          if baseIndex == nil, definitions.contains(where: { $0.id == definition.id }) {
            throw PackError(
              location: script.displayName, problem: "\(Kind.constructor) id '\(definition.id)' is used twice")
          }
          definition.pack = member.manifest.name
          if let baseIndex { definitions[baseIndex] = definition } else { definitions.append(definition) }
        } catch let error as PackError {
          // One bad file never hides the others: it is reported as failed.
          failures.append(
            LoadFailure(pack: pack.manifest.name, file: file, id: fallbackID, message: error.description))
        }
      }
    }
    for index in definitions.indices {
      Kind.adopt(&definitions[index], by: pack)
    }
    return (definitions, failures)
  }

  /// The index of the inherited definition that `table` changes (`base = "id"`), if it names one.
  private func base(of table: LuaTable, among definitions: [Kind.Definition], script: PackScript) throws -> Int? {
    guard let baseID = try table.get("base", as: String?.self) else { return nil }
    guard let index = definitions.firstIndex(where: { $0.id == baseID }) else {
      throw PackError(
        location: "\(script.displayName): base",
        problem:
          "no \(Kind.constructor) '\(baseID)' in the packs it extends (known: \(definitions.map(\.id).joined(separator: ", ")))"
      )
    }
    return index
  }
}
