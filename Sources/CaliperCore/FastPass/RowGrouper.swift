/// Puts rows into a grouping's groups one at a time, as the built-in aggregation does for its
/// cells: for consumers (custom measures) that keep per-group state of their own. One per
/// worker; ids are those of the worker's `RowDictionary`.
public struct RowGrouper {
  /// The grouping.
  public let grouping: Grouping
  private var filter: FilterCache
  private let reference: ReferenceData
  /// Period ids by day, direct-mapped on the day's low bits (a data set spans few days, and
  /// this is on the per-row path of every custom measure).
  private var periodDays = [Int64](repeating: .min, count: 64)
  private var periodIDs = [Int32](repeating: 0, count: 64)

  /// A grouper for `grouping` (the reference data resolves lines of business).
  public init(grouping: Grouping, reference: ReferenceData) {
    self.grouping = grouping
    self.reference = reference
    filter = FilterCache(filter: grouping.filter)
  }

  /// Whether the grouping's filter keeps the row.
  @inline(__always)
  public mutating func keeps(_ row: DecisionRow, in dictionary: RowDictionary) -> Bool {
    filter.keeps(row, dictionary, reference)
  }

  /// The row's group (group id in the high 32 bits, period id in the low) for a row ``keeps(_:in:)``
  /// kept. The filter is not consulted: groupers of the same grain and period give the same key,
  /// so several filtered groupings can share one computation.
  @inline(__always)
  public mutating func key(ofKept row: DecisionRow, in dictionary: RowDictionary) -> Int64 {
    let day = row.decidedAt.floorDiv(86_400)
    let slot = Int(truncatingIfNeeded: day) & 63
    if periodDays[slot] != day {
      periodIDs[slot] = dictionary.id(grouping.period.label(of: Timestamp(secondsSinceEpoch: day * 86_400)))
      periodDays[slot] = day
    }
    let period = periodIDs[slot]
    return Int64(row.id(of: grouping.grain)) << 32 | Int64(period)
  }

  /// The strings of a key made by `key(ofKept:in:)`.
  public static func groupKey(_ key: Int64, in dictionary: RowDictionary) -> GroupKey {
    GroupKey(
      group: dictionary.string(Int32(truncatingIfNeeded: key >> 32)),
      period: dictionary.string(Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)))
  }
}
