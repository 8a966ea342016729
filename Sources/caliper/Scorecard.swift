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

  @Option(help: "The period the tables show, e.g. 2026-W27 (default: the latest with data).")
  var period: String?

  @Option(help: "Output format: \(ReportFormat.names.joined(separator: ", ")).")
  var format: String = TableRenderer.formatName

  @Option(help: "Write the report here instead of standard output.")
  var out: String?

  @Option(help: "Rows per scorecard in the table format, worst first (0: all).")
  var limit: Int = 15

  @Option(help: "Seed of math.random in the scripts.")
  var seed: UInt64 = 0

  @Option(help: "Memory cap per Lua state (one per core), in MB.")
  var memoryLimit: Double = 256

  @Option(help: "Time limit in seconds for each scorecard's evaluation and each block of rows its measures read.")
  var timeout: Double = 30

  func validate() throws {
    guard memoryLimit.isFinite, memoryLimit > 0, memoryLimit <= 1_048_576 else {
      throw ValidationError("--memory-limit must lie in (0, 1048576] MB")
    }
    guard timeout.isFinite, timeout > 0, timeout <= 86_400 else {
      throw ValidationError("--timeout must lie in (0, 86400] seconds")
    }
    guard ReportFormat.renderer(named: format) != nil else {
      throw ValidationError("--format \(format) is not one of \(ReportFormat.names.joined(separator: ", "))")
    }
    if let period, PeriodGrain.allCases.allSatisfy({ !$0.matches(period) }) {
      throw ValidationError("--period \(period) is not a period like 2026-W27, 2026-07-01 or 2026-07")
    }
  }

  func run() async throws {
    let interactive = isatty(STDERR_FILENO) != 0
    let request = ScorecardRequest(period: period, seed: seed, progress: interactive ? ProgressBar.show : nil)
    let report: Report
    do {
      let options = CaliperEngine.Options(
        memoryLimit: Int(memoryLimit * 1_048_576),
        limits: RunLimits(timeout: .milliseconds(Int64(timeout * 1000))))
      let engine = try CaliperEngine(packs: packOptions.urls, options: options)
      report = try await engine.scorecards(on: dataOptions.source, request)
    } catch {
      if interactive { ProgressBar.clear() }
      FileHandle.standardError.write(Data(TerminalText.escaped("caliper scorecard: \(error)\n").utf8))
      throw ExitCode(1)
    }
    if interactive { ProgressBar.clear() }
    let toTerminal = out == nil && isatty(STDOUT_FILENO) != 0
    let options = RenderOptions(colour: toTerminal, rowLimit: limit > 0 ? limit : nil)
    let text = try ReportFormat.renderer(named: format, options: options)!.render(report)
    if let out {
      try Data(text.utf8).write(to: URL(fileURLWithPath: out))
      FileHandle.standardError.write(Data("wrote \(out)\n".utf8))
    } else {
      print(text, terminator: "")
    }
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
