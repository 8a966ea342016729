import CaliperCore
import Foundation
import GRDB

/// Writes a data folder's contract files into an SQLite file as typed, indexed tables
/// (`caliper import`). Every row is decoded by the contract first: the first bad row stops the
/// import naming file, line and column, and nothing is written (a new file is built beside the
/// target and moved into place; an append is one transaction).
public struct SQLiteImporter {
  /// The data folder to read.
  public var folder: URL
  /// The database file to write.
  public var database: URL
  /// Whether to add the folder's rows to an existing file (new days): event tables gain rows,
  /// while the snapshot tables (policies, queues, moderators) are replaced by the folder's.
  public var append: Bool

  /// An import of `folder` into `database`.
  public init(folder: URL, into database: URL, append: Bool = false) {
    self.folder = folder
    self.database = database
    self.append = append
  }

  /// Tables a folder replaces when appended: they describe the present, not events.
  static let snapshots: Set<ContractFile> = [.policies, .queues, .moderators]

  /// Imports every contract file the folder has; returns how each reconciled, in contract order.
  @discardableResult
  public func run() throws -> [FileReconciliation] {
    let exists = FileManager.default.fileExists(atPath: database.path)
    if append {
      guard exists else {
        throw IngestionError(file: database.lastPathComponent, problem: "cannot append: no such database file")
      }
      return try write(into: database)
    }
    guard !exists else {
      throw IngestionError(
        file: database.lastPathComponent, problem: "already exists: append new days with --append, or remove it first")
    }
    let building = database.deletingLastPathComponent()
      .appendingPathComponent(".\(database.lastPathComponent).importing-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: building) }
    let tallies = try write(into: building)
    try FileManager.default.moveItem(at: building, to: database)
    return tallies
  }

  /// Writes every file in one transaction.
  private func write(into file: URL) throws -> [FileReconciliation] {
    var configuration = Configuration()
    configuration.label = "caliper-import"
    // A report may be reading the file being appended to: wait for it, do not fail.
    configuration.busyMode = .timeout(30)
    let queue = try DatabaseQueue(path: file.path, configuration: configuration)
    defer { try? queue.close() }
    let reader = ContractFileReader(folder: folder, policy: .strict)
    return try queue.write { db in
      var tallies: [FileReconciliation] = []
      for contract in ContractFile.allCases {
        for statement in SQLiteSchema.create(contract) { try db.execute(sql: statement) }
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(contract.fileName).path) else {
          if contract.isRequired, !append {
            throw IngestionError(file: contract.fileName, problem: "required file is missing from \(folder.path)")
          }
          continue
        }
        let table = SQLiteSchema.table(contract)
        if append, Self.snapshots.contains(contract) { try db.execute(sql: "DELETE FROM \"\(table)\"") }
        let columns = SQLiteSchema.columns(contract)
        let types = columns.map(SQLiteSchema.type(of:))
        let insert = try db.makeStatement(
          sql: "INSERT INTO \"\(table)\" (\(columns.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")")
        let tally = try reader.read(
          contract,
          decode: { row -> [DatabaseValue] in
            try Self.validate(contract, row)
            return try zip(columns, types).map { column, type in
              SQLiteField.value(try row.optionalString(column) ?? "", as: type)
            }
          },
          accept: { values in try insert.execute(arguments: StatementArguments(values)) })
        if let tally { tallies.append(tally) }
      }
      return tallies
    }
  }

  /// Decodes the row as its file's record, for the errors alone.
  private static func validate(_ file: ContractFile, _ row: RowReader) throws {
    switch file {
    case .decisions: _ = try Decision(row)
    case .policies: _ = try PolicyLabel(row)
    case .queues: _ = try Queue(row)
    case .moderators: _ = try Moderator(row)
    case .qaAudits: _ = try QAAudit(row)
    case .golden: _ = try GoldenItem(row)
    case .calibration: _ = try CalibrationRating(row)
    case .training: _ = try TrainingRecord(row)
    case .incidents: _ = try Incident(row)
    case .redteam: _ = try RedTeamCase(row)
    case .vendorReports: _ = try VendorReport(row)
    }
  }
}
