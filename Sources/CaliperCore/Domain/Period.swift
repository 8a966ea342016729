/// How records are grouped in time: the period of a decision is that of its `decided_at`, UTC.
public enum PeriodGrain: String, Sendable, Codable, CaseIterable {
  /// Calendar days: `2026-07-01`.
  case day
  /// ISO 8601 weeks, Monday to Sunday: `2026-W27`.
  case week
  /// Calendar months: `2026-07`.
  case month

  /// The period label of an instant.
  public func label(of timestamp: Timestamp) -> String {
    let date = timestamp.date
    switch self {
    case .day: return date.description
    case .month: return "\(fourDigits(date.year))-\(twoDigits(Int64(date.month)))"
    case .week:
      let week = ISOWeek(date)
      return "\(fourDigits(week.year))-W\(twoDigits(Int64(week.week)))"
    }
  }
}

/// The ISO 8601 week of a date: weeks start on Monday, and week 1 is the one holding the year's
/// first Thursday (so 2021-01-03 is in 2020-W53 and 2024-12-30 in 2025-W01).
public struct ISOWeek: Hashable, Sendable {
  /// The ISO week-numbering year.
  public var year: Int
  /// The week, 1...53.
  public var week: Int

  /// The ISO week holding `date`.
  public init(_ date: CalendarDate) {
    // The Thursday of the same week decides the year.
    let thursday = CalendarDate(daysSinceEpoch: date.daysSinceEpoch - Int64(date.isoWeekday) + 4)
    year = thursday.year
    let january1 = CalendarDate(year: thursday.year, month: 1, day: 1)!
    week = Int((thursday.daysSinceEpoch - january1.daysSinceEpoch) / 7) + 1
  }
}

extension PeriodGrain {
  /// Whether `label` is a period label of this grain (`2026-W27`, `2026-07-01`, `2026-07`).
  public func matches(_ label: String) -> Bool {
    let bytes = Array(label.utf8)
    func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { bytes[$0] >= 48 && bytes[$0] <= 57 } }
    switch self {
    case .day: return CalendarDate(parsing: label) != nil
    case .week: return bytes.count == 8 && digits(0..<4) && label.dropFirst(4).hasPrefix("-W") && digits(6..<8)
    case .month: return bytes.count == 7 && digits(0..<4) && bytes[4] == 45 && digits(5..<7)
    }
  }
}
