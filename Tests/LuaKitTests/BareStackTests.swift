import Testing

@testable import LuaKit

/// A conversion outside LuaKit that breaks the stack contract: its read leaves one value behind.
private struct LeakyNumber: LuaReadable {
  var value: Double
  static func read(from stack: LuaStack, at index: Int32) throws -> LeakyNumber {
    let value = try Double.read(from: stack, at: index)
    try stack.reserve(1)
    stack.push(value)
    return LeakyNumber(value: value)
  }
}

/// A conversion outside LuaKit whose push calls into Lua (a call made from inside a call).
private struct Doubled: LuaPushable {
  var function: LuaFunction
  var value: Double
  func push(onto stack: LuaStack) throws {
    stack.push(try function.call(value, value, returning: Double.self))
  }
}

/// A conversion outside LuaKit that calls into Lua and records whether the state then believed
/// its main stack bare (it is not: the call that converts this value has pushed its function).
private final class FlagRecorder: LuaPushable {
  let function: LuaFunction
  let handle: LuaHandle
  var seen: [Bool] = []
  init(_ function: LuaFunction, _ handle: LuaHandle) {
    self.function = function
    self.handle = handle
  }
  func push(onto stack: LuaStack) throws {
    stack.push(try function.call(1.0, 2.0, returning: Double.self))
    seen.append(handle.mainIsBare)
  }
}

/// A typed call from the host skips measuring the main thread's stack when the call before it
/// left it bare (`LuaHandle.mainIsBare`). The flag is only as good as the places that clear it:
/// every way to the main stack, and the call itself while it runs.
@Suite("The main thread's bare stack")
struct BareStackTests {
  private func stateWithAdd() throws -> (LuaState, LuaFunction) {
    let state = try makeState()
    let add = try state.load("return function(a, b) return a + b end", name: "=add").call(returning: LuaFunction.self)
    return (state, add)
  }

  @Test func aTrustedCallLeavesTheStackKnownBareAndOtherAccessForgetsIt() throws {
    let (state, add) = try stateWithAdd()
    #expect(try add.call(1.0, 2.0, returning: Double.self) == 3)
    #expect(state.handle.mainIsBare)
    _ = try state.stackDepth  // asks for the main thread
    #expect(!state.handle.mainIsBare)
    _ = try add.call(1, 2, returning: Int.self)
    #expect(state.handle.mainIsBare)
    try state.withStack { _ in }
    #expect(!state.handle.mainIsBare)
    _ = try add.call("1", 2.0, returning: Double.self)
    #expect(state.handle.mainIsBare)
    var saved: LuaStack?
    try state.withStack { saved = $0 }
    _ = try add.call(1.0, 2.0, returning: Double.self)
    #expect(state.handle.mainIsBare)
    _ = try #require(saved).rawState
    #expect(!state.handle.mainIsBare)
    _ = try add.call(1.0, 2.0, returning: Double.self)
    try #require(saved).reserve(1)
    #expect(!state.handle.mainIsBare)
  }

  /// Values the host keeps on the main stack (through a stack kept from `withStack`, with room
  /// reserved) are seen by the next call, which measures the stack: the flag was cleared.
  @Test func valuesPushedThroughAKeptStackAreMeasured() throws {
    let (state, add) = try stateWithAdd()
    var saved: LuaStack?
    try state.withStack { saved = $0 }
    let stack = try #require(saved)
    _ = try add.call(1.0, 2.0, returning: Double.self)
    try stack.reserve(200)
    for value in 0..<200 { stack.push(Double(value)) }
    #expect(try add.call(1.0, 2.0, returning: Double.self) == 3)
    #expect(!state.handle.mainIsBare)
    #expect(try state.stackDepth == 200)
    stack.pop(200)
    #expect(try state.stackDepth == 0)
    _ = try add.call(1.0, 2.0, returning: Double.self)
    #expect(state.handle.mainIsBare)
  }

  /// A failed call, a call with a conversion LuaKit does not trust, and a call made from inside
  /// a call's conversion leave the flag cleared; the outer call still ends with the stack bare.
  @Test func untrustedFailedAndNestedCallsLeaveTheFlagCleared() throws {
    let (state, add) = try stateWithAdd()
    _ = try add.call(1.0, 2.0, returning: Double.self)
    #expect(throws: LuaError.self) { _ = try add.call(1.0, "x", returning: Double.self) }
    #expect(!state.handle.mainIsBare)
    _ = try add.call(1.0, 2.0, returning: Double.self)
    #expect(try add.call(Doubled(function: add, value: 2), 1.0, returning: Double.self) == 5)
    #expect(!state.handle.mainIsBare)
    #expect(try state.stackDepth == 0)
  }

  /// A call with more arguments than the reserved room measures the stack; it must still clear
  /// the flag, or a call made by one of its conversions would take the stack for bare (and
  /// claim it bare once done, with the outer call's values still on it).
  @Test func aCallTooLargeForTheReservedRoomClearsTheFlagToo() throws {
    let (state, add) = try stateWithAdd()
    let count = try state.load("return function(...) return select('#', ...) end", name: "=count")
      .call(returning: LuaFunction.self)
    let recorder = FlagRecorder(add, state.handle)
    _ = try add.call(1.0, 2.0, returning: Double.self)
    #expect(state.handle.mainIsBare)
    let counted = try count.call(
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
      31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58,
      59, 60, 61, 62, recorder, returning: Int.self)
    #expect(counted == 63)
    #expect(recorder.seen == [false])
    #expect(try state.stackDepth == 0)
  }

  /// A conversion that leaves values behind is never trusted: every call after it measures the
  /// stack (so the leak grows the stack, checked, instead of overrunning the reserved room).
  @Test func aLeakyConversionIsMeasuredEveryTime() throws {
    let (state, add) = try stateWithAdd()
    _ = try add.call(1.0, 2.0, returning: Double.self)
    for round in 0..<300 {
      #expect(try add.call(Double(round), 1.0, returning: LeakyNumber.self).value == Double(round) + 1)
      #expect(!state.handle.mainIsBare)
    }
    #expect(try state.stackDepth == 300)
    var saved: LuaStack?
    try state.withStack { saved = $0 }
    try #require(saved).setTop(LuaHandle.reservedSlots)
    #expect(try state.stackDepth == 0)
    #expect(try add.call(1.0, 2.0, returning: Double.self) == 3)
    #expect(state.handle.mainIsBare)
  }
}
