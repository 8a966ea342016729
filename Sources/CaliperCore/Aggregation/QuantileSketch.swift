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

  /// Counts per bucket index; bucket `i` holds values in `(γ^(i-1), γ^i]` (milliseconds).
  public private(set) var buckets = Counts<Int32>()
  /// Values at or below 1 ms (including zero); quantiles report them as 0.
  public private(set) var zeros = 0

  /// An empty sketch.
  public init() {}

  /// How many values.
  public var count: Int { buckets.total + zeros }

  /// Adds a duration in milliseconds.
  public mutating func add(milliseconds: Int64) { add(bucket: Self.bucket(milliseconds: milliseconds)) }

  /// The bucket of a duration (`nil`: at or below 1 ms), for callers that add one value to
  /// several sketches.
  @inline(__always)
  public static func bucket(milliseconds: Int64) -> Int32? {
    milliseconds > 1 ? Int32((Foundation.log(Double(milliseconds)) / logGamma).rounded(.up)) : nil
  }

  /// Adds `count` values by their bucket (from `bucket(milliseconds:)`).
  @inline(__always)
  public mutating func add(bucket: Int32?, count: Int = 1) {
    if let bucket { buckets.add(bucket, count) } else { zeros += count }
  }

  /// Adds another sketch's values.
  public mutating func merge(_ other: QuantileSketch) {
    buckets.merge(other.buckets)
    zeros += other.zeros
  }

  /// The `q`-quantile (0...1) in milliseconds, within 1%; `nil` when empty. The rank used is
  /// the lower one, `⌊q·(n−1)⌋`, as NumPy's `method="lower"`.
  public func quantile(_ q: Double) -> Double? {
    let n = count
    guard n > 0, (0...1).contains(q) else { return nil }
    let rank = Int((q * Double(n - 1)).rounded(.down))
    if rank < zeros { return 0 }
    var seen = zeros
    for index in buckets.keys {
      seen += buckets[index]
      if seen > rank { return 2 * Foundation.pow(Self.gamma, Double(index)) / (Self.gamma + 1) }
    }
    return nil
  }
}
