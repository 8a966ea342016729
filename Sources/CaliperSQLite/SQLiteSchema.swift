import CaliperCore

/// How the data contract's files are laid out as SQLite tables: one table per file, named as the
/// file without `.csv`, with the contract's columns in the contract's order and SQLite types
/// (timestamps and dates stay ISO 8601 text, SQLite's own date form; booleans are 0 or 1).
enum SQLiteSchema {
  /// The SQLite type of a contract column.
  enum ColumnType: String {
    case text = "TEXT"
    case integer = "INTEGER"
    case real = "REAL"
    /// Stored as INTEGER 0 or 1.
    case boolean = "BOOLEAN"
  }

  /// Columns whose type is not text, by name (a name means the same in every file).
  private static let types: [String: ColumnType] = [
    "sla_seconds": .integer, "forecast_daily_volume": .integer,
    "handle_seconds": .real, "ai_confidence": .real, "score": .real, "value": .real,
    "ai_assisted": .boolean, "disputed": .boolean,
  ]

  /// Indexes a host's queries and appends need (decisions by day and moderator, audits by
  /// decision, golden items and moderators by id).
  private static let indexes: [ContractFile: [String]] = [
    .decisions: ["decided_at", "moderator_id"], .qaAudits: ["decision_id"], .golden: ["item_id"],
    .moderators: ["moderator_id"], .training: ["moderator_id"],
  ]

  /// The table of `file`.
  static func table(_ file: ContractFile) -> String { file.rawValue }

  /// Every column of `file`, required first, in the contract's order.
  static func columns(_ file: ContractFile) -> [String] { file.requiredColumns + file.optionalColumns }

  /// The type of `column`.
  static func type(of column: String) -> ColumnType { types[column] ?? .text }

  /// `CREATE TABLE` and `CREATE INDEX` statements for `file` (if not there yet).
  static func create(_ file: ContractFile) -> [String] {
    // No NOT NULL: a required column may hold empty fields (a vendor-wide report has no site),
    // and an empty field is stored as NULL.
    let columns = columns(file).map { column -> String in
      var definition = "\"\(column)\" \(type(of: column).rawValue)"
      if type(of: column) == .boolean { definition += " CHECK (\"\(column)\" IN (0, 1))" }
      return definition
    }
    let table = table(file)
    return ["CREATE TABLE IF NOT EXISTS \"\(table)\" (\(columns.joined(separator: ", ")))"]
      + (indexes[file] ?? []).map {
        "CREATE INDEX IF NOT EXISTS \"\(table)_\($0)\" ON \"\(table)\" (\"\($0)\")"
      }
  }
}
