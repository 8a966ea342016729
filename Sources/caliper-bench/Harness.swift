import Foundation

/// A paired benchmark: two variants measured alternately in one process, so their ratio is
/// robust on a shared, noisy machine. Hand-written because neither google/swift-benchmark nor
/// ordo-one/benchmark reports interleaved paired ratios, which is what our targets are stated in.
struct PairedBenchmark {
  var name: String
  var iterations: Int
  var rounds = 15
  var baselineName: String
  var candidateName: String
  var baseline: (Int) throws -> Void
  var candidate: (Int) throws -> Void

  struct Result {
    var baselineNanosPerOp: Double
    var candidateNanosPerOp: Double
    var ratio: Double
  }

  /// `CALIPER_BENCH_SCALE=N` divides iterations and runs few rounds (for profilers such as
  /// callgrind, whose instruction counts are exact where times are noisy).
  static let scale: Int = ProcessInfo.processInfo.environment["CALIPER_BENCH_SCALE"].flatMap(Int.init) ?? 1

  func run() throws -> Result {
    var benchmark = self
    if Self.scale > 1 {
      benchmark.iterations = max(1, iterations / Self.scale)
      benchmark.rounds = 1
    }
    return try benchmark.measure()
  }

  private func measure() throws -> Result {
    // Warm up both once.
    try baseline(iterations / 10)
    try candidate(iterations / 10)
    var baselineTimes: [Double] = []
    var candidateTimes: [Double] = []
    var ratios: [Double] = []
    // Each round runs both sides, the first of them alternating (ABBA), so that whatever the
    // machine does between the two halves of a round (turbo, caches, a neighbour's load) does
    // not always land on the same side.
    for round in 0..<rounds {
      let base: Double
      let cand: Double
      if round.isMultiple(of: 2) {
        base = try time { try baseline(iterations) }
        cand = try time { try candidate(iterations) }
      } else {
        cand = try time { try candidate(iterations) }
        base = try time { try baseline(iterations) }
      }
      baselineTimes.append(base)
      candidateTimes.append(cand)
      ratios.append(cand / base)
    }
    return Result(
      baselineNanosPerOp: median(baselineTimes) / Double(iterations) * 1e9,
      candidateNanosPerOp: median(candidateTimes) / Double(iterations) * 1e9,
      ratio: median(ratios))
  }

  private func time(_ body: () throws -> Void) throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try body()
    let elapsed = clock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  }

  private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
  }
}

/// Prints one benchmark line and whether it meets its target.
func report(_ benchmark: PairedBenchmark, _ result: PairedBenchmark.Result, target: Double) -> Bool {
  let pass = result.ratio <= target
  print(
    String(
      format: "%@: %@ %.1f ns/op, %@ %.1f ns/op, ratio %.3f (target <= %.2f) %@",
      benchmark.name, benchmark.baselineName, result.baselineNanosPerOp, benchmark.candidateName,
      result.candidateNanosPerOp, result.ratio, target, pass ? "PASS" : "FAIL"))
  return pass
}
