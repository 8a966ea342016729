import Foundation

/// JSON text of scalars exactly as Foundation's `JSONEncoder` writes them with
/// `.withoutEscapingSlashes`: strings escape quotes, backslashes and control characters (the
/// usual short forms, else `\u00XX` in lower-case hex) and keep every other byte; floating-point
/// numbers are their shortest `description`, without a trailing `.0`.
enum JSONText {
  /// Appends `string`, quoted and escaped.
  static func appendString(_ string: String, to output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    var string = string
    string.withUTF8 { bytes in
      var mark = 0
      for (index, byte) in bytes.enumerated()
      where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[mark..<index]))
        mark = index + 1
        output.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
        case 0x08: output.append(UInt8(ascii: "b"))
        case 0x0C: output.append(UInt8(ascii: "f"))
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        case 0x09: output.append(UInt8(ascii: "t"))
        default:
          output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
          output.append(hexDigit(byte >> 4))
          output.append(hexDigit(byte & 0xF))
        }
      }
      output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[mark...]))
    }
    output.append(UInt8(ascii: "\""))
  }

  private static func hexDigit(_ value: UInt8) -> UInt8 {
    value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
  }

  /// Appends an integer's decimal digits.
  static func appendInteger(_ value: some FixedWidthInteger, to output: inout [UInt8]) {
    var text = value.description
    text.withUTF8 { output.append(contentsOf: $0) }
  }

  /// Appends a finite number as Foundation does (`1.0` as `1`, `1e-05` as it is); throws
  /// Foundation's error for NaN and infinities, which JSON cannot hold.
  static func appendNumber<Number: BinaryFloatingPoint & CustomStringConvertible>(
    _ value: Number, path: @autoclosure () -> [any CodingKey], to output: inout [UInt8]
  ) throws {
    guard value.isFinite else {
      throw EncodingError.invalidValue(
        value,
        EncodingError.Context(
          codingPath: path(), debugDescription: "Unable to encode \(Number.self).\(value) directly in JSON."))
    }
    var text = value.description
    if text.hasSuffix(".0") { text.removeLast(2) }
    text.withUTF8 { output.append(contentsOf: $0) }
  }
}

/// Coding keys in snake case, as Foundation's `.convertToSnakeCase` writes them. The
/// conversion is Foundation's own (a one-key value encoded with that strategy), so the two can
/// never disagree; ``JSONTree`` asks once per distinct key of a report.
enum SnakeCase {
  /// `key` in snake case (`luaAPI` → `lua_api`).
  static func converted(_ key: String) -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    guard let data = try? encoder.encode(OneKey(key: key)),
      let object = try? JSONDecoder().decode([String: Int].self, from: data), let converted = object.keys.first
    else { return key }
    return converted
  }

  /// A value with one member whose coding key is `key`.
  private struct OneKey: Encodable {
    var key: String

    struct Key: CodingKey {
      var stringValue: String
      var intValue: Int? { nil }
      init(stringValue: String) { self.stringValue = stringValue }
      init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: Key.self)
      try container.encode(0, forKey: Key(stringValue: key))
    }
  }
}
