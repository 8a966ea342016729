import Foundation

/// A fast path over one reference file of the contract (`qa_audits.csv`: ``AuditScanner``;
/// `golden.csv`: ``GoldenScanner``): it splits a part of the file in place and checks every
/// field as the exact reader's decoding does, keeping a compact ``Part``. It accepts only what
/// the exact reader accepts, with the same values; at anything else it gives up and the exact
/// reader reads the file (``ContractFileReader/scannedParts(_:workers:rejectsKeptInPlace:)``).
protocol PartScanner: Sendable {
  /// What one part of the file keeps.
  associatedtype Part: Sendable
  /// A row as the exact reader decodes it.
  associatedtype Row: Sendable

  /// The file scanned.
  static var file: ContractFile { get }
  /// A scanner of a file with this header.
  init(header: CSVHeader)
  /// The rows of `buffer` (whole records), or `nil` at the first the scanner refuses (with
  /// `refused`, one it refuses whose end it found goes there first: see
  /// `RecordSplitter.split(_:refused:_:)`).
  func scan(_ buffer: UnsafeRawBufferPointer, refused: ((UnsafeRawBufferPointer) -> Bool)?) -> Part?
  /// Decodes a row as the exact reader does (a quarantine's test of a refused record).
  static func decode(_ row: RowReader) throws -> Row
  /// The part the exact reader's rows of one part make.
  static func part(of rows: [Row]) -> Part
  /// Rows in `part`.
  static func count(of part: Part) -> Int
}

extension ContractFileReader {
  /// The scanner's file as parts in file order, with its reconciliation (`nil`: absent). Each
  /// core scans its part in place; under a quarantine, a row with a bad value is quarantined in
  /// place (``InPlaceQuarantine``). When a part has anything else the scanner refuses, the
  /// exact reader reads the file under the policy (positioned errors, or rejects), so the parts
  /// are the same either way.
  func scannedParts<Scanner: PartScanner>(
    _ scanner: Scanner.Type, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
    rejectsKeptInPlace: Int = 10_000
  ) throws -> (parts: [Scanner.Part], tally: FileReconciliation)? {
    let file = Scanner.file
    guard let (data, header, ranges) = try recordParts(file, parts: workers) else { return nil }
    let quarantine: InPlaceQuarantine?
    if case .quarantine(let directory) = policy {
      var headerReader = CSVReader(data: data, name: file.fileName)
      quarantine = InPlaceQuarantine(
        file: file, header: header, headerBytes: try readHeader(file, &headerReader).0.raw,
        directory: directory, limit: rejectsKeptInPlace, decode: { _ = try Scanner.decode($0) })
    } else {
      quarantine = nil
    }
    let scanner = Scanner(header: header)
    let scanned = try ranges.concurrentMap { part in
      data.withUnsafeBytes { bytes -> (part: Scanner.Part, rejects: [InPlaceQuarantine.Reject])? in
        let start = Int(bitPattern: bytes.baseAddress!)
        var rejects: [InPlaceQuarantine.Reject] = []
        let refused = quarantine.map { quarantine in
          { (record: UnsafeRawBufferPointer) -> Bool in
            quarantine.keep(record, at: Int(bitPattern: record.baseAddress!) - start, in: &rejects)
          }
        }
        return scanner.scan(UnsafeRawBufferPointer(rebasing: bytes[part.range]), refused: refused).map {
          ($0, rejects)
        }
      }
    }
    if scanned.allSatisfy({ $0 != nil }) {
      let parts = scanned.map { $0!.part }
      let rejects = scanned.flatMap { $0!.rejects }  // parts are in file order
      if let quarantine, !rejects.isEmpty { try quarantine.write(rejects, of: try locate(file)!) }
      let count = parts.reduce(0) { $0 + Scanner.count(of: $1) }
      return (
        parts,
        FileReconciliation(
          file: file.fileName, rowsRead: count + rejects.count, rowsAccepted: count,
          rowsRejected: rejects.count, extraColumns: header.extraColumns)
      )
    }
    guard let read = try readParts(file, decode: Scanner.decode) else { return nil }
    return (read.parts.map(Scanner.part), read.tally)
  }
}
