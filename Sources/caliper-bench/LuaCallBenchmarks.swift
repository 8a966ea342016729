import CLua
import LuaKit

/// The runtime's call-overhead targets (issue 17: at most 1.10 each way): the typed API against the
/// raw C API.
enum LuaCallBenchmarks {
  /// A plain `lua_CFunction` adding two numbers, written as C code is: arguments checked with
  /// `luaL_checknumber` (the typed closure checks them too). The baseline for Lua→Swift calls.
  static let rawAdd: lua_CFunction = { L in
    let a = luaL_checknumber(L, 1)
    let b = luaL_checknumber(L, 2)
    lua_pushnumber(L, a + b)
    return 1
  }

  static func run() throws -> Bool {
    let state = try LuaState()
    let add = try state.load("return function(a, b) return a + b end", name: "=bench").call(returning: LuaFunction.self)

    // Swift → Lua: the raw C API loop and the typed call, on the same function.
    let raw = try state.withStack { stack -> (OpaquePointer, Int32) in
      try add.push(onto: stack)
      let ref = luaL_ref(rawPointer(of: stack), clua_registryindex())
      return (rawPointer(of: stack), ref)
    }
    let (L, ref) = raw
    var sink = 0.0
    let swiftToLua = PairedBenchmark(
      name: "Swift→Lua call (2 numbers → 1)", iterations: 2_000_000, baselineName: "raw C API",
      candidateName: "LuaFunction.call",
      baseline: { n in
        for i in 0..<n {
          lua_rawgeti(L, clua_registryindex(), lua_Integer(ref))
          lua_pushnumber(L, Double(i))
          lua_pushnumber(L, 1.5)
          if clua_pcall(L, 2, 1, 0) != LUA_OK { fatalError("raw call failed") }
          // As careful C code does (and the typed API does): check that the result is a number.
          var isNumber: Int32 = 0
          let value = lua_tonumberx(L, -1, &isNumber)
          if isNumber == 0 { fatalError("result is not a number") }
          sink += value
          clua_pop(L, 1)
        }
      },
      candidate: { n in
        for i in 0..<n {
          sink += try add.call(Double(i), 1.5, returning: Double.self)
        }
      })
    let first = try swiftToLua.run()
    let firstPass = report(swiftToLua, first, target: 1.10)

    // Lua → Swift: the same Lua loop calling a plain lua_CFunction or a typed Swift closure.
    let env = try state.makeEnvironment()
    try state.withStack { stack in
      clua_pushcfunction(rawPointer(of: stack), rawAdd)
      let function = try LuaFunction.read(from: stack, at: -1)
      try env.set("raw_add", function)
    }
    try env.set("swift_add", try state.function(named: "swift_add") { (a: Double, b: Double) in a + b })
    let rawLoop = try state.load(
      "return (function(n) local f = raw_add local s = 0 for i = 1, n do s = f(s, 1) end return s end)(...)",
      name: "=raw", environment: env)
    let swiftLoop = try state.load(
      "return (function(n) local f = swift_add local s = 0 for i = 1, n do s = f(s, 1) end return s end)(...)",
      name: "=swift", environment: env)
    let luaToSwift = PairedBenchmark(
      name: "Lua→Swift call (2 numbers → 1)", iterations: 2_000_000, baselineName: "lua_CFunction",
      candidateName: "typed Swift closure",
      baseline: { n in sink += try rawLoop.call(n, returning: Double.self) },
      candidate: { n in sink += try swiftLoop.call(n, returning: Double.self) })
    let second = try luaToSwift.run()
    let secondPass = report(luaToSwift, second, target: 1.10)
    if sink == 42 { print("") }  // keeps the loops observable
    luaL_unref(L, clua_registryindex(), ref)
    return firstPass && secondPass
  }

  /// The raw `lua_State` behind a stack, for the baseline loops only.
  static func rawPointer(of stack: LuaStack) -> OpaquePointer { stack.rawState }
}
