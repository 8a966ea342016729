/// A row's `handle_seconds` as whole milliseconds and as a `QuantileSketch` bucket, remembered
/// for recent values (direct-mapped on the value's bits). Handle times are given to a tenth or
/// a hundredth of a second, so a few thousand values recur over and over, and working each
/// out afresh cost two calls into the C maths library (`round`, then `log` and `ceil`) per row.
struct HandleTimeCache {
  private var seconds = [UInt64](repeating: UInt64.max, count: 4_096)
  private var millis = [Int64](repeating: 0, count: 4_096)
  private var buckets = [Int32](repeating: 0, count: 4_096)
  /// Marks a cached `nil` bucket (at or below 1 ms).
  private static let noBucket = Int32.min

  /// `handleSeconds` in whole milliseconds (rounded half away from zero) and its sketch bucket.
  @inline(__always)
  mutating func convert(_ handleSeconds: Double) -> (millis: Int64, bucket: Int32?) {
    let bits = handleSeconds.bitPattern
    let slot = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> 52)
    if seconds[slot] != bits {
      let value = HandleTimeAggregate.milliseconds(handleSeconds)
      seconds[slot] = bits
      millis[slot] = value
      buckets[slot] = QuantileSketch.bucket(milliseconds: value) ?? Self.noBucket
    }
    let bucket = buckets[slot]
    return (millis[slot], bucket == Self.noBucket ? nil : bucket)
  }
}
