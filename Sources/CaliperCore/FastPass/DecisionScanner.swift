/// The fast path over `decisions.csv`: scans a buffer of whole records in place (no `String`
/// per field), decodes the fields the pass uses and hands each row on as a `DecisionRow`.
///
/// It accepts only what the exact reader (`CSVReader` + `RowReader` + `Decision.init`) accepts
/// with the same values; anything else (a syntax error, a bad field, a blank line, invalid
/// UTF-8) makes it stop with `.anomaly`, and the pass re-reads the file with the exact reader,
/// which reports the error with its line and column or quarantines the row. Clean files, the
/// common case, never pay for error positions.
struct DecisionScanner {
  enum Outcome {
    case rows(Int)
    case anomaly
  }

  /// The fields the pass reads, in `DecisionRow` order.
  enum Field: Int, CaseIterable {
    case decisionID, itemID, queue, market, vendor, site, moderator, enqueuedAt, decidedAt, handleSeconds
    case label, aiLabel, aiConfidence, aiAssisted, modelVersion

    var column: String {
      switch self {
      case .decisionID: "decision_id"
      case .itemID: "item_id"
      case .queue: "queue"
      case .market: "market"
      case .vendor: "vendor"
      case .site: "site"
      case .moderator: "moderator_id"
      case .enqueuedAt: "enqueued_at"
      case .decidedAt: "decided_at"
      case .handleSeconds: "handle_seconds"
      case .label: "label"
      case .aiLabel: "ai_label"
      case .aiConfidence: "ai_confidence"
      case .aiAssisted: "ai_assisted"
      case .modelVersion: "model_version"
      }
    }
  }

  /// For each column of the file, the field it holds (-1: not read).
  private let fieldOfColumn: [Int]
  private let columnCount: Int

  init(header: CSVHeader) {
    var fieldOfColumn = Array(repeating: -1, count: header.names.count)
    for field in Field.allCases {
      if let position = header.position(of: field.column) { fieldOfColumn[position] = field.rawValue }
    }
    self.fieldOfColumn = fieldOfColumn
    columnCount = header.names.count
  }

  /// Rows handed on per call of the body of `scan` (the last call may have fewer).
  static let batchSize = 64

  /// Scans the records of `buffer` (which starts at a record start and ends at a record end),
  /// handing rows on in batches of up to `batchSize`, in file order. After an anomaly, rows
  /// decoded but not yet handed on are dropped: the pass starts over with the exact reader.
  func scan(
    _ buffer: UnsafeRawBufferPointer, dictionary: RowDictionary,
    _ body: (UnsafeBufferPointer<DecisionRow>) throws -> Void
  ) rethrows -> Outcome {
    guard let base = buffer.baseAddress else { return .rows(0) }
    let end = base + buffer.count
    let fields = UnsafeMutableBufferPointer<UnsafeRawBufferPointer>.allocate(capacity: Field.allCases.count)
    fields.initialize(repeating: UnsafeRawBufferPointer(start: nil, count: 0))
    defer { fields.deallocate() }
    let batch = UnsafeMutableBufferPointer<DecisionRow>.allocate(capacity: Self.batchSize)
    defer { batch.deallocate() }  // rows are trivial values: nothing to deinitialize
    var batched = 0
    var dates = DateCache()  // per call: each worker scans its own chunk
    // Unescaped copies of quoted fields with doubled quotes (rare), one reusable buffer a field.
    var scratch = [UnsafeMutableRawBufferPointer](
      repeating: UnsafeMutableRawBufferPointer(start: nil, count: 0), count: 15)
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
            guard position < end else { return .anomaly }
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
            if byte == quote { return .anomaly }
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
          guard position < end, position.load(as: UInt8.self) == newline else { return .anomaly }
          position += 1
        } else if separator != newline {
          return .anomaly
        }
        break
      }
      // A record the exact reader would refuse as too long is its to judge, so both readers
      // accept exactly the same records.
      guard column == columnCount, contentEnd - recordStart <= CSVReader.defaultMaximumRecordBytes else {
        return .anomaly
      }
      if highBits >= 0x80 || highFlags != 0,
        String(validating: UnsafeRawBufferPointer(start: recordStart, count: position - recordStart), as: UTF8.self)
          == nil
      {
        return .anomaly
      }
      guard let row = decode(fields, dictionary, &dates) else { return .anomaly }
      (batch.baseAddress! + batched).initialize(to: row)
      batched += 1
      if batched == Self.batchSize {
        try body(UnsafeBufferPointer(batch))
        batched = 0
      }
      rows += 1
    }
    if batched > 0 { try body(UnsafeBufferPointer(rebasing: batch[0..<batched])) }
    return .rows(rows)
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

  private func decode(
    _ fields: UnsafeMutableBufferPointer<UnsafeRawBufferPointer>, _ dictionary: RowDictionary, _ dates: inout DateCache
  ) -> DecisionRow? {
    func required(_ field: Field) -> UnsafeRawBufferPointer? {
      let bytes = fields[field.rawValue]
      return bytes.isEmpty ? nil : bytes
    }
    func text(_ field: Field) -> Int32? { required(field).map(dictionary.id) }
    func optionalText(_ field: Field) -> Int32 {
      let bytes = fields[field.rawValue]
      return bytes.isEmpty ? RowDictionary.missing : dictionary.id(bytes)
    }
    guard let decisionID = required(.decisionID), let itemID = required(.itemID), let queue = text(.queue),
      let market = text(.market), let vendor = text(.vendor), let site = text(.site),
      let moderator = text(.moderator), let label = text(.label),
      let enqueuedBytes = required(.enqueuedAt), let enqueuedAt = dates.timestamp(enqueuedBytes),
      let decidedBytes = required(.decidedAt), let decidedAt = dates.timestamp(decidedBytes),
      let handleSeconds = required(.handleSeconds).flatMap(FieldParsing.number),
      let aiAssisted = required(.aiAssisted).flatMap(FieldParsing.boolean)
    else { return nil }
    var confidence: Double?
    let confidenceBytes = fields[Field.aiConfidence.rawValue]
    if !confidenceBytes.isEmpty {
      guard let value = FieldParsing.number(confidenceBytes), value >= 0, value <= 1 else { return nil }
      confidence = value
    }
    return DecisionRow(
      decisionID: decisionID, itemID: itemID, queue: queue, market: market, vendor: vendor, site: site,
      moderator: moderator, label: label, aiLabel: optionalText(.aiLabel), modelVersion: optionalText(.modelVersion),
      enqueuedAt: enqueuedAt, decidedAt: decidedAt, handleSeconds: handleSeconds,
      aiConfidence: confidence,
      aiAssisted: aiAssisted)
  }
}

let quote = UInt8(ascii: "\"")
let comma = UInt8(ascii: ",")
let newline = UInt8(ascii: "\n")
let carriageReturn = UInt8(ascii: "\r")

/// Parses contract timestamps, remembering the days of the last 64 distinct dates seen so that
/// the calendar arithmetic runs once per date rather than twice per row. One per scanner use,
/// held in a local variable (as a class, each access to its tables paid a dynamic exclusivity
/// check: about 3% of the decisions pass).
struct DateCache {
  private var dates = [UInt64](repeating: 0, count: 64)
  private var tails = [UInt16](repeating: 0, count: 64)
  private var days = [Int64](repeating: 0, count: 64)

  /// Epoch seconds of `2026-07-01T08:15:00Z` in bytes, exactly as `FieldParsing.timestamp`.
  @inline(__always)
  mutating func timestamp(_ bytes: UnsafeRawBufferPointer) -> Int64? {
    guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[19] == UInt8(ascii: "Z"),
      bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
    else { return nil }
    let head = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
    let tail = bytes.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
    let slot = Int(truncatingIfNeeded: ((head ^ UInt64(tail) << 48) &* 0x9E37_79B9_7F4A_7C15) >> 58)
    let day: Int64
    if dates[slot] == head, tails[slot] == tail, head != 0 {
      day = days[slot]
    } else {
      guard let date = FieldParsing.date(UnsafeRawBufferPointer(rebasing: bytes[0..<10])) else { return nil }
      day = date.daysSinceEpoch
      dates[slot] = head
      tails[slot] = tail
      days[slot] = day
    }
    guard let hour = twoDigits(bytes, 11), let minute = twoDigits(bytes, 14), let second = twoDigits(bytes, 17),
      hour < 24, minute < 60, second < 60
    else { return nil }
    return day * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
  }

  @inline(__always)
  private func twoDigits(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> Int? {
    let tens = bytes[at] &- UInt8(ascii: "0")
    let ones = bytes[at + 1] &- UInt8(ascii: "0")
    guard tens < 10, ones < 10 else { return nil }
    return Int(tens) * 10 + Int(ones)
  }
}
