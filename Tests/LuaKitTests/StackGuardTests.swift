import Testing

@testable import LuaKit

/// An error thrown on purpose halfway through a guarded scope.
private struct Planned: Error {}

@Suite("Stack guard")
struct StackGuardTests {
  @Test func restoresTheTopOnReturnAndOnThrow() throws {
    let state = try makeState()
    try state.withStack { stack in
      try stack.reserve(8)
      let base = stack.top
      func fill(_ count: Int, thenThrow: Bool) throws -> Int32 {
        let frame = StackGuard(stack)
        for value in 0..<count { frame.stack.push(Int64(value)) }
        if thenThrow { throw Planned() }
        return frame.stack.top
      }
      #expect(try fill(3, thenThrow: false) == base + 3)
      #expect(stack.top == base)
      #expect(throws: Planned.self) { try fill(5, thenThrow: true) }
      #expect(stack.top == base)
    }
    #expect(try state.stackDepth == 0)
  }

  @Test func restoresAnEarlierTopOrDropsACount() throws {
    let state = try makeState()
    try state.withStack { stack in
      try stack.reserve(8)
      let base = stack.top
      // `top:` claims values pushed before the guard, and everything pushed after it.
      func claim(thenThrow: Bool) throws {
        stack.push(true)
        stack.push(false)
        let frame = StackGuard(stack, top: base)
        frame.stack.pushNil()
        if thenThrow { throw Planned() }
      }
      try claim(thenThrow: false)
      #expect(stack.top == base)
      #expect(throws: Planned.self) { try claim(thenThrow: true) }
      #expect(stack.top == base)
      // `popping:` drops the values on top, counted when the scope ends.
      func drop(thenThrow: Bool) throws -> Bool {
        stack.push(true)
        stack.push(Int64(2))
        let frame = StackGuard(stack, popping: 2)
        if thenThrow { throw Planned() }
        return frame.stack.truth(at: -2)
      }
      #expect(try drop(thenThrow: false))
      #expect(stack.top == base)
      #expect(throws: Planned.self) { try drop(thenThrow: true) }
      #expect(stack.top == base)
    }
  }

  @Test func guardedOperationsThatThrowLeaveTheStackBalanced() throws {
    let state = try makeState()
    let table = try state.newTable()
    try table.set("name", "Tokyo")
    #expect(throws: LuaError.self) { try table.get("name", as: Int.self) }
    #expect(throws: LuaError.self) { try table.get("name", as: [Int].self) }
    // The typed call's guard drops the result whose conversion failed, and the handler.
    #expect(throws: LuaError.self) { try state.load("return 'x'", name: "=c").call(returning: Int.self) }
    #expect(throws: LuaError.self) { try state.load("error('x')", name: "=e").callReturningAll() }
    let broken = try state.load(
      "return setmetatable({}, {__tostring = function() error('no') end})", name: "=t"
    ).call(returning: LuaTable.self)
    #expect(
      try state.withStack { stack in
        try broken.push(onto: stack)
        return stack.describe(at: -1)
      } == "(table value)")
    #expect(try state.stackDepth == 0)
  }
}
