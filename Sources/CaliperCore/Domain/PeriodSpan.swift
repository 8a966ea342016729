/// The days a data set covers, and which of its periods it covers whole.
public struct DataSpan: Sendable, Equatable, Codable {
  /// The first UTC day with a decision.
  public var first: CalendarDate
  /// The last UTC day with a decision.
  public var last: CalendarDate

  /// Creates a span.
  public init(first: CalendarDate, last: CalendarDate) {
    self.first = first
    self.last = last
  }

  /// Whether the data covers every day of the period `label` (of `grain`): a week is complete
  /// when the data reaches back to its Monday and on to its Sunday, a month from its first day
  /// to its last. A label that is no period of `grain` is not complete.
  public func covers(_ label: String, grain: PeriodGrain) -> Bool {
    guard let days = grain.days(of: label) else { return false }
    return first <= days.first && days.last <= last
  }
}

extension PeriodGrain {
  /// The first and last day of the period `label` (`2026-W27`, `2026-07`, `2026-07-01`), or
  /// `nil` when `label` is no period of this grain.
  public func days(of label: String) -> (first: CalendarDate, last: CalendarDate)? {
    guard matches(label) else { return nil }
    let bytes = Array(label.utf8)
    func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) } }
    switch self {
    case .day:
      guard let date = CalendarDate(parsing: label) else { return nil }
      return (date, date)
    case .month:
      let (year, month) = (number(0..<4), number(5..<7))
      guard let first = CalendarDate(year: year, month: month, day: 1) else { return nil }
      let last = CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month: month, year: year))!
      return (first, last)
    case .week:
      let (year, week) = (number(0..<4), number(6..<8))
      // 4 January is always in week 1; weeks run Monday to Sunday.
      guard week >= 1, let january4 = CalendarDate(year: year, month: 1, day: 4) else { return nil }
      let monday = january4.daysSinceEpoch - Int64(january4.isoWeekday - 1) + Int64(week - 1) * 7
      let first = CalendarDate(daysSinceEpoch: monday)
      // Week 53 exists only in years that have it.
      guard ISOWeek(first).year == year, ISOWeek(first).week == week else { return nil }
      return (first, CalendarDate(daysSinceEpoch: monday + 6))
    }
  }
}
