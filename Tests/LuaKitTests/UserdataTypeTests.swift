import Testing

@testable import LuaKit

/// A type that declares its Lua face beside itself.
struct Interval: LuaUserdataType {
  var low: Double
  var high: Double

  static let luaTypeName = "Interval"

  static func declareLuaFace(_ face: inout LuaTypeRegistration<Interval>) {
    face.field("low") { $0.low }
    face.field("high") { $0.high }
    face.method("contains") { interval, call in
      let value = try call.argument(2, as: Double.self)
      try call.push(interval.low <= value && value <= interval.high)
      return 1
    }
  }
}

@Suite("Userdata types that declare their own face")
struct UserdataTypeTests {
  @Test func aDeclaredFaceIsWhatScriptsSee() throws {
    let state = try makeState()
    try state.register(Interval.self)
    let values = try state.load(
      "local i = ... return i.low, i.high, i:contains(0.5), i:contains(2), tostring(i):match('^Interval'), i.other",
      name: "@interval.lua"
    ).callReturningAll(LuaObject(Interval(low: 0, high: 1)))
    #expect(values.map { "\($0.scalar ?? "nil")" } == ["0.0", "1.0", "true", "false", "Interval", "nil"])
  }

  @Test func theFaceIsReadOnlyAndChecksSelf() throws {
    let state = try makeState()
    try state.register(Interval.self)
    let assign = #expect(throws: LuaError.self) {
      try state.load("local i = ... i.low = 3", name: "@set.lua").callReturningAll(LuaObject(Interval(low: 0, high: 1)))
    }
    #expect(assign?.message.contains("Interval") == true)
    let wrongSelf = #expect(throws: LuaError.self) {
      try state.load("local i = ... return i.contains({}, 1)", name: "@self.lua").callReturningAll(
        LuaObject(Interval(low: 0, high: 1)))
    }
    #expect(wrongSelf?.message.contains("Interval") == true)
  }
}
