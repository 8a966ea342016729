import ArgumentParser
import CaliperCore
import CaliperScripting
import Foundation
import LuaKit

/// `--format`, `--out`, `--seed`, `--memory-limit`, `--timeout` and `--no-hash-cache`: how a
/// command that runs pack scripts runs them and writes its report (shared by `scorecard`,
/// `align` and `curriculum`).
struct RunOptions: ParsableArguments {
  @Option(help: "Output format: \(ReportFormat.names.joined(separator: ", ")).")
  var format: String = TableRenderer.formatName

  @Option(help: "Write the report here instead of standard output.")
  var out: String?

  @Option(help: "Seed of math.random in the scripts (and of bootstrap resamples).")
  var seed: UInt64 = 0

  @Option(help: "Memory cap per Lua state (one per core), in MB.")
  var memoryLimit: Double = 256

  @Option(help: "Time limit in seconds for each script's evaluation and each block of rows its measures read.")
  var timeout: Double = 30

  @Flag(
    help: """
      Hash every data file for the report even if unchanged since a run hashed it (by default \
      hashes are remembered in $CALIPER_CACHE_DIR, $XDG_CACHE_HOME/caliper or ~/.cache/caliper).
      """)
  var noHashCache = false

  /// Where data file hashes are remembered between runs (none with `--no-hash-cache`).
  var digestCache: FileDigestCache? {
    noHashCache ? nil : FileDigestCache.standard(environment: ProcessInfo.processInfo.environment)
  }

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
  }

  /// The engine's options these select.
  var engineOptions: CaliperEngine.Options {
    CaliperEngine.Options(
      memoryLimit: Int(memoryLimit * 1_048_576), limits: RunLimits(timeout: .milliseconds(Int64(timeout * 1000))))
  }

  /// Runs `body` with a progress bar on an interactive terminal; an error is printed as
  /// `caliper COMMAND: error` and exits 1.
  func report(
    command: String, _ body: ((@Sendable (Int, Int) -> Void)?) async throws -> Report
  ) async throws
    -> Report
  {
    let interactive = isatty(STDERR_FILENO) != 0
    do {
      let report = try await body(interactive ? ProgressBar.show : nil)
      if interactive { ProgressBar.clear() }
      return report
    } catch {
      if interactive { ProgressBar.clear() }
      FileHandle.standardError.write(Data(TerminalText.escaped("caliper \(command): \(error)\n").utf8))
      throw ExitCode(1)
    }
  }

  /// Writes `report` in the chosen format to `--out` or standard output.
  func write(_ report: Report, rowLimit: Int? = nil) throws {
    let toTerminal = out == nil && isatty(STDOUT_FILENO) != 0
    let options = RenderOptions(colour: toTerminal, rowLimit: rowLimit)
    let text = try ReportFormat.renderer(named: format, options: options)!.render(report)
    if let out {
      try Data(text.utf8).write(to: URL(fileURLWithPath: out))
      FileHandle.standardError.write(Data("wrote \(out)\n".utf8))
    } else {
      print(text, terminator: "")
    }
  }
}
