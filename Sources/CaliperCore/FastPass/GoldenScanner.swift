import Foundation

/// The fast path over `golden.csv` (a ``PartScanner``): splits a part of the file in place
/// (``RecordSplitter``) and checks every field as `GoldenItem.init` does (`item_id`,
/// `gold_label` and `policy_version` present), keeping what ``GoldenPart`` holds. The exact
/// reader made a `String` of every field and took about 0.3 s of one core for the 4.9 MB of a
/// 10M-decision folder, on the critical path before the decisions pass.
struct GoldenScanner: PartScanner {
  /// The columns checked, in field order.
  private static let columns = ["item_id", "gold_label", "policy_version"]

  static var file: ContractFile { .golden }

  private let splitter: RecordSplitter

  init(header: CSVHeader) {
    splitter = RecordSplitter(header: header, fields: Self.columns)
  }

  static func decode(_ row: RowReader) throws -> GoldenItem { try GoldenItem(row) }

  static func part(of rows: [GoldenItem]) -> GoldenPart {
    var builder = GoldenPartBuilder()
    for item in rows { builder.append(item) }
    return builder.finish()
  }

  static func count(of part: GoldenPart) -> Int { part.count }

  /// The golden items of `buffer` (whole records), or `nil` at the first the scanner refuses.
  func scan(_ buffer: UnsafeRawBufferPointer, refused: ((UnsafeRawBufferPointer) -> Bool)? = nil) -> GoldenPart? {
    var builder = GoldenPartBuilder()
    let records = splitter.split(buffer, refused: refused) { fields in
      guard !fields[0].isEmpty, !fields[1].isEmpty, !fields[2].isEmpty else { return false }
      builder.append(itemID: fields[0], goldLabel: fields[1])
      return true
    }
    return records == nil ? nil : builder.finish()
  }
}

/// What the decisions join keeps of the golden items of one part of `golden.csv`: each item's
/// id (bytes, no `String`) and gold label. Made by ``GoldenScanner`` in place, or from the
/// exact reader's items (``GoldenPartBuilder/append(_:)``).
struct GoldenPart: Sendable {
  /// The item ids, item by item.
  var itemIDs = PackedBytes()
  /// The part's distinct gold labels; `labelOfItem[i]` indexes them.
  var labels: [String] = []
  var labelOfItem: [Int32] = []

  /// Items in the part.
  var count: Int { labelOfItem.count }

  /// Calls `body` with the id of item `index`.
  func withItemID<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
    itemIDs.withString(index, body)
  }
}

/// Builds a ``GoldenPart`` item by item, in file order.
struct GoldenPartBuilder {
  private var part = GoldenPart()
  private var labels = ByteInterner(capacity: 64)

  /// Adds an item from its fields' bytes.
  mutating func append(itemID: UnsafeRawBufferPointer, goldLabel: UnsafeRawBufferPointer) {
    part.itemIDs.append(itemID)
    part.labelOfItem.append(labels.intern(goldLabel))
  }

  /// Adds an item the exact reader decoded (or a database held).
  mutating func append(_ item: GoldenItem) {
    var (itemID, goldLabel) = (item.itemID, item.goldLabel)
    itemID.withUTF8 { itemID in
      goldLabel.withUTF8 { append(itemID: UnsafeRawBufferPointer(itemID), goldLabel: UnsafeRawBufferPointer($0)) }
    }
  }

  /// The part built.
  func finish() -> GoldenPart {
    var part = part
    part.labels = labels.strings
    return part
  }
}

extension ContractFileReader {
  /// `golden.csv` as ``GoldenPart``s in file order, with its reconciliation (`nil`: absent),
  /// scanned in place by ``GoldenScanner`` (see ``scannedParts(_:workers:rejectsKeptInPlace:)``).
  func goldenParts(
    workers: Int = ProcessInfo.processInfo.activeProcessorCount, rejectsKeptInPlace: Int = 10_000
  ) throws -> (parts: [GoldenPart], tally: FileReconciliation)? {
    try scannedParts(GoldenScanner.self, workers: workers, rejectsKeptInPlace: rejectsKeptInPlace)
  }
}
