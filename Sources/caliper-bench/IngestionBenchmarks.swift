import CaliperCore
import Foundation

/// The decisions pass (parse + join + aggregate into four groupings) on a generated data set:
/// MB/s and rows/s with one worker and with every core, rounds of the configurations
/// interleaved, best and median, and the process's peak resident memory.
/// `CALIPER_BENCH_DECISIONS` sets the size (default 1,000,000), `CALIPER_BENCH_ROUNDS` the runs
/// per configuration (default 5) and `CALIPER_BENCH_WORKERS` a comma-separated list of worker
/// counts (default: 1 and every core). On a noisy machine, many short alternating runs of two
/// builds (one round, one worker count) compare them best.
enum IngestionBenchmarks {
  static func run() throws -> Bool {
    let environment = ProcessInfo.processInfo.environment
    let decisions = Int(environment["CALIPER_BENCH_DECISIONS"] ?? "") ?? 1_000_000
    let rounds = max(1, Int(environment["CALIPER_BENCH_ROUNDS"] ?? "") ?? 5)
    let folder = try BenchData.folder(decisions: decisions)
    let loadStarted = ContinuousClock.now
    let reference = try ReferenceData(folder: folder, policy: .strict)
    let loadSeconds = (ContinuousClock.now - loadStarted).seconds
    let loadPeak = peakResidentBytes()
    let afterLoad = ResidentMemory.current()
    let peakWasReset = ResidentMemory.resetPeak()
    let groupings = [
      Grouping(grain: .site, period: .week), Grouping(grain: .vendor, period: .week),
      Grouping(grain: .moderator, period: .week), Grouping(grain: .market, period: .month),
    ]
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let workerCounts =
      environment["CALIPER_BENCH_WORKERS"].map { $0.split(separator: ",").compactMap { Int($0) } } ?? [1, cores]
    var times: [Int: [Double]] = [:]
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
        if seconds < times[workers]?.min() ?? .infinity {
          phases[workers] = (result.scanTime.seconds, result.rollUpTime.seconds)
        }
        times[workers, default: []].append(seconds)
      }
    }
    let megabytes = Double(bytes) / 1_000_000
    for workers in times.keys.sorted() {
      let sorted = times[workers]!.sorted()
      let (seconds, median) = (sorted[0], sorted[sorted.count / 2])
      print(
        String(
          format:
            "decisions pass, %d worker(s): %.1f MB, %d rows, best of %d: %.3f s (scan %.3f, roll-up %.3f), %.0f MB/s, %.2fM rows/s; median %.3f s, %.0f MB/s",
          workers, megabytes, rows, rounds, seconds, phases[workers]!.scan, phases[workers]!.rollUp,
          megabytes / seconds, Double(rows) / seconds / 1e6, median, megabytes / median))
    }
    if let one = times[1]?.min(), let all = times[cores]?.min(), cores > 1 {
      print(String(format: "speed-up with %d workers: %.2fx (target: 300 MB/s on two cores)", cores, one / all))
    }
    print(
      String(
        format: "reference data: %d audits, loaded in %.2f s; resident after loading %@ MB (peak so far %.0f MB)",
        reference.auditCount, loadSeconds, afterLoad.map { String(format: "%.0f", Double($0) / 1_048_576) } ?? "?",
        Double(loadPeak) / 1_048_576))
    if peakWasReset, let passPeak = ResidentMemory.peak() {
      print(String(format: "peak resident memory during the passes: %.0f MB", Double(passPeak) / 1_048_576))
    } else {
      print(String(format: "peak resident memory: %.0f MB", Double(peakResidentBytes()) / 1_048_576))
    }
    return true
  }
}

/// A generated data set under the temporary directory, made once per size and reused.
enum BenchData {
  static func folder(decisions: Int, moderatorsPerSite: Int = 12) throws -> URL {
    let name = "caliper-bench-\(decisions)" + (moderatorsPerSite == 12 ? "" : "-m\(moderatorsPerSite)")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(name)
    // A folder from an older generator (without today's files) is made again.
    let complete = ["ANSWERS.md", "vendor_reports.csv"].allSatisfy {
      FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
    }
    if !complete {
      try? FileManager.default.removeItem(at: folder)
      print("generating \(decisions) decisions in \(folder.path) ...")
      _ = try SyntheticDataGenerator(
        seed: 1, decisions: decisions, weeks: 8, moderatorsPerSite: moderatorsPerSite
      ).write(to: folder)
    }
    return folder
  }
}

/// The process's resident memory from `/proc/self/status` (Linux; `nil` elsewhere), and its
/// high-water mark reset through `/proc/self/clear_refs`, so that a phase's own peak can be told
/// from an earlier phase's.
enum ResidentMemory {
  /// Resident bytes now.
  static func current() -> Int? { field("VmRSS:") }

  /// Peak resident bytes since the last `resetPeak()` that succeeded (or since the start).
  static func peak() -> Int? { field("VmHWM:") }

  /// Starts the high-water mark again from the current resident memory; whether it could.
  static func resetPeak() -> Bool {
    (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil
  }

  private static func field(_ name: String) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
      let kilobytes = Int(line.dropFirst(name.count).split(whereSeparator: \.isWhitespace).first ?? "")
    else { return nil }
    return kilobytes * 1_024
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
