import GRDB

/// A contract field between its text (as in the CSV files, and as the contract's decoders read
/// it) and its SQLite value: the one place both directions are written, so that a value read
/// back decodes to exactly what its file's text decoded to.
enum SQLiteField {
  /// The SQLite value of a field's text (an empty field is NULL). Rows are decoded by the
  /// contract before they are stored, so numbers and booleans parse.
  static func value(_ text: String, as type: SQLiteSchema.ColumnType) -> DatabaseValue {
    if text.isEmpty { return .null }
    switch type {
    case .text: return text.databaseValue
    case .integer: return Int64(text)?.databaseValue ?? text.databaseValue
    case .real: return Double(text)?.databaseValue ?? text.databaseValue
    case .boolean:
      switch text {
      case "true": return 1.databaseValue
      case "false": return 0.databaseValue
      default: return text.databaseValue
      }
    }
  }

  /// The text the contract's decoders read for a stored value (NULL is an empty field; a
  /// number prints in the shortest form that reads back as the same number).
  static func text(_ value: DatabaseValue, as type: SQLiteSchema.ColumnType) -> String {
    switch value.storage {
    case .null: ""
    case .int64(let integer):
      type == .boolean ? (integer == 0 ? "false" : integer == 1 ? "true" : "\(integer)") : "\(integer)"
    case .double(let number): "\(number)"
    case .string(let string): string
    case .blob(let data): String(decoding: data, as: UTF8.self)
    }
  }
}
