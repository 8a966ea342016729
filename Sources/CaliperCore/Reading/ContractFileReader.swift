import Foundation

/// What to do with a row that breaks the contract.
public enum BadRowPolicy: Sendable {
  /// Stop at the first bad row with `file:line:column: what is wrong (got "…")`.
  case strict
  /// Write bad rows verbatim to `directory/<file>.rejects.csv` with a `reason` column, and go on.
  case quarantine(directory: URL)
}

/// How one file's rows were accounted for: read = accepted + rejected, always.
public struct FileReconciliation: Sendable, Equatable, Codable {
  /// The file name.
  public var file: String
  /// Data rows read (the header not counted).
  public var rowsRead: Int
  /// Rows that met the contract.
  public var rowsAccepted: Int
  /// Rows quarantined.
  public var rowsRejected: Int
  /// Header columns the contract does not know.
  public var extraColumns: [String]

  /// Whether every row is accounted for.
  public var reconciles: Bool { rowsRead == rowsAccepted + rowsRejected }

  /// A file's accounting.
  public init(file: String, rowsRead: Int, rowsAccepted: Int, rowsRejected: Int, extraColumns: [String]) {
    self.file = file
    self.rowsRead = rowsRead
    self.rowsAccepted = rowsAccepted
    self.rowsRejected = rowsRejected
    self.extraColumns = extraColumns
  }
}

/// Reads one contract file from a data folder row by row, decoding each row and applying the
/// bad-row policy; memory stays flat in the number of rows.
public struct ContractFileReader {
  /// The data folder.
  public var folder: URL
  /// What happens to bad rows.
  public var policy: BadRowPolicy

  /// Creates a reader for `folder`.
  public init(folder: URL, policy: BadRowPolicy = .strict) {
    self.folder = folder
    self.policy = policy
  }

  /// Reads `file`, passing each decoded row to `accept`. Returns `nil` when an optional file is
  /// absent; a required file that is absent, an empty file or a bad header is always an error.
  public func read<Row>(
    _ file: ContractFile, decode: (RowReader) throws -> Row, accept: (Row) throws -> Void
  ) throws -> FileReconciliation? {
    guard let url = try locate(file) else { return nil }
    var reader = try CSVReader(url: url)
    let (headerRecord, header) = try readHeader(file, &reader)
    var tally = FileReconciliation(
      file: file.fileName, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, extraColumns: header.extraColumns)
    var rejects: RejectsWriter?
    while true {
      let outcome: Result<Row, any Error>
      let raw: [UInt8]
      do {
        guard let record = try reader.next() else { break }
        raw = record.raw
        outcome = Result { try decode(try RowReader(record, header: header)) }
      } catch let syntax as CSVSyntaxError {
        guard case .quarantine = policy else { throw syntax }
        let skipped = try reader.skipMalformedRecord()
        // A malformed record that runs over many lines is an unclosed quote swallowing the
        // rest of the file: quarantining it would hide every row after it, so it stops the run.
        let span = skipped.lastLine - skipped.line + 1
        if span > Self.maximumRejectedLines {
          throw CSVSyntaxError(
            file: file.fileName, line: skipped.line, column: 1,
            problem:
              "a malformed record runs over \(span) lines (to line \(skipped.lastLine)): \(syntax.problem); "
              + "not quarantined, since it would hide every row after it",
            got: nil)
        }
        raw = skipped.raw
        let kept =
          skipped.length > raw.count ? " (a record of \(skipped.length) bytes; its first \(raw.count) kept)" : ""
        outcome = .failure(MalformedRecord(syntax: syntax, note: kept))
      }
      tally.rowsRead += 1
      switch outcome {
      case .success(let row):
        try accept(row)
        tally.rowsAccepted += 1
      case .failure(let error):
        guard case .quarantine(let directory) = policy else { throw error }
        if rejects == nil {
          rejects = try RejectsWriter(directory: directory, file: file.fileName, header: headerRecord.raw)
        }
        try rejects!.write(raw: raw, reason: "\(error)")
        tally.rowsRejected += 1
      }
    }
    try rejects?.close()
    return tally
  }
}

/// A syntax error as a reject's reason, with a note when the record was cut to keep memory bounded.
struct MalformedRecord: Error, CustomStringConvertible {
  var syntax: CSVSyntaxError
  var note: String
  var description: String { "\(syntax)" + note }
}

extension ContractFileReader {
  /// A malformed record may run over at most this many lines and be quarantined; longer, it is
  /// an unclosed quote that would hide the rest of the file, and the run stops.
  public static let maximumRejectedLines = 100

  /// The file's URL; `nil` when an optional file is absent, an error when a required one is.
  func locate(_ file: ContractFile) throws -> URL? {
    let url = folder.appendingPathComponent(file.fileName)
    guard FileManager.default.fileExists(atPath: url.path) else {
      if file.isRequired {
        throw IngestionError(file: file.fileName, problem: "required file is missing from \(folder.path)")
      }
      return nil
    }
    _ = try RegularFile.size(of: url, name: file.fileName)
    return url
  }

  /// Reads and checks the header record; an empty file is an error.
  func readHeader(_ file: ContractFile, _ reader: inout CSVReader) throws -> (CSVReader.Record, CSVHeader) {
    guard let record = try reader.next() else {
      throw IngestionError(file: file.fileName, problem: "file is empty: a header row is required")
    }
    return (record, try file.header(record))
  }
}

/// Writes `<file>.rejects.csv`: the original header plus `reason`, then each bad row verbatim
/// with its reason appended as a quoted field.
struct RejectsWriter {
  private let handle: FileHandle

  init(directory: URL, file: String, header: [UInt8]) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(file + ".rejects.csv")
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
      throw IngestionError(file: file, problem: "cannot create the quarantine file \(url.path)")
    }
    handle = try FileHandle(forWritingTo: url)
    try handle.write(contentsOf: header + Array(",reason\n".utf8))
  }

  func write(raw: [UInt8], reason: String) throws {
    let quoted = "\"" + reason.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    try handle.write(contentsOf: raw + Array(("," + quoted + "\n").utf8))
  }

  func close() throws { try handle.close() }
}
