import ArgumentParser
import CaliperCore
import CaliperScripting
import Foundation
import LuaKit

/// `caliper scorecard --data DIR --pack PACK...`: run the packs' scorecards on a data folder.
struct Scorecard: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run the scorecards of one or more packs on a data folder and report.",
    discussion: """
      Reads the data once (all cores), evaluates every scorecard of every pack (and of the packs they \
      extend), runs their findings hooks, and prints a table (default), JSON, CSV or a self-contained \
      HTML report. Exit codes: 0 all scorecards ran, 1 a scorecard failed or the data or a pack is \
      bad, 2 usage error.
      """
  )

  @OptionGroup var dataOptions: DataOptions

  @OptionGroup var packOptions: PackOptions

  @Option(help: "The period the tables show, e.g. 2026-W27 (default: the latest the data covers whole).")
  var period: String?

  @Option(help: "Rows per scorecard in the table format, worst first (0: all).")
  var limit: Int = 15

  @OptionGroup var runOptions: RunOptions

  func validate() throws {
    if let period, PeriodGrain.allCases.allSatisfy({ !$0.matches(period) }) {
      throw ValidationError("--period \(period) is not a period like 2026-W27, 2026-07-01 or 2026-07")
    }
  }

  func run() async throws {
    let report = try await runOptions.report(command: "scorecard") { progress in
      let engine = try await CaliperEngine(packs: packOptions.urls, options: runOptions.engineOptions)
      return try await engine.scorecards(
        on: try dataOptions.source(digestCache: runOptions.digestCache),
        ScorecardRequest(period: period, seed: runOptions.seed, progress: progress))
    }
    try runOptions.write(report, rowLimit: limit > 0 ? limit : nil)
    for card in report.scorecards where card.status != .ok {
      FileHandle.standardError.write(
        Data(TerminalText.escaped("scorecard \(card.pack)/\(card.id) failed: \(card.error ?? "")\n").utf8))
    }
    if report.status != .ok { throw ExitCode(1) }
  }
}

/// A one-line progress bar on standard error for the decisions pass.
enum ProgressBar {
  @Sendable static func show(done: Int, total: Int) {
    guard total > 0 else { return }
    let fraction = min(1, Double(done) / Double(total))
    let filled = Int(fraction * 30)
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
    FileHandle.standardError.write(
      Data(String(format: "\rreading decisions.csv [%@] %3.0f%%", bar, fraction * 100).utf8))
  }

  static func clear() {
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}
