import CaliperCore
import CaliperScripting
import Foundation

/// `caliper curriculum --effect` against `caliper scorecard` with the example packs on the same
/// generated data: 1M decisions (`CALIPER_BENCH_DECISIONS`) by about 1,000 moderators (59 a
/// site), alternated in one run so the ratio is measured side by side (target ≤ 1.5).
enum CurriculumBenchmarks {
  static func run() async throws -> Bool {
    let decisions = Int(ProcessInfo.processInfo.environment["CALIPER_BENCH_DECISIONS"] ?? "") ?? 1_000_000
    let folder = try BenchData.folder(decisions: decisions, moderatorsPerSite: 59)
    let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Examples/packs")
    let packs = ["apac-base", "jp", "kr", "id"].map { examples.appendingPathComponent($0) }
    let engine = try await CaliperEngine(packs: packs)
    var curriculum: [Double] = []
    var scorecard: [Double] = []
    var scheduled = 0
    var moderators = 0
    for _ in 0..<5 {
      scorecard.append(
        try await Timing.seconds { _ = try await engine.scorecards(on: CSVFolderSource(folder: folder)) })
      curriculum.append(
        try await Timing.seconds {
          let report = try await engine.curricula(
            on: CSVFolderSource(folder: folder), CurriculumRequest(effect: true))
          let entries = report.sections.curricula?.curricula ?? []
          scheduled = entries.reduce(0) { $0 + ($1.schedule?.items.count ?? 0) }
          moderators = entries.reduce(0) { $0 + $1.moderators }
        })
    }
    let ratios = zip(curriculum, scorecard).map { $0 / $1 }.sorted()
    let ratio = ratios[ratios.count / 2]
    print(
      String(
        format:
          "caliper curriculum --effect vs scorecard, 4 packs, %d decisions, %d active moderators: median %.2f s vs %.2f s, median ratio %.2f (rounds %@; target ≤ 1.5), %d modules scheduled",
        decisions, moderators, Timing.median(curriculum), Timing.median(scorecard), ratio,
        ratios.map { String(format: "%.2f", $0) }.joined(separator: " "), scheduled))
    return ratio <= 1.5
  }

}
