import CaliperCore
import Foundation

/// The decisions pass (parse + join + aggregate into four groupings) on a generated data set:
/// MB/s and rows/s with one worker and with every core, measured in the same run, and the
/// process's peak resident memory. `CALIPER_BENCH_DECISIONS` sets the size (default 1,000,000),
/// `CALIPER_BENCH_ROUNDS` the runs per configuration (default 3) and `CALIPER_BENCH_WORKERS` a
/// comma-separated list of worker counts (default: 1 and every core). On a noisy machine, many
/// short alternating runs of two builds (one round, one worker count) compare them best.
enum IngestionBenchmarks {
  static func run() throws -> Bool {
    let environment = ProcessInfo.processInfo.environment
    let decisions = Int(environment["CALIPER_BENCH_DECISIONS"] ?? "") ?? 1_000_000
    let rounds = max(1, Int(environment["CALIPER_BENCH_ROUNDS"] ?? "") ?? 3)
    let folder = try BenchData.folder(decisions: decisions)
    let reference = try ReferenceData(folder: folder, policy: .strict)
    let groupings = [
      Grouping(grain: .site, period: .week), Grouping(grain: .vendor, period: .week),
      Grouping(grain: .moderator, period: .week), Grouping(grain: .market, period: .month),
    ]
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let workerCounts =
      environment["CALIPER_BENCH_WORKERS"].map { $0.split(separator: ",").compactMap { Int($0) } } ?? [1, cores]
    var best: [Int: Double] = [:]
    var phases: [Int: (scan: Double, rollUp: Double)] = [:]
    var bytes = 0
    var rows = 0
    for _ in 0..<rounds {
      for workers in workerCounts {
        var pass = DecisionPass(folder: folder, groupings: groupings)
        pass.workers = workers
        let clock = ContinuousClock()
        let start = clock.now
        let result = try pass.run(reference: reference) { _ in NoSink() }
        let seconds = (clock.now - start).seconds
        guard result.usedFastPath, result.reconciliation.reconciles else {
          print("decisions pass did not take the fast path on clean generated data")
          return false
        }
        bytes = result.bytes
        rows = result.reconciliation.rowsRead
        if seconds < best[workers] ?? .infinity {
          phases[workers] = (result.scanTime.seconds, result.rollUpTime.seconds)
        }
        best[workers] = min(best[workers] ?? .infinity, seconds)
      }
    }
    let megabytes = Double(bytes) / 1_000_000
    for workers in best.keys.sorted() {
      let seconds = best[workers]!
      print(
        String(
          format:
            "decisions pass, %d worker(s): %.1f MB, %d rows, best of %d: %.3f s (scan %.3f, roll-up %.3f), %.0f MB/s, %.2fM rows/s",
          workers, megabytes, rows, rounds, seconds, phases[workers]!.scan, phases[workers]!.rollUp,
          megabytes / seconds,
          Double(rows) / seconds / 1e6))
    }
    if let one = best[1], let all = best[cores], cores > 1 {
      print(String(format: "speed-up with %d workers: %.2fx (target: 300 MB/s on two cores)", cores, one / all))
    }
    print(String(format: "peak resident memory: %.0f MB", Double(peakResidentBytes()) / 1_048_576))
    return true
  }
}

/// A generated data set under the temporary directory, made once per size and reused.
enum BenchData {
  static func folder(decisions: Int) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-bench-\(decisions)")
    if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("ANSWERS.md").path) {
      print("generating \(decisions) decisions in \(folder.path) ...")
      _ = try SyntheticDataGenerator(seed: 1, decisions: decisions, weeks: 8).write(to: folder)
    }
    return folder
  }
}

/// The process's peak resident set size, in bytes (Linux `ru_maxrss` is in kilobytes).
func peakResidentBytes() -> Int {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return usage.ru_maxrss * 1_024
}

extension Duration {
  /// The duration in seconds.
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
