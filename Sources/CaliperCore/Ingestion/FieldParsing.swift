/// Strict parsers for the data contract's field formats. They return `nil` for text that does not
/// match; callers turn that into a positioned error.
enum FieldParsing {
  /// `2026-07-01T08:15:00Z`, UTC only (the contract's one timestamp form).
  static func timestamp(_ text: Substring) -> Timestamp? {
    let bytes = Array(text.utf8)
    guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[19] == UInt8(ascii: "Z"),
      bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
      let date = date(bytes[0..<10]),
      let hour = digits(bytes[11..<13]), let minute = digits(bytes[14..<16]), let second = digits(bytes[17..<19]),
      hour < 24, minute < 60, second < 60
    else { return nil }
    return Timestamp(date, hour: hour, minute: minute, second: second)
  }

  /// `2026-07-01`.
  static func date(_ text: Substring) -> CalendarDate? { date(Array(text.utf8)[...]) }

  static func date(_ bytes: ArraySlice<UInt8>) -> CalendarDate? {
    let start = bytes.startIndex
    guard bytes.count == 10, bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-"),
      let year = digits(bytes[start..<start + 4]), let month = digits(bytes[start + 5..<start + 7]),
      let day = digits(bytes[start + 8..<start + 10])
    else { return nil }
    return CalendarDate(year: year, month: month, day: day)
  }

  /// `true` or `false`, exactly.
  static func boolean(_ text: Substring) -> Bool? {
    switch text {
    case "true": true
    case "false": false
    default: nil
    }
  }

  /// A decimal integer.
  static func integer(_ text: Substring) -> Int? { Int(text) }

  /// A finite decimal number.
  static func number(_ text: Substring) -> Double? {
    guard let value = Double(text), value.isFinite else { return nil }
    return value
  }

  private static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
    var value = 0
    for byte in bytes {
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + Int(byte - UInt8(ascii: "0"))
    }
    return value
  }
}
