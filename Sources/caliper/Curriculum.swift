import ArgumentParser
import CaliperCore
import CaliperScripting
import Foundation

/// `caliper curriculum --data DIR --pack PACK...`: assignments and schedules from the packs'
/// curricula.
struct Curriculum: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run the curricula of one or more packs on a data folder: assignments, schedules and capacity.",
    discussion: """
      Each pack's curricula/*.lua rules read every active moderator's profile (per-label recall and \
      precision, golden-set accuracy, errors, AI use, training history) and assign modules; policy \
      changes assign the modules that teach them first. Prerequisites come first, valid completions \
      are dropped, and modules are scheduled within each moderator's and each site's weekly hours. \
      `--format csv` is the learning-management import (docs/curriculum-csv.md). Exit codes: 0 every \
      curriculum ran, 1 a curriculum failed or the data or a pack is bad, 2 usage error.
      """
  )

  @OptionGroup var dataOptions: DataOptions

  @OptionGroup var packOptions: PackOptions

  @Option(help: "The day schedules start after, e.g. 2026-07-06 (default: the day after the latest decision).")
  var asOf: String?

  @Flag(help: "Also measure whether past training worked (difference in differences with a bootstrap interval).")
  var effect = false

  @Option(help: "Moderators per curriculum in the table format (0: all).")
  var limit: Int = 15

  @OptionGroup var runOptions: RunOptions

  func validate() throws {
    guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
    if let asOf, CalendarDate(parsing: asOf) == nil {
      throw ValidationError("--as-of \(asOf) is not a date like 2026-07-01")
    }
  }

  func run() async throws {
    let report = try await runOptions.report(command: "curriculum") { progress in
      let engine = try await CaliperEngine(packs: packOptions.urls, options: runOptions.engineOptions)
      let request = CurriculumRequest(
        asOf: asOf.flatMap(CalendarDate.init(parsing:)), effect: effect, seed: runOptions.seed, progress: progress)
      return try await engine.curricula(on: try dataOptions.source(digestCache: runOptions.digestCache), request)
    }
    try runOptions.write(report, rowLimit: limit > 0 ? limit : nil)
    for curriculum in report.sections.curricula?.curricula ?? [] where curriculum.status != .ok {
      FileHandle.standardError.write(
        Data(
          TerminalText.escaped("curriculum \(curriculum.pack)/\(curriculum.id) failed: \(curriculum.error ?? "")\n")
            .utf8))
    }
    if report.status != .ok { throw ExitCode(1) }
  }
}
