import Foundation

/// A grouping's states in their portable form: what one process (or machine) writes after its
/// share of the input, and what merging reads back. Merging the tables of any split of the
/// input gives exactly the table of one pass over all of it.
public struct AggregateTable: Sendable, Equatable {
  /// The grouping the states belong to.
  public var grouping: Grouping
  /// The states by group.
  public var groups: [GroupKey: GroupAggregate]

  /// Creates a table.
  public init(grouping: Grouping, groups: [GroupKey: GroupAggregate]) {
    self.grouping = grouping
    self.groups = groups
  }

  /// Adds another table of the same grouping.
  public mutating func merge(_ other: AggregateTable) throws {
    guard other.grouping == grouping else {
      throw AggregationError(
        problem: "cannot merge a table grouped by \(other.grouping.grain)/\(other.grouping.period) "
          + "into one grouped by \(grouping.grain)/\(grouping.period) (or with another filter)")
    }
    // In place: a merge closure would copy every state it combines.
    for (key, state) in other.groups { groups[key, default: GroupAggregate()].merge(state) }
  }

  /// Pretty, key-sorted JSON: the same table always gives the same bytes.
  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(self)
  }
}

extension AggregateTable: Codable {
  private struct Entry: Codable {
    var key: GroupKey
    var state: GroupAggregate
  }

  private enum CodingKeys: String, CodingKey { case grouping, groups }

  /// Decodes a table written by `json()`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    grouping = try container.decode(Grouping.self, forKey: .grouping)
    groups = [:]
    for entry in try container.decode([Entry].self, forKey: .groups) { groups[entry.key] = entry.state }
  }

  /// Encodes groups as a list sorted by group and period.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(grouping, forKey: .grouping)
    try container.encode(groups.keys.sorted().map { Entry(key: $0, state: groups[$0]!) }, forKey: .groups)
  }
}

/// A misuse of aggregates (merging unlike tables).
public struct AggregationError: Error, Sendable, CustomStringConvertible {
  /// What is wrong.
  public var problem: String
  /// The problem.
  public var description: String { problem }
}
