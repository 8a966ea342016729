import CaliperCore
import Foundation
import LuaKit

/// One Lua state with the `caliper` module and every selected pack's scorecards loaded: the
/// unit of the state pool (one host per worker core). Findings that scripts emit are collected
/// here with the pack and scorecard that emitted them.
final class ScriptHost {
  let state: LuaState
  let context = ScriptContext()
  private(set) var scorecards: [ScorecardDefinition] = []
  /// Scorecard files that could not be loaded, reported as failed scorecards.
  private(set) var failures: [LoadFailure] = []

  init(packs: PackSet, knownValues: KnownValues, seed: UInt64, memoryLimit: Int?) throws {
    state = try LuaState(
      options: LuaOptions(
        memoryLimit: memoryLimit, clock: FixedClock(instant: 0),
        output: { FileHandle.standardError.write(Data($0.utf8)) }))
    try state.seedRandom(Int64(bitPattern: seed))
    try CaliperModule.install(in: state, context: context)
    try GroupViewTypes.register(in: state)
    try CardView.register(in: state)
    for pack in packs.selected {
      scorecards += try load(pack, packs: packs, knownValues: knownValues)
    }
  }

  /// The scorecards `pack` runs: those of its bases (filtered to its markets unless they say
  /// otherwise), changed or joined by its own scripts.
  private func load(_ pack: Pack, packs: PackSet, knownValues: KnownValues) throws -> [ScorecardDefinition] {
    var cards: [ScorecardDefinition] = []
    for member in packs.lineage(of: pack) {
      for file in member.scorecards {
        let fallbackID = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        do {
          let table = try runScript(member, file)
          let reader = ScorecardReader(pack: member.manifest.name, file: file, knownValues: knownValues)
          let baseID = try table.get("base", as: String?.self)
          var baseIndex: Int?
          if let baseID {
            guard let index = cards.firstIndex(where: { $0.id == baseID }) else {
              throw PackError(
                location: "\(member.manifest.name)/\(file): base",
                problem:
                  "no scorecard '\(baseID)' in the packs it extends (known: \(cards.map(\.id).joined(separator: ", ")))"
              )
            }
            baseIndex = index
          }
          var card = try reader.read(table, fallbackID: fallbackID, base: baseIndex.map { cards[$0] })
          if baseIndex == nil, cards.contains(where: { $0.id == card.id }) {
            throw PackError(
              location: "\(member.manifest.name)/\(file)", problem: "scorecard id '\(card.id)' is used twice")
          }
          card.pack = member.manifest.name
          if let baseIndex { cards[baseIndex] = card } else { cards.append(card) }
        } catch let error as PackError {
          // One bad scorecard file never hides the others: it is reported as failed.
          failures.append(
            LoadFailure(pack: pack.manifest.name, file: file, id: fallbackID, message: error.description))
        }
      }
    }
    // Inherited scorecards run over the selected pack's markets unless they filter markets.
    let markets = Set(pack.manifest.markets ?? [])
    for index in cards.indices {
      if !markets.isEmpty, cards[index].filter.markets.isEmpty {
        cards[index].filter.markets = Set(
          try knownValues.check(markets.sorted(), .market) { path, problem in
            PackError(location: "\(pack.manifest.name)/pack.lua: markets", problem: problem + " (\(path))")
          })
      }
      cards[index].pack = pack.manifest.name
    }
    return cards
  }

  private func runScript(_ pack: Pack, _ file: String) throws -> LuaTable {
    let url = pack.root.appendingPathComponent(file)
    let source: String
    do { source = try String(contentsOf: url, encoding: .utf8) } catch {
      throw PackError(location: "\(pack.manifest.name)/\(file)", problem: "cannot read: \(error.localizedDescription)")
    }
    let report = state.run(limits: RunLimits(timeout: .seconds(30))) { () throws -> LuaTable in
      let env = try state.makeEnvironment(moduleRoot: pack.root)
      let values = try state.load(source, name: "@\(pack.manifest.name)/\(file)", environment: env).callReturningAll()
      guard let first = values.first, case .table(let table) = first else {
        throw PackError(
          location: "\(pack.manifest.name)/\(file)",
          problem: "must return caliper.scorecard{...} (returned \(values.first?.typeName ?? "nothing"))")
      }
      return table
    }
    do { return try report.get() } catch let error as PackError { throw error } catch {
      throw PackError(location: "\(pack.manifest.name)/\(file)", problem: "\(error)")
    }
  }
}

/// A scorecard file that failed to load or declare (syntax error, bad field, unknown filter value).
struct LoadFailure {
  /// The selected pack whose run it belongs to.
  var pack: String
  /// The file, relative to its pack.
  var file: String
  /// The scorecard id it would have had (its file name).
  var id: String
  /// The located error.
  var message: String
}

/// What the `caliper` functions of one state need from the run: where findings go, and which
/// scorecard is running (for naming them).
final class ScriptContext {
  var pack = ""
  var scorecard = ""
  var findings: [Finding] = []

  func emit(_ finding: Finding) {
    var finding = finding
    finding.pack = pack
    finding.scorecard = scorecard
    findings.append(finding)
  }
}
