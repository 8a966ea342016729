/// The sandbox's `os.time`: the injectable clock's time, and date tables read as UTC so that a
/// run gives the same numbers on every machine (the standard version uses the local time zone).
enum SandboxTime {
  static func time(_ call: LuaCall, clock: any LuaClock) throws -> Int32 {
    let stack = call.stack
    if stack.type(at: 1) == .nil || stack.type(at: 1) == .none {
      try call.push(Int64(clock.now().rounded(.down)))
      return 1
    }
    guard stack.type(at: 1) == .table else {
      throw LuaError(.conversion, "bad argument #1 to 'time' (table expected, got \(stack.type(at: 1).name))")
    }
    // As stock Lua does, each field must fit a C int once its offset (1900 for the year, 1 for
    // the month) is taken away, so the arithmetic below cannot overflow.
    func field(_ name: String, default value: Int64?, delta: Int64 = 0) throws -> Int64 {
      try stack.reserve(2)
      let field = StackGuard(stack)
      try field.stack.push(name)
      field.stack.rawGet(table: 1)
      if field.stack.type(at: -1) == .nil {
        guard let value else { throw LuaError(.conversion, "field '\(name)' missing in date table") }
        return value
      }
      guard let number = field.stack.integer(at: -1) else {
        throw LuaError(.conversion, "field '\(name)' is not an integer")
      }
      guard number >= 0 ? number - delta <= Int64(Int32.max) : Int64(Int32.min) + delta <= number else {
        throw LuaError(.conversion, "field '\(name)' is out-of-bound")
      }
      return number
    }
    let year = try field("year", default: nil, delta: 1900)
    let month = try field("month", default: nil, delta: 1)
    let day = try field("day", default: nil)
    let hour = try field("hour", default: 12)
    let minute = try field("min", default: 0)
    let second = try field("sec", default: 0)
    try call.push(epochSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    return 1
  }

  /// Seconds since the epoch for a UTC civil time; out-of-range fields carry over as in `mktime`.
  static func epochSeconds(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) -> Int64 {
    let monthIndex = month - 1
    let normalizedYear = year + floorDivide(monthIndex, 12)
    let normalizedMonth = monthIndex - floorDivide(monthIndex, 12) * 12 + 1
    let days = daysFromCivil(year: normalizedYear, month: normalizedMonth, day: 1) + (day - 1)
    return days * 86_400 + hour * 3_600 + minute * 60 + second
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = floorDivide(y, 400)
    let yearOfEra = y - era * 400
    let shiftedMonth = month > 2 ? month - 3 : month + 9
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
  }
}
