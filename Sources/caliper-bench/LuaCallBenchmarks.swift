import CLua
import Foundation
import LuaKit

/// The runtime's call-overhead targets (issue 17: at most 1.10 each way): the typed API against the
/// raw C API, timed side by side, then counted in instructions under callgrind when valgrind is
/// installed (``LuaInstructionCounts``: exact where times on a shared machine are noisy).
enum LuaCallBenchmarks {
  static func run() throws -> Bool {
    let environment = ProcessInfo.processInfo.environment
    if let name = environment[LuaCallLoops.loopVariable] {
      // A child under callgrind: run one loop and nothing else.
      guard let loop = LuaCallLoops.Loop(rawValue: name) else {
        throw BenchmarkError("unknown \(LuaCallLoops.loopVariable) '\(name)'")
      }
      try LuaCallLoops().run(loop, calls: Int(environment[LuaCallLoops.callsVariable] ?? "") ?? 0)
      return true
    }
    let loops = try LuaCallLoops()
    let swiftToLua = PairedBenchmark(
      name: "Swift→Lua call (2 numbers → 1)", iterations: 2_000_000, baselineName: "raw C API",
      candidateName: "LuaFunction.call", baseline: { try loops.run(.swiftToLuaRaw, calls: $0) },
      candidate: { try loops.run(.swiftToLuaTyped, calls: $0) })
    let firstPass = report(swiftToLua, try swiftToLua.run(), target: 1.10)
    let luaToSwift = PairedBenchmark(
      name: "Lua→Swift call (2 numbers → 1)", iterations: 2_000_000, baselineName: "lua_CFunction",
      candidateName: "typed Swift closure", baseline: { try loops.run(.luaToSwiftRaw, calls: $0) },
      candidate: { try loops.run(.luaToSwiftTyped, calls: $0) })
    let secondPass = report(luaToSwift, try luaToSwift.run(), target: 1.10)
    loops.finish()
    try LuaInstructionCounts.printIfAvailable()
    return firstPass && secondPass
  }
}

/// The four loops the call benchmarks compare, on one state: a Lua function of two numbers called
/// from Swift through the raw C API and through ``LuaFunction/call(_:_:returning:)``, and a Lua
/// loop calling a plain `lua_CFunction` or a typed Swift closure.
final class LuaCallLoops {
  /// The loops, by the name a callgrind child is given.
  enum Loop: String, CaseIterable {
    case swiftToLuaRaw = "swift-to-lua-raw"
    case swiftToLuaTyped = "swift-to-lua-typed"
    case luaToSwiftRaw = "lua-to-swift-raw"
    case luaToSwiftTyped = "lua-to-swift-typed"
  }

  /// The environment variable naming the one loop a child runs, and the one with its calls.
  static let loopVariable = "CALIPER_BENCH_LUA_LOOP"
  static let callsVariable = "CALIPER_BENCH_LUA_CALLS"

  /// A plain `lua_CFunction` adding two numbers, written as C code is: arguments checked with
  /// `luaL_checknumber` (the typed closure checks them too). The baseline for Lua→Swift calls.
  static let rawAdd: lua_CFunction = { L in
    let a = luaL_checknumber(L, 1)
    let b = luaL_checknumber(L, 2)
    lua_pushnumber(L, a + b)
    return 1
  }

  private let state: LuaState
  private let add: LuaFunction
  private let L: OpaquePointer
  private let reference: Int32
  private let rawLoop: LuaFunction
  private let swiftLoop: LuaFunction
  /// Where the loops fold their results, so that no call is optimised away.
  private var sink = 0.0

  init() throws {
    state = try LuaState()
    add = try state.load("return function(a, b) return a + b end", name: "=bench").call(returning: LuaFunction.self)
    (L, reference) = try state.withStack { [add] stack -> (OpaquePointer, Int32) in
      try add.push(onto: stack)
      return (stack.rawState, luaL_ref(stack.rawState, clua_registryindex()))
    }
    let env = try state.makeEnvironment()
    try state.withStack { stack in
      clua_pushcfunction(stack.rawState, Self.rawAdd)
      try env.set("raw_add", try LuaFunction.read(from: stack, at: -1))
    }
    try env.set("swift_add", try state.function(named: "swift_add") { (a: Double, b: Double) in a + b })
    rawLoop = try state.load(
      "return (function(n) local f = raw_add local s = 0 for i = 1, n do s = f(s, 1) end return s end)(...)",
      name: "=raw", environment: env)
    swiftLoop = try state.load(
      "return (function(n) local f = swift_add local s = 0 for i = 1, n do s = f(s, 1) end return s end)(...)",
      name: "=swift", environment: env)
  }

  /// Makes `calls` calls the way `loop` does.
  func run(_ loop: Loop, calls: Int) throws {
    switch loop {
    case .swiftToLuaRaw:
      for i in 0..<calls {
        lua_rawgeti(L, clua_registryindex(), lua_Integer(reference))
        lua_pushnumber(L, Double(i))
        lua_pushnumber(L, 1.5)
        if clua_pcall(L, 2, 1, 0) != LUA_OK { throw BenchmarkError("the raw call failed") }
        // As careful C code does (and the typed API does): check that the result is a number.
        var isNumber: Int32 = 0
        let value = lua_tonumberx(L, -1, &isNumber)
        if isNumber == 0 { throw BenchmarkError("the raw call's result is not a number") }
        sink += value
        clua_pop(L, 1)
      }
    case .swiftToLuaTyped:
      for i in 0..<calls { sink += try add.call(Double(i), 1.5, returning: Double.self) }
    case .luaToSwiftRaw: sink += try rawLoop.call(calls, returning: Double.self)
    case .luaToSwiftTyped: sink += try swiftLoop.call(calls, returning: Double.self)
    }
  }

  /// Releases the raw loop's registry reference, keeping the loops' results observable.
  func finish() {
    if sink == 42 { print("") }
    luaL_unref(L, clua_registryindex(), reference)
  }
}
