import Foundation
import Testing

@testable import CaliperCore

/// The conformance test of the fast pass: its aggregates against the aggregate families'
/// reference `add`, with every decision read by the exact reader, joined through plain
/// dictionaries and added to its group one row at a time, by the definitions of the data
/// contract. The pass (cells, flat counters, roll-up, lanes) must give exactly the same states.
@Suite("Decisions pass against a row-by-row oracle")
struct AggregateOracleTests {
  static let groupings = [
    Grouping(grain: .site, period: .week), Grouping(grain: .label, period: .week),
    Grouping(grain: .moderator, period: .day), Grouping(grain: .vendor, period: .month),
  ]

  /// Rows that exercise the edges: an AI label without a model version, an unknown queue, a
  /// label outside the policy book, a decision audited by both organisations with a dispute
  /// overturned, an audit label outside the policy book, and a repeated decision id.
  static let extraDecisions = """
    x-1,i-x1,jp-video,JP,Kaizen BPO,Tokyo-1,m-x,2026-06-10T08:00:00Z,2026-06-10T08:05:00Z,300,spam,spam,0.9,true,
    x-2,i-x2,no-such-queue,JP,Kaizen BPO,Tokyo-1,m-x,2026-06-10T08:00:00Z,2026-06-10T08:05:00Z,0.0004,made_up_label,spam,0.4,true,mod-x
    x-3,i-x3,jp-video,JP,Kaizen BPO,Tokyo-1,m-x,2026-06-11T08:00:00Z,2026-06-11T09:05:00Z,61.5,spam,benign,0.6,true,mod-x
    x-3,i-x3,jp-video,JP,Kaizen BPO,Tokyo-1,m-y,2026-06-11T08:00:00Z,2026-06-11T09:05:00Z,61.5,benign,,,false,

    """
  static let extraAudits = """
    ax-1,x-3,qa-1,vendor,2026-06-12T00:00:00Z,spam,true,overturned
    ax-2,x-3,qa-2,internal,2026-06-12T00:00:00Z,benign,true,upheld
    ax-3,x-2,qa-2,internal,2026-06-12T00:00:00Z,also_made_up,false,
    ax-4,x-1,qa-3,vendor,2026-06-12T00:00:00Z,spam,false,

    """

  /// Examples/data with the extra rows appended to decisions.csv and qa_audits.csv.
  func folderWithExtras() throws -> URL {
    let examples = AggregationTests.examples
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-oracle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for file in try FileManager.default.contentsOfDirectory(atPath: examples.path) {
      var text = try String(contentsOf: examples.appendingPathComponent(file), encoding: .utf8)
      if file == "decisions.csv" { text += Self.extraDecisions }
      if file == "qa_audits.csv" { text += Self.extraAudits }
      try text.write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }
    return folder
  }

  /// Every grouping's states, computed row by row (``RowByRowAggregation``).
  func oracle(_ folder: URL) throws -> [[GroupKey: GroupAggregate]] {
    try RowByRowAggregation.aggregate(folder: folder, groupings: Self.groupings)
  }

  @Test(arguments: [1, 2])
  func passEqualsTheOracle(workers: Int) throws {
    let folder = try folderWithExtras()
    defer { try? FileManager.default.removeItem(at: folder) }
    var pass = DecisionPass(folder: folder, policy: .strict, groupings: Self.groupings)
    pass.workers = workers
    pass.blockSize = 64 << 10
    let result = try pass.run(reference: try ReferenceData(folder: folder, policy: .strict)) { _ in NoSink() }
    #expect(result.usedFastPath)
    let expected = try oracle(folder)
    for index in Self.groupings.indices {
      let actual = result.tables[index]
      #expect(actual.count == expected[index].count, "grouping \(index)")
      for (key, state) in expected[index] {
        #expect(actual[key] == state, "grouping \(index), \(key.group) \(key.period)")
      }
    }
    // The edge rows landed where the oracle put them (the checks above cannot pass vacuously).
    let tokyo = try #require(result.tables[0][GroupKey(group: "Tokyo-1", period: "2026-W24")])
    #expect(tokyo.ai.byModel[AIAggregate<String>.unknownModel]?.suggested ?? 0 >= 1)
    #expect(tokyo.qa.all.overturned >= 1)
    #expect(tokyo.qa.paired.pairs >= 1)
    #expect(tokyo.qa.all.errorsByLabel["also_made_up"] == 1)
    // x-3 overrode the suggestion `benign`, which the internal audit found right.
    #expect(tokyo.ai.overall.overriddenSuggestionRight >= 1)
    let overriddenRight = result.tables[3].values.reduce(0) { $0 + $1.ai.overall.overriddenSuggestionRight }
    #expect(overriddenRight > 10, "the example data overrides right suggestions")
  }
}
