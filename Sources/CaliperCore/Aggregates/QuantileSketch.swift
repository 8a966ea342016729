import Foundation

/// A mergeable quantile sketch for positive durations (handle time): counts in logarithmic
/// buckets, so every quantile it reports is within 1% (relative) of an exact quantile of the
/// data, whatever the data's size, and merging two sketches gives exactly the sketch of the
/// combined data. This is the DDSketch construction (Masson, Rim and Lee, VLDB 2019), written
/// here because no maintained Swift package provides it; it is 40 lines.
public struct QuantileSketch: Sendable, Equatable, Codable {
  /// Relative accuracy of reported quantiles.
  public static let relativeAccuracy = 0.01
  private static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
  private static let logGamma = Foundation.log(gamma)

  /// Counts of buckets `lowest ..< lowest + counts.count`; bucket `i` holds values in
  /// `(γ^(i-1), γ^i]` (milliseconds). Dense, because durations span a few hundred buckets at
  /// most (every `Int64` of milliseconds fits in about 2,200), and adding or merging is then
  /// index arithmetic rather than hashing: the roll-up of groups adds every cell's buckets.
  /// Empty, or with non-zero counts at both ends, so equal sketches are equal values.
  private var lowest: Int32 = 0
  private var counts: [Int] = []
  /// Values at or below 1 ms (including zero); quantiles report them as 0.
  public private(set) var zeros = 0

  /// An empty sketch.
  public init() {}

  /// Counts per bucket index.
  public var buckets: Counts<Int32> {
    var buckets = Counts<Int32>()
    for (offset, count) in counts.enumerated() where count > 0 { buckets.add(lowest + Int32(offset), count) }
    return buckets
  }

  /// How many values.
  public var count: Int { counts.reduce(zeros, +) }

  /// Adds a duration in milliseconds.
  public mutating func add(milliseconds: Int64) { add(bucket: Self.bucket(milliseconds: milliseconds)) }

  /// The bucket of a duration (`nil`: at or below 1 ms), for callers that add one value to
  /// several sketches.
  @inline(__always)
  public static func bucket(milliseconds: Int64) -> Int32? {
    milliseconds > 1 ? Int32((Foundation.log(Double(milliseconds)) / logGamma).rounded(.up)) : nil
  }

  /// Adds `count` (at least 1) values by their bucket (from `bucket(milliseconds:)`).
  @inline(__always)
  public mutating func add(bucket: Int32?, count: Int = 1) {
    guard let bucket else {
      zeros += count
      return
    }
    cover(bucket)
    counts[Int(bucket - lowest)] += count
  }

  /// Adds the counts of consecutive buckets `low ..< low + window.count` (zeros anywhere).
  mutating func add(bucketsFrom low: Int32, counts window: UnsafeBufferPointer<UInt8>) {
    guard let first = window.firstIndex(where: { $0 != 0 }), let last = window.lastIndex(where: { $0 != 0 }) else {
      return
    }
    cover(low + Int32(first))
    cover(low + Int32(last))
    let offset = Int(low - lowest)
    counts.withUnsafeMutableBufferPointer { mine in
      for index in first...last { mine[offset + index] += Int(window[index]) }
    }
  }

  /// Adds another sketch's values.
  public mutating func merge(_ other: QuantileSketch) {
    zeros += other.zeros
    guard !other.counts.isEmpty else { return }
    cover(other.lowest)
    cover(other.lowest + Int32(other.counts.count - 1))
    let offset = Int(other.lowest - lowest)
    for (index, count) in other.counts.enumerated() { counts[offset + index] += count }
  }

  /// Grows the dense range to include `bucket`.
  @inline(__always)
  private mutating func cover(_ bucket: Int32) {
    if counts.isEmpty {
      lowest = bucket
      counts = [0]
    } else if bucket < lowest {
      counts.insert(contentsOf: repeatElement(0, count: Int(lowest - bucket)), at: 0)
      lowest = bucket
    } else if Int(bucket - lowest) >= counts.count {
      counts.append(contentsOf: repeatElement(0, count: Int(bucket - lowest) - counts.count + 1))
    }
  }

  /// The `q`-quantile (0...1) in milliseconds, within 1%; `nil` when empty. The rank used is
  /// the lower one, `⌊q·(n−1)⌋`, as NumPy's `method="lower"`.
  public func quantile(_ q: Double) -> Double? {
    let n = count
    guard n > 0, (0...1).contains(q) else { return nil }
    let rank = Int((q * Double(n - 1)).rounded(.down))
    if rank < zeros { return 0 }
    var seen = zeros
    for (offset, count) in counts.enumerated() {
      seen += count
      if seen > rank { return 2 * Foundation.pow(Self.gamma, Double(lowest + Int32(offset))) / (Self.gamma + 1) }
    }
    return nil
  }

  private enum CodingKeys: String, CodingKey { case buckets, zeros }

  /// Decodes `{"buckets": [{"key", "count"}...], "zeros"}`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    zeros = try container.decode(Int.self, forKey: .zeros)
    let buckets = try container.decode(Counts<Int32>.self, forKey: .buckets)
    // Every bucket a duration can have lies in 1...~2,200; anything else is not a sketch (and
    // would make the dense range huge).
    let valid = 1...Self.bucket(milliseconds: .max)!
    for key in buckets.keys {
      guard valid.contains(key), buckets[key] > 0, zeros >= 0 else {
        throw DecodingError.dataCorruptedError(
          forKey: .buckets, in: container,
          debugDescription: "bucket \(key) with count \(buckets[key]) is not part of a handle-time sketch")
      }
      add(bucket: key, count: buckets[key])
    }
  }

  /// Encodes the buckets as a list sorted by index, then the zeros.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(buckets, forKey: .buckets)
    try container.encode(zeros, forKey: .zeros)
  }
}
