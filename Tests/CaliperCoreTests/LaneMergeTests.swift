import Testing

@testable import CaliperCore

/// Workers' roll-ups, each in its own ids, merge into the groups one worker would have built.
@Suite("Lane merge")
struct LaneMergeTests {
  /// A group's state in ids with `decisions` decisions of `market`.
  func state(decisions: Int, market: Int32) -> GroupState<Int32> {
    var state = GroupState<Int32>()
    state.decisions = decisions
    state.context.markets.insert(market)
    state.handle.sketch.add(milliseconds: Int64(decisions) * 1_000)
    return state
  }

  /// One grouping rolled up from `groups`: (group id, period id, state, pairs as (code, count)).
  func rollUp(_ groups: [(Int32, Int32, GroupState<Int32>, [(UInt32, Int64)])]) -> GroupRollUp {
    var rollUp = GroupRollUp(groupOfSlot: [])
    for (index, group) in groups.enumerated() {
      rollUp.keys.append(Int64(group.0) << 32 | Int64(group.1))
      rollUp.states.append(group.2)
      for (code, count) in group.3 { rollUp.pairs.add(UInt64(index) << 32 | UInt64(code), count: count) }
    }
    return rollUp
  }

  @Test(arguments: [1, 3])
  func lanesWithPermutedAndNewStringsMergeByString(shards: Int) throws {
    let first = LaneRollUps(
      groupings: [rollUp([(0, 1, state(decisions: 3, market: 4), [(0, 2)])])],
      pairs: [LabelPairCodes.Pair(kind: .vendorQA, model: -1, truth: 2, predicted: 3)],
      strings: ["m-1", "2026-W27", "benign", "spam", "JP"])
    // The same moderator and week under other ids, a pair code of its own, a new moderator and
    // a new market.
    let second = LaneRollUps(
      groupings: [
        rollUp([
          (2, 1, state(decisions: 4, market: 5), [(1, 1), (0, 5)]),
          (3, 1, state(decisions: 5, market: 5), []),
        ])
      ],
      pairs: [
        LabelPairCodes.Pair(kind: .model, model: 6, truth: 4, predicted: 0),
        LabelPairCodes.Pair(kind: .vendorQA, model: -1, truth: 4, predicted: 0),
      ],
      strings: ["spam", "2026-W27", "m-1", "m-2", "benign", "KR", "mod-1"])
    let effective = try #require(CalendarDate(year: 2026, month: 1, day: 1))
    let policy = PolicyBook([
      PolicyLabel(label: "benign", severity: .none, policyVersion: "v1", effectiveFrom: effective),
      PolicyLabel(label: "spam", severity: .major, policyVersion: "v1", effectiveFrom: effective),
    ])
    let tables = LaneMerge([first, second], policy: policy).tables(shards: shards)
    #expect(tables.count == 1)
    #expect(tables[0].count == 2)
    let both = try #require(tables[0][GroupKey(group: "m-1", period: "2026-W27")])
    #expect(both.decisions == 7)
    #expect(both.context.markets == ["JP", "KR"])
    #expect(both.handle.sketch.count == 2)
    #expect(both.qa.vendorQA.confusion[LabelPair(truth: "benign", predicted: "spam")] == 3)
    #expect(both.qa.vendorQA.audited == 3)
    #expect(both.qa.vendorQA.errorsBySeverity[.major] == 3)
    #expect(both.qa.all.audited == 3)
    #expect(both.qa.internalQA.audited == 0)
    #expect(both.ai.byModel["mod-1"]?.confusion[LabelPair(truth: "benign", predicted: "spam")] == 5)
    let new = try #require(tables[0][GroupKey(group: "m-2", period: "2026-W27")])
    #expect(new.decisions == 5)
    #expect(new.context.markets == ["KR"])
    #expect(new.qa.all.audited == 0)
  }
}
