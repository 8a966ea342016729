import ArgumentParser
import CaliperCore
import CaliperScripting
import Foundation

/// `caliper align --data DIR --pack PACK...`: run the packs' liaison alignment rules.
struct Align: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run the alignment rules of one or more packs on a data folder and report.",
    discussion: """
      Calibration sessions, vendor QA against internal QA, auditors, go-live readiness and red-team \
      regressions: each pack's alignment/*.lua rules check every object of what they look at. Exit \
      codes: 0 every alignment script ran, 1 a script failed or the data or a pack is bad, 2 usage error.
      """
  )

  @OptionGroup var dataOptions: DataOptions

  @OptionGroup var packOptions: PackOptions

  @Option(help: "The day checks are made on, e.g. 2026-07-01 (default: the day after the latest decision).")
  var asOf: String?

  @Option(help: "Only this calibration session.")
  var session: String?

  @Option(help: "Days after the as-of date within which go-lives are checked.")
  var horizon: Int = 60

  @OptionGroup var runOptions: RunOptions

  func validate() throws {
    if let asOf, CalendarDate(parsing: asOf) == nil {
      throw ValidationError("--as-of \(asOf) is not a date like 2026-07-01")
    }
    guard (1...3660).contains(horizon) else { throw ValidationError("--horizon must lie in [1, 3660] days") }
  }

  func run() async throws {
    let report = try await runOptions.report(command: "align") { progress in
      let engine = try await CaliperEngine(packs: packOptions.urls, options: runOptions.engineOptions)
      let request = AlignmentRequest(
        asOf: asOf.flatMap(CalendarDate.init(parsing:)), session: session, horizonDays: horizon,
        seed: runOptions.seed, progress: progress)
      return try await engine.alignment(on: try dataOptions.source(digestCache: runOptions.digestCache), request)
    }
    try runOptions.write(report)
    for script in report.sections.alignment?.scripts ?? [] where script.status != .ok {
      FileHandle.standardError.write(
        Data(TerminalText.escaped("alignment \(script.pack)/\(script.id) failed: \(script.error ?? "")\n").utf8))
    }
    if report.status != .ok { throw ExitCode(1) }
  }
}
