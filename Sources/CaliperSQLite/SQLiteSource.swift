import CaliperCore
import Crypto
import Foundation
import GRDB

/// The data contract as the tables of one SQLite file (made by `caliper import`, or kept by a
/// host that appends each day's rows): every row reads back as the text its CSV field had and
/// goes through the contract's own decoders, and decisions go through the decisions pass's own
/// lanes, so a report on the file equals the report on the folder it was imported from.
///
/// The aggregation is not pushed down into SQL: SQLite runs in-process, so reading its rows is
/// the cheap part. A warehouse source (PostgreSQL) would return per-cell partial aggregates
/// from its own query instead; `docs/data-sources.md` describes that seam.
public struct SQLiteSource: DecisionSource {
  /// The database file.
  public let file: URL
  /// Decisions decoded per read transaction (see ``aggregate(_:reference:sinks:)``).
  public var decisionsPerRead = 65_536
  private let database: DatabaseQueue

  /// Opens `file` read-only.
  public init(file: URL) throws {
    guard FileManager.default.fileExists(atPath: file.path) else {
      throw IngestionError(file: file.lastPathComponent, problem: "no such database file at \(file.path)")
    }
    var configuration = Configuration()
    configuration.readonly = true
    configuration.label = "caliper-source"
    // A host may append a day while a report reads: wait for its transaction, do not fail.
    configuration.busyMode = .timeout(30)
    self.file = file
    do {
      database = try DatabaseQueue(path: file.path, configuration: configuration)
      _ = try database.read { try $0.tableExists(SQLiteSchema.table(.decisions)) }
    } catch let error as DatabaseError {
      throw IngestionError(
        file: file.lastPathComponent, problem: "cannot be read as SQLite: \(error.message ?? "\(error)")")
    }
  }

  /// The file's path.
  public var sourceName: String { file.path }

  /// Rows are read one by one, so row measures run as on a folder.
  public var scansRows: Bool { true }

  /// The reference tables, decoded as the contract's records.
  public func referenceData() throws -> ReferenceData {
    try ReferenceData(records: self)
  }

  /// Every decision in insertion order through one lane of the decisions pass, read a page at
  /// a time: each page is decoded in a read transaction of its own and goes through the lane
  /// after it, so the lane's sink (a Lua state) never shares a region with the database
  /// connection and can go back to its pool. A host that appends while a report reads may see
  /// its rows, as it may between the reference tables and the decisions.
  public func aggregate<Sink: DecisionRowSink>(
    _ request: AggregationRequest, reference: ReferenceData, sinks: (Int) throws -> sending Sink
  ) throws -> sending DecisionPassResult<Sink> {
    let (database, table) = (database, SQLiteSchema.table(.decisions))
    let total = try database.read { db in
      try db.tableExists(table) ? try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(table)\"") ?? 0 : 0
    }
    let source = self
    return try DecisionPass.aggregate(groupings: request.groupings, reference: reference, makeSink: sinks) { add in
      var page = DecisionPage(after: nil, rowsRead: 0)
      repeat {
        page = try database.read { db in try source.decisions(after: page, in: db) }
        for decision in page.decisions { try add(decision) }
        request.progress?(page.rowsRead, total)
      } while !page.isLast
      return FileReconciliation(
        file: ContractFile.decisions.fileName, rowsRead: page.rowsRead, rowsAccepted: page.rowsRead,
        rowsRejected: 0, extraColumns: [])
    }
  }

  /// Decodes the page of decisions after `previous`: at most ``decisionsPerRead`` rows.
  private func decisions(after previous: DecisionPage, in db: Database) throws -> DecisionPage {
    let limit = max(1, decisionsPerRead)
    var page = DecisionPage(after: previous.lastRowID, rowsRead: previous.rowsRead)
    _ = try rows(of: .decisions, in: db, after: previous.lastRowID, limit: limit, line: previous.rowsRead) {
      row, rowID in
      page.decisions.append(try Decision(row))
      page.lastRowID = rowID
    }
    page.rowsRead += page.decisions.count
    page.isLast = page.decisions.count < limit
    return page
  }

  /// Every row of `type`'s table, decoded; `nil` when an optional table is absent.
  public func records<Record: ContractRecord>(_ type: Record.Type) throws -> RecordBatch<Record>? {
    try database.read { db in
      var records: [Record] = []
      guard let tally = try rows(of: Record.contractFile, in: db, { records.append(try Record($0)) }) else {
        return nil
      }
      return RecordBatch(records: records, reconciliation: tally)
    }
  }

  /// SHA-256 of each named file's table: its rows' fields as text, in insertion order (a
  /// database's hash, not the CSV file's: the report names the source it was read from).
  public func contentHashes(of files: [String]) throws -> [String: String] {
    try database.read { db in
      var hashes: [String: String] = [:]
      for name in files {
        guard let file = ContractFile.allCases.first(where: { $0.fileName == name }) else { continue }
        var hash = SHA256()
        _ = try rows(of: file, in: db) { row in
          hash.update(data: Data((row.record.fields.joined(separator: "\u{1F}") + "\n").utf8))
        }
        hashes[name] = ContentHash.hex(hash.finalize())
      }
      return hashes
    }
  }

  /// Reads `file`'s table in insertion order, each row as the contract's decoders read a CSV
  /// row (errors name the table and the row number); `nil` when an optional table is absent.
  private func rows(
    of file: ContractFile, in db: Database, _ body: (RowReader) throws -> Void
  ) throws -> FileReconciliation? {
    try rows(of: file, in: db, after: nil, limit: nil, line: 0) { row, _ in try body(row) }
  }

  /// Reads the rows of `file`'s table after rowid `after` (all: `nil`), at most `limit`, with
  /// their rowids; row numbers in errors count on from `line`.
  private func rows(
    of file: ContractFile, in db: Database, after: Int64?, limit: Int?, line: Int,
    _ body: (RowReader, Int64) throws -> Void
  ) throws -> FileReconciliation? {
    let table = SQLiteSchema.table(file)
    let place = "\(self.file.lastPathComponent) table \(table)"
    guard try db.tableExists(table) else {
      if file.isRequired { throw IngestionError(file: place, problem: "required table is missing") }
      return nil
    }
    let present = Set(try db.columns(in: table).map(\.name))
    let names = SQLiteSchema.columns(file).filter(present.contains)
    let header = try CSVHeader(
      CSVReader.Record(fields: names, line: 0), file: place, required: file.requiredColumns,
      optional: file.optionalColumns)
    let types = names.map(SQLiteSchema.type(of:))
    let columns = names.map { "\"\($0)\"" }.joined(separator: ", ")
    let range = after.map { "WHERE rowid > \($0) " } ?? ""
    let cap = limit.map { " LIMIT \($0)" } ?? ""
    let cursor = try Row.fetchCursor(
      db, sql: "SELECT \(columns), rowid FROM \"\(table)\" \(range)ORDER BY rowid\(cap)")
    var count = 0
    var fields: [String] = []
    fields.reserveCapacity(names.count)
    while let row = try cursor.next() {
      count += 1
      fields.removeAll(keepingCapacity: true)
      for index in names.indices {
        let value: DatabaseValue = row[index]
        fields.append(SQLiteField.text(value, as: types[index]))
      }
      try body(try RowReader(CSVReader.Record(fields: fields, line: line + count), header: header), row[names.count])
    }
    return FileReconciliation(
      file: file.fileName, rowsRead: count, rowsAccepted: count, rowsRejected: 0, extraColumns: [])
  }
}

/// One page of decisions read from the database, and where the next begins.
private struct DecisionPage: Sendable {
  var decisions: [Decision] = []
  /// The rowid of the page's last row (`nil`: before the first).
  var lastRowID: Int64?
  /// Rows read up to the end of this page.
  var rowsRead: Int
  /// Whether no row follows.
  var isLast = false

  init(after lastRowID: Int64?, rowsRead: Int) {
    self.lastRowID = lastRowID
    self.rowsRead = rowsRead
  }
}
