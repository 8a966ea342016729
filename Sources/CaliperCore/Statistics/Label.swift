/// A category label as raters and models give it: a name (`"hate_speech"`) or a number (an
/// ordinal score). Numbers order before names; each kind orders naturally.
public enum Label: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// A numeric label (ordinal or interval scores).
  case number(Double)
  /// A named label.
  case name(String)

  /// The label as text.
  public var description: String {
    switch self {
    case .number(let value):
      value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    case .name(let value): value
    }
  }

  /// The numeric value, for interval and ratio metrics.
  public var numericValue: Double? {
    if case .number(let value) = self { return value }
    return nil
  }

  /// Numbers first (by value), then names (by text).
  public static func < (lhs: Label, rhs: Label) -> Bool {
    switch (lhs, rhs) {
    case (.number(let a), .number(let b)): a < b
    case (.name(let a), .name(let b)): a < b
    case (.number, .name): true
    case (.name, .number): false
    }
  }
}

/// One rating in long format, the shape of `calibration.csv`: a rater's label for a unit.
public struct Rating: Hashable, Sendable {
  /// The item rated.
  public var unit: String
  /// Who rated it.
  public var rater: String
  /// The label given.
  public var value: Label

  /// Creates a rating.
  public init(unit: String, rater: String, value: Label) {
    self.unit = unit
    self.rater = rater
    self.value = value
  }
}

/// Long-format ratings grouped by unit, in first-seen order.
struct RatingsByUnit {
  var units: [String] = []
  var values: [[Label]] = []

  init(_ ratings: [Rating]) {
    var index: [String: Int] = [:]
    for rating in ratings {
      if let position = index[rating.unit] {
        values[position].append(rating.value)
      } else {
        index[rating.unit] = units.count
        units.append(rating.unit)
        values.append([rating.value])
      }
    }
  }

  /// Every label used, sorted.
  var categories: [Label] { Array(Set(values.joined())).sorted() }

  /// How many times each label occurs in one unit's ratings.
  static func counts(_ values: [Label]) -> [Label: Double] {
    var counts = [Label: Double]()
    for value in values { counts[value, default: 0] += 1 }
    return counts
  }
}

extension Label: Codable {
  /// Decodes a number as `.number` and a string as `.name` (the forms labels take in data files
  /// and in Lua).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let number = try? container.decode(Double.self) {
      self = .number(number)
    } else if let name = try? container.decode(String.self) {
      self = .name(name)
    } else {
      throw DecodingError.typeMismatch(
        Label.self, .init(codingPath: decoder.codingPath, debugDescription: "expected a label (string or number)"))
    }
  }

  /// Encodes a number or a string.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .number(let value): try container.encode(value)
    case .name(let value): try container.encode(value)
    }
  }
}
