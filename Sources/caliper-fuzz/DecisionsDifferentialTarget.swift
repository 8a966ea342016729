import CaliperCore
import Foundation

/// The decisions pass against the exact reader (differential): the example data's reference
/// files with the input, after the contract's header, as `decisions.csv`. Both must give the
/// same tables, or both the same first error.
struct DecisionsDifferentialTarget: FuzzTarget {
  static let header = Data(
    "decision_id,item_id,queue,market,vendor,site,moderator_id,enqueued_at,decided_at,handle_seconds,label,ai_label,ai_confidence,ai_assisted,model_version\n"
      .utf8)
  static let groupings = [
    Grouping(grain: .site, period: .week), Grouping(grain: .label, period: .day),
    Grouping(grain: .moderator, period: .month),
  ]

  let folder: URL
  let reference: ReferenceData
  let oracle: RowByRowAggregation

  /// Copies the example data's reference files to a folder of its own.
  init() throws {
    let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Examples/data")
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-fuzz-\(getpid())")
    try? FileManager.default.removeItem(at: folder)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for file in ["policies.csv", "queues.csv", "moderators.csv", "qa_audits.csv", "golden.csv"] {
      try FileManager.default.copyItem(
        at: examples.appendingPathComponent(file), to: folder.appendingPathComponent(file))
    }
    try Self.header.write(to: folder.appendingPathComponent("decisions.csv"))
    reference = try ReferenceData(folder: folder, policy: .strict)
    oracle = try RowByRowAggregation(folder: folder)
  }

  /// Removes the target's folder.
  func finish() { try? FileManager.default.removeItem(at: folder) }

  mutating func run(_ input: Data) {
    do { try (Self.header + input).write(to: folder.appendingPathComponent("decisions.csv")) } catch {
      fatalError("cannot write the input: \(error)")
    }
    var pass = DecisionPass(folder: folder, policy: .strict, groupings: Self.groupings)
    pass.workers = 2
    pass.blockSize = 4 << 10
    let fast = Result { try pass.run(reference: reference) { _ in NoSink() }.tables }
    let exact = Result { try oracle.aggregate(decisionsIn: folder, groupings: Self.groupings) }
    switch (fast, exact) {
    case (.success(let fast), .success(let exact)):
      guard fast == exact else { fatalError("the fast pass and the exact reader give different tables") }
    case (.failure(let fast), .failure(let exact)):
      guard "\(fast)" == "\(exact)" else { fatalError("different first errors:\n fast:  \(fast)\n exact: \(exact)") }
    case (.success, .failure(let exact)): fatalError("the fast pass accepts what the exact reader refuses: \(exact)")
    case (.failure(let fast), .success): fatalError("the exact reader accepts what the fast pass refuses: \(fast)")
    }
  }
}
