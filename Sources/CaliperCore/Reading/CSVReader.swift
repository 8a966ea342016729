import Foundation

/// A syntax error in a CSV file, positioned as `file:line:column: what is wrong (got "…")`.
public struct CSVSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file's name as given to the reader.
  public var file: String
  /// The 1-based physical line of the offending byte.
  public var line: Int
  /// The 1-based byte column in that line.
  public var column: Int
  /// What is wrong.
  public var problem: String
  /// The text found there, when it helps.
  public var got: String?

  /// `decisions.csv:12:7: unterminated quoted field (got "\"abc")`.
  public var description: String {
    "\(file):\(line):\(column): \(problem)" + (got.map { " (got \"\($0)\")" } ?? "")
  }
}

/// A streaming RFC 4180 reader: UTF-8 with an optional byte-order mark, comma separated, quoted
/// fields with doubled quotes, embedded line breaks in quotes, LF or CRLF line ends. It reads the
/// file in chunks (memory stays flat whatever the file's size) and hands out one record at a time.
///
/// Hand-written rather than SwiftCSV or CSV.swift because ingestion needs exact error positions
/// (line and column of the offending byte), the raw bytes of a rejected record for quarantine
/// files, and streaming over files larger than memory, and because both are slower
/// (`caliper-bench csv`, the same 60 MB of decision rows, every field decoded to a `String`, one
/// core): this reader 85 MB/s, yaslab/CSV.swift 2.5 32 MB/s, SwiftCSV 0.10 12 MB/s (both
/// libraries with the whole text in memory). `decisions.csv`, the large file, takes the in-place
/// parallel path instead (`DecisionPass`: 310–520 MB/s on two cores, parse + join + aggregate,
/// `caliper-bench ingest`), which falls back to this reader for exact errors.
public struct CSVReader {
  /// One record: its fields, the physical line it starts on, and its raw bytes (for quarantine).
  public struct Record: Sendable, Equatable {
    /// The fields, decoded as UTF-8.
    public var fields: [String]
    /// The 1-based physical line where the record starts.
    public var line: Int
    /// The record's bytes as they were in the file, without the line end.
    public var raw: [UInt8]

    /// A record read from elsewhere (a database row as text fields), numbered `line`.
    public init(fields: [String], line: Int, raw: [UInt8] = []) {
      self.fields = fields
      self.line = line
      self.raw = raw
    }
  }

  private let name: String
  private let source: any ByteSource
  private var buffer: [UInt8] = []
  private var position = 0
  private var atEnd = false
  private var line = 1
  private var lineStart = 0  // offset of the current physical line's first byte, in consumed bytes
  private var consumed = 0  // bytes consumed before `buffer`
  private var startedFile = false
  /// The bytes of the record being read (kept for quarantine after a syntax error).
  private var raw: [UInt8] = []
  /// The line the record being read starts on.
  private var recordLine = 1
  /// The largest record either reader accepts by default, in bytes (its content, without the
  /// line end): the exact reader here and the fast decisions scanner enforce the same bound.
  public static let defaultMaximumRecordBytes = 16 << 20
  /// Largest record accepted, in bytes: a guard against a runaway quote swallowing the file.
  public var maximumRecordBytes = defaultMaximumRecordBytes
  /// Bytes read from the source at a time.
  public var chunkSize = 1 << 20

  /// Reads the file at `url`; `name` is how errors refer to it.
  public init(url: URL, name: String? = nil) throws {
    self.name = name ?? url.lastPathComponent
    source = try FileByteSource(url: url)
  }

  /// Reads bytes held in memory (tests, small inputs).
  public init(data: Data, name: String) {
    self.name = name
    source = DataByteSource(data: data)
  }

  /// Reads a slice of a file held in memory that starts at a record start on physical line
  /// `firstLine`, so that errors carry the file's own line numbers. A byte-order mark is only
  /// one at the start of a file: here its bytes are the record's, as for a reader of the file.
  init(data: Data, name: String, firstLine: Int) {
    self.init(data: data, name: name)
    line = firstLine
    recordLine = firstLine
    startedFile = true
  }

  /// The next record, or `nil` at the end of the file. A blank last line is not a record.
  public mutating func next() throws -> Record? {
    if !startedFile {
      startedFile = true
      try refill()
      // Gather the first three bytes, whatever the chunk size, to recognise a byte-order mark.
      while buffer.count < 3, !atEnd {
        let more = try source.read(maximum: chunkSize)
        if more.isEmpty { break }
        buffer += more
      }
      if buffer.count - position >= 3, buffer[position] == 0xEF, buffer[position + 1] == 0xBB,
        buffer[position + 2] == 0xBF
      {
        position += 3
        lineStart = 3
      }
    }
    guard try peek() != nil else { return nil }
    let startLine = line
    var fields: [String] = []
    var field: [UInt8] = []
    raw.removeAll(keepingCapacity: true)
    recordLine = line
    var fieldStartColumn = column
    while true {
      guard let byte = try peek() else {
        fields.append(try decode(field, line: startLine, column: fieldStartColumn))
        return Record(fields: fields, line: startLine, raw: raw)
      }
      if byte == UInt8(ascii: "\"") && field.isEmpty {
        // A quoted field.
        let openLine = line
        let openColumn = column
        advance()
        while true {
          guard let inner = try peek() else {
            throw CSVSyntaxError(
              file: name, line: openLine, column: openColumn, problem: "unterminated quoted field",
              got: String(decoding: ([UInt8(ascii: "\"")] + field).prefix(40), as: UTF8.self))
          }
          advance()
          if inner == UInt8(ascii: "\"") {
            if try peek() == UInt8(ascii: "\"") {
              advance()
              field.append(inner)
              continue
            }
            break
          }
          if inner == UInt8(ascii: "\n") { newLine() }
          field.append(inner)
          try checkSize(raw, line: openLine)
        }
        // After the closing quote: a separator, a line end or the end of the file.
        if let after = try peek(), after != UInt8(ascii: ","), after != UInt8(ascii: "\n"),
          after != UInt8(ascii: "\r")
        {
          throw CSVSyntaxError(
            file: name, line: line, column: column, problem: "unexpected character after a closing quote",
            got: String(decoding: [after], as: UTF8.self))
        }
        continue
      }
      switch byte {
      case UInt8(ascii: ","):
        advance()
        fields.append(try decode(field, line: startLine, column: fieldStartColumn))
        field.removeAll(keepingCapacity: true)
        fieldStartColumn = column
      case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
        if byte == UInt8(ascii: "\r") {
          // The contract's line ends are LF and CRLF: a lone CR is no record end, and taking it
          // for one would split a malformed record in two (and lose the byte from its reject).
          guard try peekSecond() == UInt8(ascii: "\n") else {
            throw CSVSyntaxError(
              file: name, line: line, column: column, problem: "a carriage return not followed by a line feed",
              got: nil)
          }
          position += 1
        }
        position += 1
        newLine()
        fields.append(try decode(field, line: startLine, column: fieldStartColumn))
        return Record(fields: fields, line: startLine, raw: raw)
      case UInt8(ascii: "\""):
        throw CSVSyntaxError(
          file: name, line: line, column: column, problem: "quote inside an unquoted field (quote the whole field)",
          got: String(decoding: field + [byte], as: UTF8.self))
      default:
        // The run of plain bytes up to the next separator, line end or quote in the buffer, at
        // once: byte by byte, this loop was most of the exact reader's time. The run stops
        // where byte-by-byte reading would have found the record too long, so the error and
        // what `skipMalformedRecord()` keeps are the same.
        let limit = min(buffer.count, position + max(1, maximumRecordBytes + 1 - raw.count))
        var end = position + 1
        while end < limit, !Self.endsPlainRun(buffer[end]) { end += 1 }
        field.append(contentsOf: buffer[position..<end])
        raw.append(contentsOf: buffer[position..<end])
        position = end
        try checkSize(raw, line: startLine)
      }
    }
  }

  /// The most bytes of a malformed record that ``skipMalformedRecord()`` keeps: a reject keeps
  /// this much of a longer record and says how long it was, so memory stays bounded whatever
  /// the input (a 2 GB file without a line end is one "record").
  public static let keptMalformedBytes = 64 << 10

  /// After a syntax error: the malformed record's bytes up to the end of its line (consumed, so
  /// reading can go on with the next line; at most ``keptMalformedBytes`` of them kept), its
  /// whole length in bytes, and the lines it started and ended on. An unterminated quote has
  /// already consumed the rest of the file, which is then the whole rejected record.
  public mutating func skipMalformedRecord() throws -> (raw: [UInt8], line: Int, length: Int, lastLine: Int) {
    var length = raw.count
    if raw.count > Self.keptMalformedBytes { raw.removeSubrange(Self.keptMalformedBytes...) }
    var lastLine: Int?  // set when a line feed ends the record
    while let byte = try peek() {
      position += 1
      if byte == UInt8(ascii: "\n") {
        if raw.last == UInt8(ascii: "\r"), raw.count == min(length, Self.keptMalformedBytes) {
          raw.removeLast()  // a CRLF line end
          length -= 1
        }
        lastLine = line
        newLine()
        break
      }
      length += 1
      if raw.count < Self.keptMalformedBytes { raw.append(byte) }  // every byte, a lone CR included
    }
    // At the end of the input: the last line that holds a byte of the record.
    let last = lastLine ?? max(recordLine, consumed + position > lineStart ? line : line - 1)
    let result = (raw, recordLine, length, last)
    raw.removeAll(keepingCapacity: true)
    return result
  }

  // MARK: Byte access

  /// A separator, a line end or a quote: the bytes that end a run of an unquoted field.
  @inline(__always)
  private static func endsPlainRun(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\"")
  }

  private var column: Int { consumed + position - lineStart + 1 }

  private mutating func newLine() {
    line += 1
    lineStart = consumed + position
  }

  private mutating func advance() {
    raw.append(buffer[position])
    position += 1
  }

  private mutating func peek() throws -> UInt8? {
    if position >= buffer.count {
      if atEnd { return nil }
      try refill()
      if position >= buffer.count { return nil }
    }
    return buffer[position]
  }

  /// The byte after the current one (refilling keeps the current byte in the buffer).
  private mutating func peekSecond() throws -> UInt8? {
    if position + 1 < buffer.count { return buffer[position + 1] }
    if atEnd { return nil }
    let current = buffer[position]
    consumed += position
    let more = try source.read(maximum: chunkSize)
    if more.isEmpty { atEnd = true }
    buffer = [current] + more
    position = 0
    return buffer.count > 1 ? buffer[1] : nil
  }

  private mutating func refill() throws {
    consumed += position
    buffer = try source.read(maximum: chunkSize)
    position = 0
    if buffer.isEmpty { atEnd = true }
  }

  private func checkSize(_ raw: [UInt8], line: Int) throws {
    if raw.count > maximumRecordBytes {
      throw CSVSyntaxError(
        file: name, line: line, column: 1,
        problem: "record longer than \(maximumRecordBytes) bytes (an unclosed quote?)", got: nil)
    }
  }

  private func decode(_ bytes: [UInt8], line: Int, column: Int) throws -> String {
    // ASCII (nearly every field: ids, labels, numbers, timestamps) needs no validation, and
    // the generic `String(validating:)` was a tenth of reading `qa_audits.csv`.
    if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw CSVSyntaxError(
        file: name, line: line, column: column, problem: "invalid UTF-8",
        got: String(decoding: bytes.prefix(40), as: UTF8.self))
    }
    return text
  }
}

/// Where a reader gets its bytes.
protocol ByteSource {
  /// Up to `maximum` bytes; empty at the end.
  func read(maximum: Int) throws -> [UInt8]
}

/// A file read in chunks.
final class FileByteSource: ByteSource {
  private let handle: FileHandle

  init(url: URL) throws { handle = try FileHandle(forReadingFrom: url) }

  deinit { try? handle.close() }

  func read(maximum: Int) throws -> [UInt8] {
    guard let data = try handle.read(upToCount: maximum) else { return [] }
    return [UInt8](data)
  }
}

/// Bytes in memory, handed out in chunks like a file.
final class DataByteSource: ByteSource {
  private let data: Data
  private var offset = 0

  init(data: Data) { self.data = data }

  func read(maximum: Int) throws -> [UInt8] {
    let end = min(data.count, offset + maximum)
    defer { offset = end }
    return [UInt8](data[data.startIndex + offset..<data.startIndex + end])
  }
}
