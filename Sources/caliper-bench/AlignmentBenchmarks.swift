import CaliperCore
import CaliperScripting
import Foundation

/// `caliper align` against `caliper scorecard` with the example packs on the same generated
/// data (1M decisions by default, `CALIPER_BENCH_DECISIONS`), alternated in one run so the
/// ratio is measured side by side (target: align ≤ 1.5× scorecard); and the bootstrap interval
/// of one 10,000-rating calibration session at 2,000 resamples (target < 1 s).
enum AlignmentBenchmarks {
  static func run() async throws -> Bool {
    let decisions = Int(ProcessInfo.processInfo.environment["CALIPER_BENCH_DECISIONS"] ?? "") ?? 1_000_000
    let folder = try BenchData.folder(decisions: decisions)
    let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Examples/packs")
    let packs = ["apac-base", "jp", "kr", "id"].map { examples.appendingPathComponent($0) }
    let engine = try await CaliperEngine(packs: packs)
    var align: [Double] = []
    var scorecard: [Double] = []
    var findings = 0
    for _ in 0..<5 {
      scorecard.append(
        try await Timing.seconds { _ = try await engine.scorecards(on: CSVFolderSource(folder: folder)) })
      align.append(
        try await Timing.seconds {
          findings = try await engine.alignment(on: CSVFolderSource(folder: folder)).findings.count
        })
    }
    let ratios = zip(align, scorecard).map { $0 / $1 }.sorted()
    let ratio = ratios[ratios.count / 2]
    print(
      String(
        format:
          "caliper align vs scorecard, 4 packs, %d decisions: median %.2f s vs %.2f s, median ratio %.2f (rounds %@; target ≤ 1.5), %d findings",
        decisions, Timing.median(align), Timing.median(scorecard), ratio,
        ratios.map { String(format: "%.2f", $0) }.joined(separator: " "), findings))

    let session = bigSession(ratings: 10_000)
    var bootstrap: [Double] = []
    for _ in 0..<3 {
      bootstrap.append(
        try await Timing.seconds {
          _ = try session.agreement(.init(metric: .krippendorff, resamples: 2_000, seed: 1))
        })
    }
    let best = bootstrap.min()!
    print(
      String(
        format:
          "bootstrap of Krippendorff's alpha, %d items × %d raters (10,000 ratings), 2,000 resamples: best of 3 %.3f s (target < 1 s)",
        session.items.count, session.raters.count, best))
    return ratio <= 1.5 && best < 1
  }

  /// A session of 1,000 items rated by 10 raters, labels drawn from 6 with a true label each.
  private static func bigSession(ratings: Int) -> CalibrationSession {
    var random = SeededGenerator(seed: 7)
    let labels = ["benign", "spam", "scam_fraud", "hate_speech", "harassment", "adult_nudity"]
    let raters = 10
    let day = CalendarDate(year: 2026, month: 6, day: 5)!
    var rows: [CalibrationRating] = []
    for item in 0..<(ratings / raters) {
      let truth = labels[random.index(below: labels.count)]
      for rater in 0..<raters {
        let label = random.index(below: 10) < 8 ? truth : labels[random.index(below: labels.count)]
        rows.append(
          CalibrationRating(
            sessionID: "bench", market: "JP", itemID: "i\(item)", raterID: "r\(rater)",
            raterOrganisation: rater < 2 ? .policy : rater < 5 ? .internal : .vendor, label: label,
            ratedAt: Timestamp(day)))
      }
    }
    return CalibrationSession.sessions(from: rows)[0]
  }

}
