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

/// What ``ContractFileReader/scannedParts(_:workers:rejectsKeptInPlace:partBytes:consume:)``
/// hands over, in file order.
enum ScannedPart<Part> {
  /// The next part; `of` parts in all.
  case part(Part, of: Int)
  /// Forget the parts handed over so far: a part had something the scanner refuses, so the
  /// exact reader read the file, and its parts follow.
  case startOver
}

extension ContractFileReader {
  /// The scanner's file as parts in file order, with its reconciliation (`nil`: absent): one
  /// part per worker (see ``scannedParts(_:workers:rejectsKeptInPlace:partBytes:consume:)``).
  func scannedParts<Scanner: PartScanner>(
    _ scanner: Scanner.Type, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
    rejectsKeptInPlace: Int = 10_000
  ) throws -> (parts: [Scanner.Part], tally: FileReconciliation)? {
    var parts: [Scanner.Part] = []
    let tally = try scannedParts(scanner, workers: workers, rejectsKeptInPlace: rejectsKeptInPlace) { event in
      switch event {
      case .part(let part, _): parts.append(part)
      case .startOver: parts = []
      }
    }
    return tally.map { (parts, $0) }
  }

  /// Scans the scanner's file in parts on every core and hands them to `consume` on the
  /// calling thread in file order, each as soon as it and every one before it are scanned
  /// (``Swift/Array/concurrentlyMapped(workers:_:consume:)``), so that what `consume` does
  /// overlaps the scanning of later parts; returns the file's reconciliation (`nil`: absent).
  /// Parts are of about `partBytes` bytes each (`nil`: one per worker). Under a quarantine, a
  /// row with a bad value is quarantined in place (``InPlaceQuarantine``), up to
  /// `rejectsKeptInPlace` rows in all. When a part has anything else the scanner refuses, or
  /// the file more rejects, `consume` gets ``ScannedPart/startOver`` and then the
  /// parts of the exact reader, which reads the file under the policy (positioned errors, or
  /// rejects): what is consumed in the end is the same either way.
  func scannedParts<Scanner: PartScanner>(
    _ scanner: Scanner.Type, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
    rejectsKeptInPlace: Int = 10_000, partBytes: Int? = nil, consume: (ScannedPart<Scanner.Part>) throws -> Void
  ) throws -> FileReconciliation? {
    let file = Scanner.file
    guard
      let (data, header, ranges) = try recordParts(
        file, parts: workers, atMost: partBytes, lineNumbers: false)
    else { return nil }
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
    var (count, rejects, complete) = (0, [InPlaceQuarantine.Reject](), true)
    try ranges.concurrentlyMapped(workers: workers) { part in
      data.withUnsafeBytes { bytes -> (part: Scanner.Part, rejects: [InPlaceQuarantine.Reject])? in
        let start = Int(bitPattern: bytes.baseAddress!)
        var rejects: [InPlaceQuarantine.Reject] = []
        let refused = quarantine.map { quarantine in
          { (record: UnsafeRawBufferPointer) -> Bool in
            quarantine.keep(record, at: Int(bitPattern: record.baseAddress!) - start, in: &rejects)
          }
        }
        let scanned = scanner.scan(UnsafeRawBufferPointer(rebasing: bytes[part.range]), refused: refused)
        // Nothing reads a part's bytes once it is scanned (the exact reader reads the file anew).
        WholeFileRead.release(part.range, of: data)
        return scanned.map { ($0, rejects) }
      }
    } consume: { scanned in
      guard let scanned else {
        complete = false
        return false
      }
      rejects += scanned.rejects  // parts are in file order
      // The limit holds for the rejects of the whole file, whatever the number of parts.
      guard rejects.count <= rejectsKeptInPlace else {
        complete = false
        return false
      }
      count += Scanner.count(of: scanned.part)
      try consume(.part(scanned.part, of: ranges.count))
      return true
    }
    if complete {
      if let quarantine, !rejects.isEmpty { try quarantine.write(rejects, of: try locate(file)!) }
      return FileReconciliation(
        file: file.fileName, rowsRead: count + rejects.count, rowsAccepted: count,
        rowsRejected: rejects.count, extraColumns: header.extraColumns)
    }
    try consume(.startOver)
    guard let read = try readParts(file, decode: Scanner.decode) else { return nil }
    for part in read.parts { try consume(.part(Scanner.part(of: part), of: read.parts.count)) }
    return read.tally
  }
}
