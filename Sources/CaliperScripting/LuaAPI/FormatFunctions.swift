import CaliperCore
import LuaKit

/// `caliper.format`: the report's own way of writing numbers, for messages scripts compose, so a
/// rule's finding reads like a detector's (``ReadableNumbers``).
enum FormatFunctions {
  static func make(in state: LuaState) throws -> LuaTable {
    let format = try state.newTable()
    try format.set(
      "p",
      try state.function(named: "p") { (p: Double) -> String in
        guard p.isFinite, p >= 0, p <= 1 else { throw LuaError(.runtime, "caliper.format.p: \(p) is not a p-value") }
        return ReadableNumbers.pClause(p)
      })
    try format.set(
      "percent", try state.function(named: "percent") { (share: Double) in ReadableNumbers.percent(share) })
    try format.set(
      "count",
      try state.function(named: "count") { (value: Int64) -> String in
        guard let whole = Int(exactly: value) else { throw LuaError(.runtime, "caliper.format.count: out of range") }
        return ReadableNumbers.count(whole)
      })
    return try state.readOnlyView(of: format, name: "caliper.format")
  }
}
