import CaliperCore
import LuaKit

/// The decision row scripts see in `where(row)` and `of(row)`: the source of one reusable
/// ``LuaRecordView`` per worker, so reading `row.market` neither builds a table nor (after the
/// first read of each field) calls into Swift.
final class RowView: LuaRecordSource {
  private var current: DecisionRow?
  private var dictionary: RowDictionary?

  /// Field names scripts may read.
  static let fields = [
    "decision_id", "item_id", "queue", "market", "vendor", "site", "moderator_id", "label", "ai_label",
    "model_version", "enqueued_at", "decided_at", "handle_seconds", "ai_confidence", "ai_assisted", "hour",
    "weekday", "turnaround_seconds", "date",
  ]

  /// The reusable userdata over this source.
  func makeView(in state: LuaState) throws -> LuaRecordView {
    try LuaRecordView(
      in: state, typeName: "row", fields: Self.fields, source: self,
      closedMessage: "rows are only readable inside where(row) and of(row)")
  }

  /// Makes `row`, whose ids resolve in the dictionary last adopted, the current one.
  func show(_ row: DecisionRow) {
    current = row
  }

  /// Resolves ids in `dictionary` from now on; returns whether it replaces another (whose ids
  /// gave symbols other meanings).
  func adopt(_ dictionary: RowDictionary) -> Bool {
    guard dictionary !== self.dictionary else { return false }
    let replaced = self.dictionary != nil
    self.dictionary = dictionary
    return replaced
  }

  func withSymbol<R>(_ id: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try dictionary!.withBytes(id, body)
  }

  func value(ofField index: Int) -> LuaRecordValue {
    guard let row = current else { return .nil }
    func text(_ id: Int32) -> LuaRecordValue { id == RowDictionary.missing ? .nil : .symbol(id) }
    switch index {  // in `fields` order
    case 0: return .bytes(row.decisionID)
    case 1: return .bytes(row.itemID)
    case 2: return text(row.queue)
    case 3: return text(row.market)
    case 4: return text(row.vendor)
    case 5: return text(row.site)
    case 6: return text(row.moderator)
    case 7: return text(row.label)
    case 8: return text(row.aiLabel)
    case 9: return text(row.modelVersion)
    case 10: return .integer(row.enqueuedAt)
    case 11: return .integer(row.decidedAt)
    case 12: return .number(row.handleSeconds)
    case 13: return row.aiConfidence.map { .number($0) } ?? .nil
    case 14: return .boolean(row.aiAssisted)
    case 15: return .integer(Self.hour(row.decidedAt))
    case 16: return .integer(Int64(Timestamp(secondsSinceEpoch: row.decidedAt).date.isoWeekday))
    case 17: return .integer(row.decidedAt - row.enqueuedAt)
    case 18: return .string(Timestamp(secondsSinceEpoch: row.decidedAt).date.description)
    default: return .nil
    }
  }

  /// Whether field `index` has an ``identity(ofField:)``: every field but the two ids, whose
  /// values are all different and too long to key by.
  static func hasIdentity(_ index: Int) -> Bool { index >= 2 && index < fields.count }

  /// A number that tells `row`'s values of field `index` apart (equal for equal values,
  /// different for different ones, within one field and one dictionary), for fields with
  /// ``hasIdentity(_:)``.
  static func identity(of row: DecisionRow, field index: Int) -> UInt64 {
    switch index {  // in `fields` order
    case 2: return UInt64(UInt32(bitPattern: row.queue))
    case 3: return UInt64(UInt32(bitPattern: row.market))
    case 4: return UInt64(UInt32(bitPattern: row.vendor))
    case 5: return UInt64(UInt32(bitPattern: row.site))
    case 6: return UInt64(UInt32(bitPattern: row.moderator))
    case 7: return UInt64(UInt32(bitPattern: row.label))
    case 8: return UInt64(UInt32(bitPattern: row.aiLabel))
    case 9: return UInt64(UInt32(bitPattern: row.modelVersion))
    case 10: return UInt64(bitPattern: row.enqueuedAt)
    case 11: return UInt64(bitPattern: row.decidedAt)
    case 12: return row.handleSeconds.bitPattern
    // Parsed confidences are finite, so the all-ones NaN stands for a missing one.
    case 13: return row.aiConfidence?.bitPattern ?? .max
    case 14: return row.aiAssisted ? 1 : 0
    case 15: return UInt64(Self.hour(row.decidedAt))
    case 16: return UInt64((Self.day(row.decidedAt) % 7 + 7) % 7)
    case 17: return UInt64(bitPattern: row.decidedAt &- row.enqueuedAt)
    case 18: return UInt64(bitPattern: Self.day(row.decidedAt))
    default: return 0
    }
  }

  /// The UTC hour (0-23) of `seconds` since the epoch: `row.hour`, and its identity.
  private static func hour(_ seconds: Int64) -> Int64 {
    (seconds % 86_400 + 86_400) % 86_400 / 3_600
  }

  /// The UTC day (days since the epoch, rounded down) of `seconds` since the epoch.
  private static func day(_ seconds: Int64) -> Int64 {
    seconds >= 0 ? seconds / 86_400 : (seconds + 1) / 86_400 - 1
  }
}
