import Dispatch
import Foundation

extension ContractFileReader {
  /// Reads a whole contract file into memory, decoding its rows on every core: the file is cut
  /// at record boundaries and each part is read by its own exact reader, positioned at the
  /// part's first line, so errors read exactly as in `read(_:decode:accept:)` (the first bad row
  /// of the file is the first of the earliest part that has one). Rows come back in file order.
  /// Quarantine keeps the serial reader (one rejects file, in file order). For reference files
  /// held in memory anyway (QA audits); `decisions.csv` streams through `DecisionPass`.
  public func readAll<Row: Sendable>(
    _ file: ContractFile, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
    decode: @escaping @Sendable (RowReader) throws -> Row
  ) throws -> (rows: [Row], tally: FileReconciliation)? {
    try readParts(file, workers: workers, decode: decode).map { ($0.parts.flatMap { $0 }, $0.tally) }
  }

  /// `readAll(_:workers:decode:)`'s rows as the parts the cores decoded, in file order, so that a
  /// caller that reduces them need not hold a concatenated copy too.
  public func readParts<Row: Sendable>(
    _ file: ContractFile, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
    decode: @escaping @Sendable (RowReader) throws -> Row
  ) throws -> (parts: [[Row]], tally: FileReconciliation)? {
    if case .quarantine = policy {
      var rows: [Row] = []
      guard let tally = try read(file, decode: decode, accept: { rows.append($0) }) else { return nil }
      return ([rows], tally)
    }
    guard let (data, header, parts) = try recordParts(file, parts: workers) else { return nil }
    let decoded = try parts.concurrentMap { part in
      // A slice shares the file's bytes (a copy per part doubled the memory of the read).
      var reader = CSVReader(data: data[part.range], name: file.fileName, firstLine: part.firstLine)
      var rows: [Row] = []
      while let record = try reader.next() { rows.append(try decode(try RowReader(record, header: header))) }
      return rows
    }
    let count = decoded.reduce(0) { $0 + $1.count }
    return (
      decoded,
      FileReconciliation(
        file: file.fileName, rowsRead: count, rowsAccepted: count, rowsRejected: 0, extraColumns: header.extraColumns)
    )
  }
}

extension ContractFileReader {
  /// A whole file's bytes, its header, and its records cut into `count` parts at record
  /// boundaries, or more when parts of at most about `partBytes` bytes take more (each part's
  /// byte range and the line it starts on, or 0 without `lineNumbers`: counting them reads
  /// every byte again); `nil` when an optional file is absent. Every reader that decodes or
  /// scans a file on every core cuts it here.
  func recordParts(
    _ file: ContractFile, parts count: Int, atMost partBytes: Int? = nil, lineNumbers: Bool = true
  ) throws -> (data: Data, header: CSVHeader, parts: [(range: Range<Int>, firstLine: Int)])? {
    guard let url = try locate(file) else { return nil }
    let data = try WholeFileRead.contents(of: url, name: file.fileName, workers: count)
    var headerReader = CSVReader(data: data, name: file.fileName)
    let header = try readHeader(file, &headerReader).1
    let bodyStart = data.withUnsafeBytes { bytes -> Int? in
      let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
      return RecordBoundaries.firstRecordEnd(in: UnsafeRawBufferPointer(rebasing: bytes[bom...])).map { bom + $0 }
    }
    guard let bodyStart else { return (data, header, []) }  // a header only, without a line end
    let bodyCount = data.count - bodyStart
    let count = max(1, count, partBytes.map { bodyCount / max(1, $0) } ?? 0)
    // The quotes of each part's equal slice are counted on every core (one core took 25 ms
    // over the 118 MB of `qa_audits.csv` at 10M decisions); the cuts then read only the bytes
    // around them.
    let quotes = try Array(0..<count).concurrentMap { slice in
      data.withUnsafeBytes { bytes in
        let body = UnsafeRawBufferPointer(rebasing: bytes[bodyStart...])
        return RecordBoundaries.quotes(
          in: UnsafeRawBufferPointer(rebasing: body[RecordBoundaries.slice(slice, of: count, in: bodyCount)]))
      }
    }
    let ranges = data.withUnsafeBytes { bytes in
      let body = UnsafeRawBufferPointer(rebasing: bytes[bodyStart...])
      let chunks = RecordBoundaries.plan(body, sliceCounts: quotes, atEnd: true).chunks
      return (chunks.isEmpty ? [0..<0] : chunks).map { (bodyStart + $0.lowerBound)..<(bodyStart + $0.upperBound) }
    }
    guard lineNumbers else { return (data, header, ranges.map { ($0, 0) }) }
    let parts: [(range: Range<Int>, firstLine: Int)] = data.withUnsafeBytes { bytes in
      var line = 1 + RecordBoundaries.lineFeeds(in: UnsafeRawBufferPointer(rebasing: bytes[0..<bodyStart]))
      return ranges.map { range in
        defer { line += RecordBoundaries.lineFeeds(in: UnsafeRawBufferPointer(rebasing: bytes[range])) }
        return (range, line)
      }
    }
    return (data, header, parts)
  }
}
