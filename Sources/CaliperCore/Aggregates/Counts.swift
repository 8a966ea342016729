/// Integer counts by key: the building block of every mergeable aggregate. Merging adds counts,
/// so splitting the input any way and merging gives exactly the one-pass result. It encodes as a
/// list sorted by key, so that the same counts always give the same bytes.
public struct Counts<Key: Hashable & Comparable & Sendable>: Sendable, Equatable {
  /// The counts; absent keys count zero.
  public private(set) var values: [Key: Int] = [:]

  /// Empty counts.
  public init() {}

  /// The count of `key`.
  public subscript(_ key: Key) -> Int { values[key] ?? 0 }

  /// Adds `amount` to `key`.
  @inline(__always)
  public mutating func add(_ key: Key, _ amount: Int = 1) { values[key, default: 0] += amount }

  /// Adds every count of `other`.
  public mutating func merge(_ other: Counts) {
    for (key, count) in other.values { values[key, default: 0] += count }
  }

  /// The sum of all counts.
  public var total: Int { values.values.reduce(0, +) }

  /// The keys, sorted.
  public var keys: [Key] { values.keys.sorted() }

  /// The same counts under new keys (counts of keys that map together add up).
  public func mapKeys<NewKey>(_ transform: (Key) -> NewKey) -> Counts<NewKey> {
    var mapped = Counts<NewKey>()
    for (key, count) in values { mapped.add(transform(key), count) }
    return mapped
  }
}

extension Counts: Codable where Key: Codable {
  private struct Entry: Codable {
    var key: Key
    var count: Int
  }

  /// Decodes the sorted entry list.
  public init(from decoder: any Decoder) throws {
    let entries = try [Entry](from: decoder)
    for entry in entries { add(entry.key, entry.count) }
  }

  /// Encodes entries sorted by key.
  public func encode(to encoder: any Encoder) throws {
    try keys.map { Entry(key: $0, count: values[$0]!) }.encode(to: encoder)
  }
}

/// A (truth, predicted) pair of labels: a cell of a confusion matrix.
public struct LabelPair<Key: Hashable & Comparable & Sendable>: Hashable, Comparable, Sendable {
  /// The reference label (QA's, or gold).
  public var truth: Key
  /// The label given (the moderator's, or the model's).
  public var predicted: Key

  /// Creates a pair.
  public init(truth: Key, predicted: Key) {
    self.truth = truth
    self.predicted = predicted
  }

  /// Orders by truth, then predicted.
  public static func < (lhs: LabelPair, rhs: LabelPair) -> Bool {
    (lhs.truth, lhs.predicted) < (rhs.truth, rhs.predicted)
  }

  /// The same pair under new keys.
  public func map<NewKey>(_ transform: (Key) -> NewKey) -> LabelPair<NewKey> {
    LabelPair<NewKey>(truth: transform(truth), predicted: transform(predicted))
  }
}

extension LabelPair: Codable where Key: Codable {}
