import Testing

@testable import LuaKit

/// At top level the host's calls skip `lua_checkstack` while the main stack is within the slots
/// every state keeps allocated (`LuaHandle.topLevelCapacity`); beyond them, or after Lua has grown
/// and shrunk the stack, calls and pushes still find their room.
@Suite("Top-level stack capacity")
struct TopLevelCapacityTests {
  @Test func callsFromTheHostWorkAtEveryStackDepth() throws {
    let state = try makeState()
    let sum = try state.load("return function(a, b, c) return a + b + c end", name: "=sum").call(
      returning: LuaFunction.self)
    try state.withStack { stack in
      // Walk the stack past the kept slots, calling at every depth on the way.
      for depth in 0..<(Int(LuaHandle.topLevelCapacity) * 3) {
        #expect(try sum.call(depth, 1, 2, returning: Int.self) == depth + 3)
        try stack.reserve(1)
        stack.push(Int64(depth))
      }
      for depth in stride(from: Int(LuaHandle.topLevelCapacity) * 3 - 1, through: 0, by: -1) {
        #expect(stack.integer(at: -1) == Int64(depth))
        stack.pop()
      }
    }
    #expect(try state.stackDepth == 0)
  }

  @Test func theKeptSlotsSurviveAStackThatGrewAndShrank() throws {
    let state = try makeState()
    // Deep recursion grows the main thread's stack; a full collection shrinks it again.
    let depth = try state.load(
      "local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end return f(...)", name: "=deep"
    ).call(50_000, returning: Int.self)
    #expect(depth == 50_000)
    try state.collectGarbage()
    let echo = try state.load("return ...", name: "=echo")
    try state.withStack { stack in
      for value in 0..<Int64(LuaHandle.topLevelCapacity - 8) {
        try stack.reserve(1)
        stack.push(value)
      }
      #expect(try echo.call("still room", returning: String.self) == "still room")
      for value in stride(from: Int64(LuaHandle.topLevelCapacity - 9), through: 0, by: -1) {
        #expect(stack.integer(at: -1) == value)
        stack.pop()
      }
    }
    #expect(try state.stackDepth == 0)
  }
}
