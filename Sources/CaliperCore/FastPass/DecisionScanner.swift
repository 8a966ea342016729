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

  private let splitter: RecordSplitter

  init(header: CSVHeader) {
    splitter = RecordSplitter(header: header, fields: Field.allCases.map(\.column))
  }

  /// Rows handed on per call of the body of `scan` (the last call may have fewer).
  static let batchSize = 64

  /// Scans the records of `buffer` (which starts at a record start and ends at a record end),
  /// handing rows on in batches of up to `batchSize`, in file order. After an anomaly, rows
  /// decoded but not yet handed on are dropped: the pass starts over with the exact reader.
  /// With `refused`, a record refused whose end was found goes there first (see
  /// `RecordSplitter.split(_:refused:_:)`): it is an anomaly only when `refused` returns false.
  func scan(
    _ buffer: UnsafeRawBufferPointer, dictionary: RowDictionary,
    refused: ((UnsafeRawBufferPointer) -> Bool)? = nil,
    _ body: (UnsafeBufferPointer<DecisionRow>) throws -> Void
  ) rethrows -> Outcome {
    let batch = UnsafeMutableBufferPointer<DecisionRow>.allocate(capacity: Self.batchSize)
    defer { batch.deallocate() }  // rows are trivial values: nothing to deinitialize
    var batched = 0
    var dates = DateCache()  // per call: each worker scans its own chunk
    let rows = try splitter.split(buffer, refused: refused) { fields in
      guard let row = decode(fields, dictionary, &dates) else { return false }
      (batch.baseAddress! + batched).initialize(to: row)
      batched += 1
      if batched == Self.batchSize {
        try body(UnsafeBufferPointer(batch))
        batched = 0
      }
      return true
    }
    guard let rows else { return .anomaly }
    if batched > 0 { try body(UnsafeBufferPointer(rebasing: batch[0..<batched])) }
    return .rows(rows)
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

/// Parses contract timestamps, remembering the days of recent dates so that the calendar
/// arithmetic runs once per date rather than twice per row: a table of ``slots`` entries, each
/// a date's first ten bytes (as a word and a half-word) and its day, at a slot made of the
/// date's digits (day, month and the parity of the year's last digit: every date of any two
/// consecutive years has a slot of its own). A multiplicative hash of the ten bytes, as before,
/// put the 84 dates of a quarter into 28 slots of 64 (40 of 1,024): a third of the lookups hit,
/// and the misses' date arithmetic was 2.3% of a scorecard run's samples; now all but the first
/// of each date do. One per scanner use, held in a local variable (as a class, each access to
/// its table paid a dynamic exclusivity check: about 3% of the decisions pass).
struct DateCache {
  /// One remembered date: its first eight bytes, the next two, and its day since the epoch.
  private struct Entry {
    var head: UInt64 = 0
    var tail: UInt16 = 0
    var day: Int32 = 0
  }

  /// Entries in the table (a power of two, as ``slot(head:tail:)`` needs).
  static let slots = 1_024
  private var entries = [Entry](repeating: Entry(), count: slots)

  /// Epoch seconds of `2026-07-01T08:15:00Z` in bytes, exactly as `FieldParsing.timestamp`.
  @inline(__always)
  mutating func timestamp(_ bytes: UnsafeRawBufferPointer) -> Int64? {
    guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[19] == UInt8(ascii: "Z"),
      bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
    else { return nil }
    let head = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
    let tail = bytes.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
    let slot = Self.slot(head: head, tail: tail)
    let day: Int64
    let entry = entries[slot]
    if entry.head == head, entry.tail == tail, head != 0 {
      day = Int64(entry.day)
    } else {
      // Years 0000-9999 are within 3 million days of the epoch: every day fits an Int32.
      guard let date = FieldParsing.date(UnsafeRawBufferPointer(rebasing: bytes[0..<10])) else { return nil }
      day = date.daysSinceEpoch
      if let narrow = Int32(exactly: day) { entries[slot] = Entry(head: head, tail: tail, day: narrow) }
    }
    guard let hour = twoDigits(bytes, 11), let minute = twoDigits(bytes, 14), let second = twoDigits(bytes, 17),
      hour < 24, minute < 60, second < 60
    else { return nil }
    return day * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
  }

  /// The slot of the date whose first ten bytes are `head` and `tail`: from the low four bits
  /// of its digits (any value for bytes that are not digits: a hit compares the whole date),
  /// day + 32 × month + 512 × (year mod 2) for a valid date, below 1,024.
  @inline(__always)
  private static func slot(head: UInt64, tail: UInt16) -> Int {
    let day = Int(tail & 0xF) &* 10 &+ Int(tail >> 8 & 0xF)
    let month = Int(head >> 40 & 0xF) &* 10 &+ Int(head >> 48 & 0xF)
    return (day &+ month &* 32 &+ Int(head >> 24 & 1) &* 512) & (slots - 1)
  }

  @inline(__always)
  private func twoDigits(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> Int? {
    let tens = bytes[at] &- UInt8(ascii: "0")
    let ones = bytes[at + 1] &- UInt8(ascii: "0")
    guard tens < 10, ones < 10 else { return nil }
    return Int(tens) * 10 + Int(ones)
  }
}
