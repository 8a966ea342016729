/// Byte strings kept end to end in one array, without a `String` (or an array) each: the ids a
/// part of a reference file holds (``AuditPart``'s decision ids, ``GoldenPart``'s item ids).
struct PackedBytes: Sendable {
  /// The strings' bytes, concatenated.
  private(set) var bytes: [UInt8] = []
  /// Where each string ends in `bytes` (string `i` starts where `i - 1` ends, the first at 0).
  private(set) var ends: [Int] = []

  /// How many strings.
  var count: Int { ends.count }

  /// Adds `string` after the others.
  mutating func append(_ string: UnsafeRawBufferPointer) {
    bytes.append(contentsOf: string)
    ends.append(bytes.count)
  }

  /// Calls `body` with the bytes of string `index`.
  func withString<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
    let start = index == 0 ? 0 : ends[index - 1]
    return bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<ends[index]])) }
  }
}
