/// The in-place CSV record splitter of the fast paths (``DecisionScanner``, ``AuditScanner``):
/// cuts a buffer of whole records into fields without copying, keeping the fields a scanner
/// reads, and refuses exactly what the exact reader (`CSVReader`) refuses or may read
/// differently: a quote inside an unquoted field, an unclosed quote, a lone carriage return,
/// a record with another number of fields than the header, a record longer than
/// `CSVReader.defaultMaximumRecordBytes`, invalid UTF-8. A refusal is not an error: the caller
/// reads the file again with the exact reader, which reports or quarantines.
struct RecordSplitter {
  /// For each column of the file, the field it holds (-1: not read).
  let fieldOfColumn: [Int]
  let columnCount: Int
  /// Fields kept per record.
  let fieldCount: Int

  /// A splitter keeping, of the header's columns, those named in `fields` (by their order).
  init(header: CSVHeader, fields: [String]) {
    var fieldOfColumn = Array(repeating: -1, count: header.names.count)
    for (index, column) in fields.enumerated() {
      if let position = header.position(of: column) { fieldOfColumn[position] = index }
    }
    self.fieldOfColumn = fieldOfColumn
    columnCount = header.names.count
    fieldCount = fields.count
  }

  /// Splits the records of `buffer` (which starts at a record start and ends at a record end)
  /// and calls `record` with each one's kept fields (an absent column's is empty), in order.
  /// Returns the records `record` took, or `nil` at the first record refused or that `record`
  /// refuses (returns false for). With `refused`, a record whose end was found but that was
  /// refused there (its column count, length or UTF-8) or by `record` goes to `refused` with its
  /// bytes (line end included), which returns true to skip it and go on.
  ///
  /// Every byte is classified once, 64 at a time, into a bit mask of the bytes that matter
  /// (commas, line ends, quotes, non-ASCII bytes: ``StopMask``), and fields are cut from one set
  /// bit to the next. A record with a quote is split by ``splitRecord(at:_:_:_:)``, the byte by
  /// byte reading of quoted fields. Field by field, each field's first 16 bytes were classified
  /// on their own, and the branches on where a field ended mispredicted: the splitter was a
  /// quarter of a 10M-decision scorecard run's cycles.
  @inline(__always)
  func split(
    _ buffer: UnsafeRawBufferPointer, refused: ((UnsafeRawBufferPointer) -> Bool)? = nil,
    _ record: (UnsafeMutableBufferPointer<UnsafeRawBufferPointer>) throws -> Bool
  ) rethrows -> Int? {
    guard let base = buffer.baseAddress else { return 0 }
    let end = base + buffer.count
    return try withFieldBuffers { fields, scratch in
      // The field each column holds, with -1 past the last column (records with too many fields
      // are refused once counted).
      let targets = UnsafeMutableBufferPointer<Int>.allocate(capacity: columnCount + 1)
      defer { targets.deallocate() }
      for column in 0..<columnCount { targets[column] = fieldOfColumn[column] }
      targets[columnCount] = -1
      var stops = StopMask(buffer)
      var position = base
      var rows = 0
      while position < end {
        let recordStart = position
        var column = 0
        var fieldStart = position
        var nonASCII = false
        var contentEnd = end
        var next = end
        cutting: while true {
          let stop = stops.next()
          let byte: UInt8 = stop < end ? stop.load(as: UInt8.self) : newline
          if byte >= 0x80 {
            nonASCII = true
            continue
          }
          let target = targets[min(column, columnCount)]
          if target >= 0 { fields[target] = UnsafeRawBufferPointer(start: fieldStart, count: stop - fieldStart) }
          column += 1
          switch byte {
          case comma:
            fieldStart = stop + 1
          case newline:
            contentEnd = stop
            next = min(stop + 1, end)
            break cutting
          case carriageReturn:
            guard stop + 1 < end, (stop + 1).load(as: UInt8.self) == newline else { return nil }
            _ = stops.next()  // the line feed
            contentEnd = stop
            next = stop + 2
            break cutting
          default:  // a quote: this record byte by byte
            guard let split = splitRecord(at: recordStart, end: end, fields, &scratch) else { return nil }
            (column, contentEnd, next, nonASCII) = (split.columns, split.contentEnd, split.next, split.nonASCII)
            stops.restart(at: next)
            break cutting
          }
        }
        if accepts(from: recordStart, columns: column, contentEnd: contentEnd, next: next, nonASCII: nonASCII),
          try record(fields)
        {
          rows += 1
        } else {
          guard let refused, refused(UnsafeRawBufferPointer(start: recordStart, count: next - recordStart)) else {
            return nil
          }
        }
        position = next
      }
      return rows
    }
  }

  /// The records of `buffer` split one by one with ``splitRecord(at:_:_:_:)`` (what `split`
  /// does for records with quotes): the reference `split` is tested against.
  func splitRecordByRecord(
    _ buffer: UnsafeRawBufferPointer, _ record: (UnsafeMutableBufferPointer<UnsafeRawBufferPointer>) throws -> Bool
  ) rethrows -> Int? {
    guard let base = buffer.baseAddress else { return 0 }
    let end = base + buffer.count
    return try withFieldBuffers { fields, scratch in
      var position = base
      var rows = 0
      while position < end {
        guard let split = splitRecord(at: position, end: end, fields, &scratch),
          accepts(
            from: position, columns: split.columns, contentEnd: split.contentEnd, next: split.next,
            nonASCII: split.nonASCII),
          try record(fields)
        else { return nil }
        rows += 1
        position = split.next
      }
      return rows
    }
  }

  /// Whether a record split from `recordStart` is one the exact reader accepts as it is: the
  /// header's column count, a length within the exact reader's cap (a longer record is its to
  /// judge, so both readers accept exactly the same records), and valid UTF-8 when it has
  /// non-ASCII bytes (`next` is where the next record starts).
  @inline(__always)
  private func accepts(
    from recordStart: UnsafeRawPointer, columns: Int, contentEnd: UnsafeRawPointer, next: UnsafeRawPointer,
    nonASCII: Bool
  ) -> Bool {
    guard columns == columnCount, contentEnd - recordStart <= CSVReader.defaultMaximumRecordBytes else { return false }
    return !nonASCII
      || String(validating: UnsafeRawBufferPointer(start: recordStart, count: next - recordStart), as: UTF8.self) != nil
  }

  /// Calls `body` with room for the kept fields (empty) and, per field, a buffer for
  /// unescaped copies of quoted fields with doubled quotes (rare); both freed after.
  @inline(__always)
  private func withFieldBuffers<Result>(
    _ body: (UnsafeMutableBufferPointer<UnsafeRawBufferPointer>, inout [UnsafeMutableRawBufferPointer]) throws -> Result
  ) rethrows -> Result {
    let fields = UnsafeMutableBufferPointer<UnsafeRawBufferPointer>.allocate(capacity: fieldCount)
    fields.initialize(repeating: UnsafeRawBufferPointer(start: nil, count: 0))
    defer { fields.deallocate() }
    var scratch = [UnsafeMutableRawBufferPointer](
      repeating: UnsafeMutableRawBufferPointer(start: nil, count: 0), count: fieldCount)
    defer { for buffer in scratch { buffer.deallocate() } }
    return try body(fields, &scratch)
  }

  /// One record read byte by byte from `recordStart`, quoted fields included: its kept fields
  /// put in `fields` (unescaped copies in `scratch`), its column count, where its content ends
  /// (before its line end), where the next record starts, and whether it has non-ASCII bytes;
  /// `nil` for a quote inside an unquoted field, an unclosed quote or a lone carriage return.
  private func splitRecord(
    at recordStart: UnsafeRawPointer, end: UnsafeRawPointer,
    _ fields: UnsafeMutableBufferPointer<UnsafeRawBufferPointer>, _ scratch: inout [UnsafeMutableRawBufferPointer]
  ) -> (columns: Int, contentEnd: UnsafeRawPointer, next: UnsafeRawPointer, nonASCII: Bool)? {
    var position = recordStart
    var column = 0
    var highBits: UInt8 = 0
    var contentEnd = end
    while true {
      var fieldStart = position
      let target = column < columnCount ? fieldOfColumn[column] : -1
      if position < end, position.load(as: UInt8.self) == quote {
        // Quoted: find the closing quote; doubled quotes need unescaping (into scratch).
        position += 1
        fieldStart = position
        var doubled = false
        while true {
          guard position < end else { return nil }
          let byte = position.load(as: UInt8.self)
          highBits |= byte
          if byte == quote {
            if position + 1 < end, (position + 1).load(as: UInt8.self) == quote {
              doubled = true
              position += 2
              continue
            }
            break
          }
          position += 1
        }
        let raw = UnsafeRawBufferPointer(start: fieldStart, count: position - fieldStart)
        position += 1  // the closing quote
        if target >= 0 { fields[target] = doubled ? unescape(raw, into: &scratch[target]) : raw }
      } else {
        while position < end {
          let byte = position.load(as: UInt8.self)
          if byte == comma || byte == newline || byte == carriageReturn { break }
          if byte == quote { return nil }
          highBits |= byte
          position += 1
        }
        if target >= 0 { fields[target] = UnsafeRawBufferPointer(start: fieldStart, count: position - fieldStart) }
      }
      column += 1
      if position == end { break }
      let separator = position.load(as: UInt8.self)
      position += 1
      if separator == comma { continue }
      contentEnd = position - 1
      if separator == carriageReturn {
        guard position < end, position.load(as: UInt8.self) == newline else { return nil }
        position += 1
      } else if separator != newline {
        return nil
      }
      break
    }
    return (column, contentEnd, position, highBits >= 0x80)
  }

  /// Copies a quoted field's content with each doubled quote made single into `storage`
  /// (grown as needed; the caller deallocates it).
  private func unescape(
    _ bytes: UnsafeRawBufferPointer, into storage: inout UnsafeMutableRawBufferPointer
  ) -> UnsafeRawBufferPointer {
    if storage.count < bytes.count {
      storage.deallocate()
      storage = .allocate(byteCount: bytes.count, alignment: 1)
    }
    var count = 0
    var skipNext = false
    for byte in bytes {
      if skipNext {
        skipNext = false
        continue
      }
      storage[count] = byte
      count += 1
      if byte == quote { skipNext = true }
    }
    return UnsafeRawBufferPointer(start: storage.baseAddress, count: count)
  }
}
