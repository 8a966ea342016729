import Foundation

/// `caliper-bench [suite...]`: release-mode benchmarks that print their figures.
/// Run with `swift run -c release caliper-bench` (all suites) or name suites: `lua`, `csv`,
/// `ingest`, `scorecard`, `align`, `curriculum`, `anchor` (against DuckDB: not in `all`).
@main
struct CaliperBench {
  static let suites: [String: @Sendable () async throws -> Bool] = [
    "lua": LuaCallBenchmarks.run,
    "csv": CSVBenchmarks.run,
    "ingest": IngestionBenchmarks.run,
    "scorecard": ScorecardBenchmarks.run,
    "align": AlignmentBenchmarks.run,
    "curriculum": CurriculumBenchmarks.run,
    "anchor": AnchorBenchmarks.run,
  ]

  static func main() async throws {
    var names = Array(CommandLine.arguments.dropFirst())
    if names.isEmpty || names == ["all"] { names = suites.keys.sorted().filter { $0 != "anchor" } }
    var allPass = true
    for name in names {
      guard let suite = suites[name] else {
        FileHandle.standardError.write(
          Data("unknown suite '\(name)'; known: \(suites.keys.sorted().joined(separator: ", "))\n".utf8))
        exit(2)
      }
      print("== \(name)")
      let passed = try await suite()
      allPass = passed && allPass
    }
    exit(allPass ? 0 : 1)
  }
}
