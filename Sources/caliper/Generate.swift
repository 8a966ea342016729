import ArgumentParser
import CaliperCore
import Foundation

/// `caliper generate --out DIR`: write a deterministic synthetic data set.
struct Generate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a deterministic synthetic APAC data set with planted problems (listed in ANSWERS.md).",
    discussion: "The same seed and sizes give byte-identical files."
  )

  @Option(help: "The folder to write (created if needed).")
  var out: String

  @Option(help: "The random seed.")
  var seed: UInt64 = 1

  @Option(help: "How many decisions.")
  var decisions: Int = 100_000

  @Option(help: "How many weeks, from Monday 2026-06-01.")
  var weeks: Int = 8

  @Option(help: "Moderators per site (at least 4); fewer give each moderator more audits.")
  var moderatorsPerSite: Int = 12

  @Flag(help: "Write the same organisation without the planted problems (a control set).")
  var noPlants = false

  func validate() throws {
    guard decisions > 0 else { throw ValidationError("--decisions must be positive") }
    guard weeks > 0, weeks <= 104 else { throw ValidationError("--weeks must lie in 1...104") }
    guard moderatorsPerSite >= SyntheticDataGenerator.minimumModeratorsPerSite, moderatorsPerSite <= 1_000 else {
      throw ValidationError(
        "--moderators-per-site must lie in \(SyntheticDataGenerator.minimumModeratorsPerSite)...1000")
    }
  }

  func run() throws {
    let clock = ContinuousClock()
    let start = clock.now
    let summary = try SyntheticDataGenerator(
      seed: seed, decisions: decisions, weeks: weeks, plants: !noPlants, moderatorsPerSite: moderatorsPerSite
    )
    .write(to: URL(fileURLWithPath: out))
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    for (file, rows) in summary.rows.sorted(by: { $0.key < $1.key }) {
      print("\(file.padding(toLength: 18, withPad: " ", startingAt: 0)) \(rows) rows")
    }
    print(
      String(
        format: "wrote %@ in %.2f s (%.0f decisions/s); planted problems: %@/ANSWERS.md", out, seconds,
        Double(decisions) / seconds, out))
  }
}
