import Testing

@testable import LuaKit

struct Boom: Error, CustomStringConvertible {
  var description: String { "boom from Swift" }
}

@Suite("Swift functions called from Lua")
struct CallbackTests {
  @Test func typedClosureConvertsArgumentsAndResult() throws {
    let state = try makeState()
    let env = try state.makeEnvironment()
    try env.set("add", try state.function(named: "add") { (a: Double, b: Double) in a + b })
    try env.set(
      "greet",
      try state.function(named: "greet") { (name: String, times: Int) in
        String(repeating: "hi \(name) ", count: times)
      })
    #expect(try state.load("return add(1.5, 2)", name: "=t", environment: env).call(returning: Double.self) == 3.5)
    #expect(
      try state.load("return greet('jp', 2)", name: "=t", environment: env).call(returning: String.self)
        == "hi jp hi jp ")
    #expect(try state.stackDepth == 0)
  }

  @Test func badArgumentsNameFunctionPositionAndCaller() throws {
    let state = try makeState()
    let env = try state.makeEnvironment()
    try env.set("add", try state.function(named: "add") { (a: Double, b: Double) in a + b })
    let error = #expect(throws: LuaError.self) {
      try state.execute("local x = 1\nreturn add(1, 'two')", name: "@kpi.lua", environment: env)
    }
    #expect(error?.kind == .conversion)
    #expect(error?.description == "kpi.lua:2: bad argument #2 to 'add' (expected number, got string)")
    #expect(try state.stackDepth == 0)
  }

  @Test func swiftErrorsBecomeCallbackErrorsWithPosition() throws {
    let state = try makeState()
    let env = try state.makeEnvironment()
    try env.set("fail", try state.function(named: "fail") { () throws -> Void in throw Boom() })
    let error = #expect(throws: LuaError.self) {
      try state.execute("fail()", name: "@s.lua", environment: env)
    }
    #expect(error?.kind == .callback)
    #expect(error?.description == "s.lua:1: fail: boom from Swift")
    // Scripts can catch it like any error.
    let caught: String = try state.load("local ok, e = pcall(fail) return e", name: "=t", environment: env).call()
    #expect(caught == "fail: boom from Swift")
  }

  @Test func callbackThrowingAMillionTimesDoesNotLeak() throws {
    let state = try makeState()
    let env = try state.makeEnvironment()
    try env.set("fail", try state.function(named: "fail") { () throws -> Void in throw Boom() })
    let loop = try state.load(
      "local n = 0 for i = 1, ... do if not pcall(fail) then n = n + 1 end end return n", name: "=loop",
      environment: env)
    _ = try loop.call(1_000, returning: Int.self)
    try state.collectGarbage()
    let before = state.memoryInUse
    #expect(try loop.call(1_000_000, returning: Int.self) == 1_000_000)
    try state.collectGarbage()
    #expect(state.memoryInUse - before < 4_096, "Lua memory grew from \(before) to \(state.memoryInUse)")
    #expect(try state.stackDepth == 0)
  }

  @Test func callbacksCanCallBackIntoLuaAndErrorsKeepTheirPosition() throws {
    let state = try makeState()
    let env = try state.makeEnvironment()
    try env.set(
      "apply",
      try state.function(named: "apply") { (f: LuaFunction, x: Double) in
        try f.call(x, returning: Double.self)
      })
    let ok: Double = try state.load("return apply(function(v) return v * 2 end, 21)", name: "=t", environment: env)
      .call()
    #expect(ok == 42)
    let error = #expect(throws: LuaError.self) {
      try state.execute("return apply(function(v)\n error('inner') end, 1)", name: "@n.lua", environment: env)
    }
    #expect(error?.description == "n.lua:2: inner")
    #expect(try state.stackDepth == 0)
  }

  @Test func callbacksWorkInsideCoroutines() throws {
    let state = try makeState()
    let env = try state.makeEnvironment()
    try env.set(
      "twice",
      try state.function(named: "twice") { (f: LuaFunction) in
        try f.call(returning: Int.self) * 2
      })
    let source = """
      local co = coroutine.wrap(function()
        local x = twice(function() return 5 end)
        coroutine.yield(x)
        return twice(function() return 7 end)
      end)
      return co() + co()
      """
    #expect(try state.load(source, name: "=co", environment: env).call(returning: Int.self) == 24)
  }

  @Test func limitInsideNestedLuaCallPropagates() throws {
    let state = try makeState()
    let env = try state.makeEnvironment()
    try env.set(
      "apply",
      try state.function(named: "apply") { (f: LuaFunction) in
        try f.call(returning: LuaValue.self)
      })
    let report = state.run(limits: RunLimits(timeout: .milliseconds(100))) {
      try state.execute("pcall(apply, function() while true do end end) print('escaped')", environment: env)
    }
    #expect((report.result.failureError as? LuaError)?.limit == .time)
  }

  @Test func rawCallbackReturnsSeveralValues() throws {
    let state = try makeState()
    let env = try state.makeEnvironment()
    try env.set(
      "split",
      try state.function(named: "split") { call in
        let text = try call.argument(1, as: String.self)
        let parts = text.split(separator: ",")
        for part in parts { try call.push(String(part)) }
        return Int32(parts.count)
      })
    let values = try state.execute("return split('a,b,c')", environment: env)
    #expect(values.compactMap { $0.scalar as? String } == ["a", "b", "c"])
  }

  /// Unsandboxed code may set `__gc`. At close, finalizers run in the reverse order of marking, so
  /// a table's finalizer set before a Swift function was made runs after that function's box was
  /// finalized: the call must be an error, not a use of the released Swift object (which crashed).
  @Test func finalizerCallingAReleasedFunctionGetsAnError() throws {
    let output = OutputCollector()
    let payload = [1, 2, 3]
    do {
      let state = try LuaState(options: LuaOptions(sandboxed: false))
      let env = try state.makeEnvironment()
      // Made before the table, so finalized after its finalizer ran.
      try env.set("record", try state.function(named: "record") { (line: String) in output.sink(line) })
      _ = try state.execute(
        """
        keep = setmetatable({}, {__gc = function()
          local ok, err = pcall(counted, 2)
          record(tostring(ok) .. " " .. tostring(err))
        end})
        """, name: "=t", environment: env)
      try env.set("counted", try state.function(named: "counted") { (a: Double) in Double(payload.count) + a })
      #expect(try state.execute("return counted(1)", environment: env).first?.scalar as? Double == 4)
    }
    #expect(output.text == "false a Swift function was called after its state released it (from a finalizer)")
  }

  /// The first 256 functions of a state get trampolines of their own (a slot each), the rest share
  /// one that reads an upvalue: every function must still run its own body, from the main thread
  /// and from a coroutine (whose extra space, copied from the main thread, leads to the slots).
  @Test func everyFunctionRunsItsOwnBodyInAndBeyondTheFastSlots() throws {
    let state = try makeState()
    let env = try state.makeEnvironment()
    let functions = try state.newTable()
    for index in 1...300 {
      try functions.set("f\(index)", try state.function(named: "f\(index)") { (offset: Int) in index * 1000 + offset })
    }
    try env.set("functions", functions)
    let mismatches = try state.load(
      """
      local bad = {}
      local function check(offset)
        for i = 1, 300 do
          local got = functions["f" .. i](offset)
          if got ~= i * 1000 + offset then bad[#bad + 1] = i .. ":" .. tostring(got) end
        end
      end
      check(1)
      local co = coroutine.wrap(function() check(2); coroutine.yield(); check(3) end)
      co(); co()
      return table.concat(bad, ",")
      """, name: "=t", environment: env
    ).call(returning: String.self)
    #expect(mismatches == "")
    #expect(try state.stackDepth == 0)
  }
}
