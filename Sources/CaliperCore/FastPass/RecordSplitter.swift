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
  /// Returns the records split, or `nil` at the first record refused or that `record` refuses
  /// (returns false for).
  @inline(__always)
  func split(
    _ buffer: UnsafeRawBufferPointer, _ record: (UnsafeMutableBufferPointer<UnsafeRawBufferPointer>) throws -> Bool
  ) rethrows -> Int? {
    guard let base = buffer.baseAddress else { return 0 }
    let end = base + buffer.count
    let fields = UnsafeMutableBufferPointer<UnsafeRawBufferPointer>.allocate(capacity: fieldCount)
    fields.initialize(repeating: UnsafeRawBufferPointer(start: nil, count: 0))
    defer { fields.deallocate() }
    // Unescaped copies of quoted fields with doubled quotes (rare), one reusable buffer a field.
    var scratch = [UnsafeMutableRawBufferPointer](
      repeating: UnsafeMutableRawBufferPointer(start: nil, count: 0), count: fieldCount)
    defer { for buffer in scratch { buffer.deallocate() } }
    var position = base
    var rows = 0
    while position < end {
      var column = 0
      var highBits: UInt8 = 0
      var highFlags: UInt32 = 0  // bit i: byte i of some 16 read had its high bit set
      let recordStart = position
      var contentEnd = end  // where the record's content ends (before its line end)
      while true {
        var fieldStart = position
        var fieldEnd: UnsafeRawPointer
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
          fieldEnd = position
          position += 1  // the closing quote
          let raw = UnsafeRawBufferPointer(start: fieldStart, count: fieldEnd - fieldStart)
          if target >= 0 {
            fields[target] = doubled ? unescape(raw, into: &scratch[target]) : raw
          }
        } else {
          // Sixteen bytes at a time up to the first separator or quote, then byte by byte. Most
          // fields are shorter than 16 bytes, so the loop mostly ends in its first round, which
          // the branch predictor learns (eight at a time, fields of 8 to 15 bytes took two).
          while position + 16 <= end {
            let (stops, high) = Self.classify(
              position.loadUnaligned(as: UInt64.self), position.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            if stops == 0 {
              highFlags |= high
              position += 16
              continue
            }
            let length = stops.trailingZeroBitCount  // bytes before the first stop
            highFlags |= high & (1 << UInt32(length) &- 1)
            position += length
            break
          }
          while position < end {
            let byte = position.load(as: UInt8.self)
            if byte == comma || byte == newline || byte == carriageReturn { break }
            if byte == quote { return nil }
            highBits |= byte
            position += 1
          }
          fieldEnd = position
          if target >= 0 { fields[target] = UnsafeRawBufferPointer(start: fieldStart, count: fieldEnd - fieldStart) }
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
      // A record the exact reader would refuse as too long is its to judge, so both readers
      // accept exactly the same records.
      guard column == columnCount, contentEnd - recordStart <= CSVReader.defaultMaximumRecordBytes else {
        return nil
      }
      if highBits >= 0x80 || highFlags != 0,
        String(validating: UnsafeRawBufferPointer(start: recordStart, count: position - recordStart), as: UTF8.self)
          == nil
      {
        return nil
      }
      guard try record(fields) else { return nil }
      rows += 1
    }
    return rows
  }

  /// For 16 bytes read as two words: bit `i` set where byte `i` is a comma, line feed, carriage
  /// return or quote (`stops`: exact up to the lowest set bit, all the scan uses), and where
  /// it is not ASCII (`high`). Plain integer arithmetic rather than `SIMD16<UInt8>`: that was
  /// no faster here when optimised, and unoptimised (debug builds, the tests) each of its lane
  /// operations was a generic call, tripling the tests' million-row passes.
  @inline(__always)
  private static func classify(_ first: UInt64, _ second: UInt64) -> (stops: UInt32, high: UInt32) {
    (gather(stops(in: first)) | gather(stops(in: second)) << 8, gather(first) | gather(second) << 8)
  }

  /// The top bit of each byte of `word` that is a comma, line feed, carriage return or quote;
  /// only the lowest is exact (a borrow can flag the byte above a match).
  @inline(__always)
  private static func stops(in word: UInt64) -> UInt64 {
    bytes(in: word, equalTo: 0x2C2C_2C2C_2C2C_2C2C) | bytes(in: word, equalTo: 0x0A0A_0A0A_0A0A_0A0A)
      | bytes(in: word, equalTo: 0x0D0D_0D0D_0D0D_0D0D) | bytes(in: word, equalTo: 0x2222_2222_2222_2222)
  }

  /// The high bit of each byte of `word` equal to the byte of `pattern` (repeated in every
  /// byte); only the lowest set bit is exact.
  @inline(__always)
  private static func bytes(in word: UInt64, equalTo pattern: UInt64) -> UInt64 {
    let difference = word ^ pattern
    return (difference &- 0x0101_0101_0101_0101) & ~difference & 0x8080_8080_8080_8080
  }

  /// The top bits of the eight bytes of `word` as an 8-bit mask (bit `i` from byte `i`),
  /// gathered into the top byte by one multiplication.
  @inline(__always)
  private static func gather(_ word: UInt64) -> UInt32 {
    UInt32(truncatingIfNeeded: ((word & 0x8080_8080_8080_8080) &* 0x0002_0408_1020_4081) >> 56)
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
