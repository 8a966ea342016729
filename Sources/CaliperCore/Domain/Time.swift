/// An instant in UTC, in whole seconds since 1970-01-01T00:00:00Z: the data contract's
/// timestamps (`2026-07-01T08:15:00Z`). A plain integer so that millions of rows stay cheap.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  /// Seconds since the epoch.
  public var secondsSinceEpoch: Int64

  /// Creates a timestamp.
  public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

  /// Creates the timestamp of a UTC civil time.
  public init(_ date: CalendarDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
    secondsSinceEpoch = date.daysSinceEpoch * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
  }

  /// The UTC calendar date.
  public var date: CalendarDate {
    CalendarDate(daysSinceEpoch: Int64((Double(secondsSinceEpoch) / 86_400).rounded(.down)))
  }

  /// Seconds from `self` to `other`.
  public func seconds(until other: Timestamp) -> Int64 { other.secondsSinceEpoch - secondsSinceEpoch }

  /// Orders by time.
  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }

  /// ISO 8601 in UTC: `2026-07-01T08:15:00Z`.
  public var description: String {
    let seconds = secondsSinceEpoch - date.daysSinceEpoch * 86_400
    return "\(date)T\(twoDigits(seconds / 3_600)):\(twoDigits(seconds / 60 % 60)):\(twoDigits(seconds % 60))Z"
  }
}

/// A calendar date (proleptic Gregorian, UTC): the contract's `2026-07-01`.
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  /// The year.
  public var year: Int
  /// The month, 1...12.
  public var month: Int
  /// The day of the month, 1...31.
  public var day: Int

  /// Creates a date; returns `nil` when the day does not exist (2026-02-30).
  public init?(year: Int, month: Int, day: Int) {
    guard (1...12).contains(month), day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// The date `days` after 1970-01-01 (Howard Hinnant's civil-from-days).
  public init(daysSinceEpoch days: Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
    month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
    year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
  }

  /// Days since 1970-01-01.
  public var daysSinceEpoch: Int64 {
    let y = Int64(month <= 2 ? year - 1 : year)
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// Monday = 1 ... Sunday = 7.
  public var isoWeekday: Int { Int(((daysSinceEpoch % 7) + 7 + 3) % 7) + 1 }

  /// Orders by date.
  public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
    (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
  }

  /// `2026-07-01`.
  public var description: String { "\(fourDigits(year))-\(twoDigits(Int64(month)))-\(twoDigits(Int64(day)))" }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }
}

func twoDigits(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }

func fourDigits(_ value: Int) -> String {
  let text = String(value)
  return String(repeating: "0", count: max(0, 4 - text.count)) + text
}

extension CalendarDate {
  /// Parses the contract's `2026-07-01`; `nil` for anything else.
  public init?(parsing text: String) {
    guard let date = FieldParsing.date(Substring(text)) else { return nil }
    self = date
  }
}
