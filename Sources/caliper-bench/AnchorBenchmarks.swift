import Foundation

/// The whole `caliper` process against DuckDB doing the same work (`anchors/duckdb_anchor.py`,
/// whose header describes its queries), alternated run by run in the same minutes: `caliper
/// scorecard` with the four example packs against one SQL statement that joins decisions with
/// audits, golden items and queues into the same four groupings, and `caliper validate`
/// against loading every file into typed tables and running the same integrity checks. Prints
/// best and median of each and the DuckDB/Caliper ratio of the medians (target: at least 2),
/// and Caliper's peak memory (target for the scorecard run: below 300 MB). The scorecard run is
/// timed twice over: as a user reruns it (the data files' SHA-256 remembered from an earlier
/// run, `FileDigestCache`), which decides PASS, and with every file hashed, as on a first run.
///
/// Needs the release `caliper` beside this binary (`swift build -c release --product caliper`)
/// and `python3` with `duckdb` (`pip install duckdb`). `CALIPER_BENCH_DECISIONS` sets the size
/// (1M by default), `CALIPER_BENCH_ROUNDS` the runs of each (5).
enum AnchorBenchmarks {
  static func run() async throws -> Bool {
    let environment = ProcessInfo.processInfo.environment
    let decisions = Int(environment["CALIPER_BENCH_DECISIONS"] ?? "") ?? 1_000_000
    let rounds = max(1, Int(environment["CALIPER_BENCH_ROUNDS"] ?? "") ?? 5)
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    let caliper = binary.appendingPathComponent("caliper").path
    guard FileManager.default.isExecutableFile(atPath: caliper) else {
      throw BenchmarkError("no caliper beside caliper-bench: run `swift build -c release --product caliper` first")
    }
    let bench = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    let anchor = bench.appendingPathComponent("anchors/duckdb_anchor.py").path
    guard try ChildProcess.run(["python3", "-c", "import duckdb"]).status == 0 else {
      throw BenchmarkError("python3 cannot import duckdb: run `pip install duckdb` first")
    }
    let folder = try BenchData.folder(decisions: decisions).path
    let packs = bench.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples/packs")
    let packArguments = ["apac-base", "jp", "kr", "id"].flatMap { ["--pack", packs.appendingPathComponent($0).path] }
    let report = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-anchor-report.json").path
    let bytes = (try FileManager.default.attributesOfItem(atPath: folder + "/decisions.csv")[.size] as? Int) ?? 0

    // The scorecard run as a user reruns it (the data files' hashes remembered from an earlier
    // run, in a cache folder of this benchmark's own, primed by one untimed run) and with every
    // file hashed, as on a first run.
    let cache = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-anchor-cache-\(getpid())")
    defer { try? FileManager.default.removeItem(at: cache) }
    let scorecard = [caliper, "scorecard", "--data", folder] + packArguments + ["--format", "json", "--out", report]
    let remembered = ["env", "CALIPER_CACHE_DIR=\(cache.path)"] + scorecard
    let works: [Work] = [
      Work(
        name: "scorecard (4 example packs, JSON)",
        caliper: [
          Side(label: "caliper (file hashes remembered)", arguments: remembered),
          Side(label: "caliper (every file hashed)", arguments: scorecard + ["--no-hash-cache"]),
        ],
        duckdb: ["python3", anchor, "scorecard", folder], peakTarget: 300 << 20, prime: remembered),
      Work(
        name: "validate", caliper: [Side(label: "caliper", arguments: [caliper, "validate", "--data", folder])],
        duckdb: ["python3", anchor, "validate", folder], peakTarget: nil, prime: nil),
    ]
    print(
      String(
        format: "%d decisions (%.0f MB), %d cores, %d alternated runs of each",
        decisions, Double(bytes) / 1e6, ProcessInfo.processInfo.activeProcessorCount, rounds))
    var pass = true
    for work in works {
      if let prime = work.prime {
        sleep(2)  // files written less than 2 s before they are hashed are not remembered
        _ = try work.run(prime)
      }
      var caliperRuns = Array(repeating: [ChildProcess](), count: work.caliper.count)
      var duckdbRuns: [ChildProcess] = []
      for _ in 0..<rounds {
        for (index, side) in work.caliper.enumerated() { caliperRuns[index].append(try work.run(side.arguments)) }
        duckdbRuns.append(try work.run(work.duckdb))
      }
      print("\(work.name):")
      for (side, runs) in zip(work.caliper, caliperRuns) {
        print("  \(side.label): \(summary(runs))")
      }
      print("  duckdb: \(summary(duckdbRuns))")
      for (index, (side, runs)) in zip(work.caliper, caliperRuns).enumerated() {
        let ratio = Timing.median(duckdbRuns.map(\.seconds)) / Timing.median(runs.map(\.seconds))
        let peak = runs.map(\.peakBytes).max()!
        let met = ratio >= 2 && work.peakTarget.map { peak < $0 } != false
        if index == 0 { pass = pass && met }  // the first side is the run as users run it
        let peakTarget = work.peakTarget.map { String(format: " (target < %d)", $0 >> 20) } ?? ""
        print(
          String(
            format: "  duckdb/%@ median time %.2f (target >= 2), peak %.0f MB%@ %@",
            side.label, ratio, Double(peak) / 1_048_576, peakTarget, met ? "PASS" : "FAIL"))
      }
    }
    return pass
  }

  /// One way of running Caliper.
  struct Side {
    var label: String
    var arguments: [String]
  }

  /// One piece of work done both ways.
  struct Work {
    var name: String
    var caliper: [Side]
    var duckdb: [String]
    /// Caliper's peak memory target, if it has one.
    var peakTarget: Int?
    /// A run made once, untimed, before the timed ones.
    var prime: [String]?

    /// Runs one side; a failed run stops the benchmark.
    func run(_ arguments: [String]) throws -> ChildProcess {
      let result = try ChildProcess.run(arguments)
      guard result.status == 0 else {
        throw BenchmarkError("\(name): `\(arguments.joined(separator: " "))` exited with \(result.status)")
      }
      return result
    }
  }

  private static func summary(_ runs: [ChildProcess]) -> String {
    String(
      format: "best %.3f s, median %.3f s, peak %.0f MB", runs.map(\.seconds).min()!,
      Timing.median(runs.map(\.seconds)), Double(runs.map(\.peakBytes).max()!) / 1_048_576)
  }
}
