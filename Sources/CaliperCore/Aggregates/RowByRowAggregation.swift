import Foundation

/// The reference the decisions pass is held to: every file read by the exact reader, decisions
/// joined through plain dictionaries and added to their groups one row at a time with the
/// families' own `add` (the data contract's definitions). Slow and simple on purpose; the
/// conformance test and the differential fuzz target compare the fast pass with it.
public struct RowByRowAggregation: Sendable {
  private let audits: [String: [QAAudit]]
  private let gold: [String: String]
  private let queues: [String: Queue]
  private let policy: PolicyBook

  /// Reads the reference files (audits, golden items, queues, policies) of the folder at
  /// `folder`, once.
  public init(folder: URL) throws {
    let reader = ContractFileReader(folder: folder)
    var audits: [String: [QAAudit]] = [:]
    _ = try reader.read(.qaAudits, decode: QAAudit.init) { audits[$0.decisionID, default: []].append($0) }
    var gold: [String: String] = [:]
    _ = try reader.read(.golden, decode: GoldenItem.init) { gold[$0.itemID] = $0.goldLabel }
    var queues: [String: Queue] = [:]
    _ = try reader.read(.queues, decode: Queue.init) { queues[$0.queue] = $0 }
    var labels: [PolicyLabel] = []
    _ = try reader.read(.policies, decode: PolicyLabel.init) { labels.append($0) }
    (self.audits, self.gold, self.queues, policy) = (audits, gold, queues, PolicyBook(labels))
  }

  /// Every grouping's states for the data folder at `folder`, in `groupings` order.
  public static func aggregate(folder: URL, groupings: [Grouping]) throws -> [[GroupKey: GroupAggregate]] {
    try RowByRowAggregation(folder: folder).aggregate(decisionsIn: folder, groupings: groupings)
  }

  /// Every grouping's states for the `decisions.csv` of `folder`, joined with the reference
  /// files read at creation.
  public func aggregate(decisionsIn folder: URL, groupings: [Grouping]) throws -> [[GroupKey: GroupAggregate]] {
    var tables = Array(repeating: [GroupKey: GroupAggregate](), count: groupings.count)
    _ = try ContractFileReader(folder: folder).read(.decisions, decode: Decision.init) { decision in
      let joined = JoinedDecision(
        decision: decision, audits: audits[decision.decisionID] ?? [], goldLabel: gold[decision.itemID],
        queue: queues[decision.queue], policy: policy)
      for (index, grouping) in groupings.enumerated() {
        let group =
          switch grouping.grain {
          case .site: decision.site
          case .label: decision.label
          case .moderator: decision.moderatorID
          case .vendor: decision.vendor
          case .market: decision.market
          case .queue: decision.queue
          }
        let key = GroupKey(group: group, period: decision.period(grouping.period))
        tables[index][key, default: GroupAggregate()].add(joined)
      }
    }
    return tables
  }
}
