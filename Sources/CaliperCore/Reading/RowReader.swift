import Foundation

/// A data-contract problem in one field or file, positioned as
/// `decisions.csv:12:9: decided_at: expected … (got "…")` (line, then the column's number).
public struct IngestionError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file.
  public var file: String
  /// The 1-based line the record starts on, when the problem is in a record.
  public var line: Int?
  /// The 1-based column number, when the problem is in a field.
  public var column: Int?
  /// What is wrong.
  public var problem: String
  /// The text found, when it helps.
  public var got: String?

  /// Creates an error.
  public init(file: String, line: Int? = nil, column: Int? = nil, problem: String, got: String? = nil) {
    self.file = file
    self.line = line
    self.column = column
    self.problem = problem
    self.got = got
  }

  /// `file:line:column: problem (got "…")`.
  public var description: String {
    var position = file
    if let line { position += ":\(line)" }
    if let column { position += ":\(column)" }
    return position + ": " + problem + (got.map { " (got \"\($0)\")" } ?? "")
  }
}

/// The header of a contract file: which column holds what, checked against the required columns.
public struct CSVHeader: Sendable {
  /// The file's name.
  public let file: String
  /// Column names in file order.
  public let names: [String]
  /// Columns the contract does not know, to list once in the run summary.
  public let extraColumns: [String]
  /// The column names trimmed, in file order (each appears once).
  private let columns: [String]

  /// Reads a header record; a required column that is missing (or named twice) is an error
  /// naming the file and the column.
  public init(_ record: CSVReader.Record, file: String, required: [String], optional: [String] = []) throws {
    var index: [String: Int] = [:]
    for (position, rawName) in record.fields.enumerated() {
      let name = rawName.trimmingCharacters(in: .whitespaces)
      if index[name] != nil {
        throw IngestionError(
          file: file, line: record.line, column: position + 1, problem: "column '\(name)' appears twice")
      }
      index[name] = position
    }
    for column in required where index[column] == nil {
      throw IngestionError(
        file: file, line: record.line, problem: "missing required column '\(column)'",
        got: record.fields.joined(separator: ","))
    }
    let known = Set(required + optional)
    self.file = file
    self.names = record.fields
    self.columns = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
    self.extraColumns = record.fields.filter { !known.contains($0) }
  }

  /// The 0-based position of `column`, if present. A scan of the names rather than a
  /// dictionary: `RowReader` asks once per field of every record, headers are a few short
  /// names, and comparing short strings costs less than hashing one (`caliper validate` of a
  /// folder with 3M golden items: 3.17-3.32 s with a dictionary, 2.95-2.98 s with the scan).
  public func position(of column: String) -> Int? { columns.firstIndex(of: column) }
}

/// Typed access to one record's fields by column name, with errors that name line, column and
/// value. Empty fields are missing: required accessors reject them, optional ones return `nil`.
public struct RowReader {
  /// The record read.
  public let record: CSVReader.Record
  /// Its file's header.
  public let header: CSVHeader

  /// Wraps a record; a wrong field count is an error.
  public init(_ record: CSVReader.Record, header: CSVHeader) throws {
    guard record.fields.count == header.names.count else {
      throw IngestionError(
        file: header.file, line: record.line,
        problem: "expected \(header.names.count) fields as in the header, found \(record.fields.count)",
        got: String(decoding: record.raw.prefix(80), as: UTF8.self))
    }
    self.record = record
    self.header = header
  }

  /// The text of a required column.
  public func string(_ column: String) throws -> String {
    let (text, _) = try field(column, required: true)
    return text
  }

  /// The text of an optional column (`nil` when empty or absent).
  public func optionalString(_ column: String) throws -> String? {
    let (text, _) = try field(column, required: false)
    return text.isEmpty ? nil : text
  }

  /// A required ISO 8601 UTC timestamp.
  public func timestamp(_ column: String) throws -> Timestamp {
    try required(column, "an ISO 8601 UTC timestamp like 2026-07-01T08:15:00Z", FieldParsing.timestamp)
  }

  /// An optional timestamp.
  public func optionalTimestamp(_ column: String) throws -> Timestamp? {
    try optional(column, "an ISO 8601 UTC timestamp like 2026-07-01T08:15:00Z", FieldParsing.timestamp)
  }

  /// A required date.
  public func date(_ column: String) throws -> CalendarDate {
    try required(column, "a date like 2026-07-01", FieldParsing.date)
  }

  /// An optional date.
  public func optionalDate(_ column: String) throws -> CalendarDate? {
    try optional(column, "a date like 2026-07-01", FieldParsing.date)
  }

  /// A required boolean.
  public func boolean(_ column: String) throws -> Bool {
    try required(column, "true or false", FieldParsing.boolean)
  }

  /// A required integer.
  public func integer(_ column: String) throws -> Int {
    try required(column, "an integer", FieldParsing.integer)
  }

  /// A required finite number.
  public func number(_ column: String) throws -> Double {
    try required(column, "a number", FieldParsing.number)
  }

  /// An optional finite number.
  public func optionalNumber(_ column: String) throws -> Double? {
    try optional(column, "a number", FieldParsing.number)
  }

  /// A required value of an enumeration (`severity`, `status`, ...).
  public func choice<T: RawRepresentable & CaseIterable>(_ column: String, _ type: T.Type) throws -> T
  where T.RawValue == String {
    try required(column, "one of " + T.allCases.map(\.rawValue).joined(separator: ", ")) { T(rawValue: String($0)) }
  }

  /// A required field read by `parse` (`nil` for text it refuses, reported as "expected
  /// `expected`" with the column and the text).
  public func parsed<T>(_ column: String, expected: String, _ parse: (Substring) -> T?) throws -> T {
    try required(column, expected, parse)
  }

  /// An optional value of an enumeration.
  public func optionalChoice<T: RawRepresentable & CaseIterable>(_ column: String, _ type: T.Type) throws -> T?
  where T.RawValue == String {
    try optional(column, "one of " + T.allCases.map(\.rawValue).joined(separator: ", ")) { T(rawValue: String($0)) }
  }

  // MARK: Internals

  private func field(_ column: String, required: Bool) throws -> (String, Int) {
    guard let position = header.position(of: column) else {
      if required {
        throw IngestionError(file: header.file, line: record.line, problem: "missing required column '\(column)'")
      }
      return ("", -1)
    }
    let text = record.fields[position]
    if required && text.isEmpty {
      throw IngestionError(
        file: header.file, line: record.line, column: position + 1, problem: "\(column): required value is empty")
    }
    return (text, position)
  }

  private func required<T>(_ column: String, _ expected: String, _ parse: (Substring) -> T?) throws -> T {
    let (text, position) = try field(column, required: true)
    guard let value = parse(text[...]) else { throw mismatch(column, expected, text, position) }
    return value
  }

  private func optional<T>(_ column: String, _ expected: String, _ parse: (Substring) -> T?) throws -> T? {
    let (text, position) = try field(column, required: false)
    if text.isEmpty { return nil }
    guard let value = parse(text[...]) else { throw mismatch(column, expected, text, position) }
    return value
  }

  private func mismatch(_ column: String, _ expected: String, _ text: String, _ position: Int) -> IngestionError {
    IngestionError(
      file: header.file, line: record.line, column: position + 1, problem: "\(column): expected \(expected)",
      got: String(text.prefix(80)))
  }
}
