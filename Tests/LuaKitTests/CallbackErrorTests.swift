import Testing

@testable import LuaKit

/// A host error with a payload: it must come back from Lua as this very value.
struct HostFailure: Error, Equatable {
  var code: Int
}

/// A host error that is not `Equatable`.
struct OpaqueFailure: Error {
  var detail: String
}

/// A host error whose equality ignores case.
struct NamedFailure: Error, Equatable {
  var name: String

  static func == (lhs: NamedFailure, rhs: NamedFailure) -> Bool { lhs.name.lowercased() == rhs.name.lowercased() }
}

/// An environment with `fail(code)`, which throws `HostFailure(code:)` unless `code` is 0, and
/// `apply(f, ...)`, which calls the Lua function `f` from Swift.
private func makeHost(_ state: LuaState) throws -> LuaTable {
  let env = try state.makeEnvironment()
  try env.set(
    "fail",
    try state.function(named: "fail") { (code: Int) throws -> Void in
      if code != 0 { throw HostFailure(code: code) }
    })
  try env.set(
    "apply",
    try state.function(named: "apply") { call in
      let f = try call.argument(1, as: LuaFunction.self)
      let code = try call.argument(2, as: Int?.self) ?? 0
      try call.push(try f.call(code, returning: LuaValue.self))
      return 1
    })
  return env
}

@Suite("Swift errors crossing Lua")
struct CallbackErrorTests {
  @Test func theOriginalErrorComesBackToTheHost() throws {
    let state = try makeState()
    let env = try makeHost(state)
    let error = #expect(throws: LuaError.self) {
      try state.execute("local x = 1\nfail(7)", name: "@host.lua", environment: env)
    }
    #expect(error?.underlying as? HostFailure == HostFailure(code: 7))
    #expect(error?.kind == .callback)
    #expect(error?.description == "host.lua:2: fail: HostFailure(code: 7)")
    #expect(error?.traceback?.hasPrefix("stack traceback:") == true)
    #expect(error?.traceback?.contains("host.lua:2: in main chunk") == true)
    #expect(try state.stackDepth == 0)
  }

  @Test func everyWayOfCallingLuaGivesItBack() throws {
    let state = try makeState()
    let env = try makeHost(state)
    let function = try state.load("fail(...) return 1", name: "=f", environment: env)
    let typed = #expect(throws: LuaError.self) { try function.call(7, returning: Int.self) }
    #expect(typed?.underlying as? HostFailure == HostFailure(code: 7))
    let all = #expect(throws: LuaError.self) { try function.callReturningAll(8) }
    #expect(all?.underlying as? HostFailure == HostFailure(code: 8))
    let report = state.run(limits: RunLimits(instructions: 1_000_000)) { try function.call(9, returning: Int.self) }
    #expect((report.result.failureError as? LuaError)?.underlying as? HostFailure == HostFailure(code: 9))
    #expect(try state.stackDepth == 0)
  }

  @Test func nestedLuaSwiftLuaSwiftCallsKeepTheValue() throws {
    let state = try makeState()
    let env = try makeHost(state)
    let source = """
      return apply(function(code)
        return apply(function(inner) fail(inner) end, code)
      end, 7)
      """
    let error = #expect(throws: LuaError.self) { try state.execute(source, name: "@nest.lua", environment: env) }
    #expect(error?.underlying as? HostFailure == HostFailure(code: 7))
    #expect(error?.kind == .callback)
    #expect(error?.description == "nest.lua:2: fail: HostFailure(code: 7)")
    #expect(try state.stackDepth == 0)
  }

  @Test func scriptsCatchItAsAValueWhoseTostringIsTheMessage() throws {
    let state = try makeState()
    let env = try makeHost(state)
    let source = """
      local ok, e = pcall(function() fail(7) end)
      local direct_ok, direct = pcall(fail, 8)
      return ok, type(e), tostring(e), 'caught: ' .. e, tostring(direct)
      """
    let values = try state.execute(source, name: "@catch.lua", environment: env)
    #expect(
      values.map { "\($0.scalar ?? "?")" } == [
        "false", "userdata", "catch.lua:1: fail: HostFailure(code: 7)",
        "caught: catch.lua:1: fail: HostFailure(code: 7)", "fail: HostFailure(code: 8)",
      ])
    let mixed = #expect(throws: LuaError.self) {
      try state.execute("local _, e = pcall(fail, 7) return {} .. e", environment: env)
    }
    #expect(mixed?.message == "attempt to concatenate a table value")
    #expect(try state.stackDepth == 0)
  }

  @Test func reRaisingTheCaughtValueStillGivesTheOriginal() throws {
    let state = try makeState()
    let env = try makeHost(state)
    for source in [
      "local ok, e = pcall(fail, 7) error(e)",
      "local ok, e = pcall(fail, 7) error(e, 2)",
      "local ok, e = xpcall(fail, function(m) return m end, 7) error(e)",
      "coroutine.wrap(function() fail(7) end)()",
      "local co = coroutine.create(function() fail(7) end) local ok, e = coroutine.resume(co) error(e)",
    ] {
      let error = #expect(throws: LuaError.self, "\(source)") { try state.execute(source, environment: env) }
      #expect(error?.underlying as? HostFailure == HostFailure(code: 7), "\(source)")
      #expect(error?.message == "fail: HostFailure(code: 7)", "\(source)")
    }
    #expect(try state.stackDepth == 0)
  }

  @Test func luaErrorsThrownByCallbacksKeepTheirKind() throws {
    let state = try makeState()
    let env = try state.makeEnvironment()
    try env.set(
      "convert",
      try state.function(named: "convert") { () throws -> Void in throw LuaError(.conversion, "no such unit") })
    let error = #expect(throws: LuaError.self) { try state.execute("convert()", name: "@k.lua", environment: env) }
    #expect(error?.kind == .conversion)
    #expect(error?.description == "k.lua:1: no such unit")
    #expect(error?.underlying == nil)
  }

  @Test func recursiveCallsOfOneFunctionEachRaiseTheirOwnError() throws {
    let state = try makeState()
    let env = try state.makeEnvironment()
    // visit(n, again) calls again(n - 1), which calls visit again, ignores what that threw and
    // throws its own error; visit(0) returns, so failure blocks are taken from every place of the
    // chain of spares.
    try env.set(
      "visit",
      try state.function(named: "visit") { (n: Int, again: LuaFunction) throws -> Void in
        guard n > 0 else { return }
        _ = try? again.call(n - 1, returning: LuaValue.self)
        throw HostFailure(code: n)
      })
    let source = "local function again(n) return visit(n, again) end return again(...)"
    let function = try state.load(source, name: "=r", environment: env)
    for depth in [3, 5, 2, 1, 4] {
      let error = #expect(throws: LuaError.self) { try function.call(depth, returning: LuaValue.self) }
      #expect(error?.underlying as? HostFailure == HostFailure(code: depth))
    }
    #expect(try function.call(0, returning: Bool?.self) == nil)
    #expect(try state.stackDepth == 0)
  }

  @Test func theErrorSurvivesAnExhaustedMemoryCap() throws {
    let state = try makeState(memoryLimit: 32 << 20)
    let env = try makeHost(state)
    try env.set(
      "clamp",
      try state.function(named: "clamp") { [weak state] () throws -> Void in
        state?.memoryLimit = state?.memoryInUse
      })
    // fail(0) succeeds and leaves its spare failure block; from clamp() on, nothing can be allocated.
    let error = #expect(throws: LuaError.self) {
      try state.execute("fail(0) clamp() fail(7)", environment: env)
    }
    state.memoryLimit = 32 << 20
    #expect(error?.underlying as? HostFailure == HostFailure(code: 7))
    #expect(try state.stackDepth == 0)
  }

  @Test func theMemoryCapHitInsideACallbackStaysAMemoryLimit() throws {
    let state = try makeState(memoryLimit: 16 << 20)
    let env = try makeHost(state)
    let error = #expect(throws: LuaError.self) {
      try state.execute("apply(function() local t = {} for i = 1, 1e8 do t[i] = i end end)", environment: env)
    }
    #expect(error?.limit == .memory)
    #expect(try state.stackDepth == 0)
  }

  @Test func throwingAHundredThousandTimesDoesNotLeak() throws {
    let state = try makeState()
    let env = try makeHost(state)
    let loop = try state.load(
      "local n = 0 for i = 1, ... do local ok, e = pcall(fail, i) if not ok then n = n + 1 end end return n",
      name: "=loop", environment: env)
    let raise = try state.load("local n = ... fail(n)", name: "=raise", environment: env)
    _ = try loop.call(1_000, returning: Int.self)
    try state.collectGarbage()
    let before = state.memoryInUse
    #expect(try loop.call(100_000, returning: Int.self) == 100_000)
    for code in 1...1_000 { _ = try? raise.call(code, returning: LuaValue.self) }
    try state.collectGarbage()
    #expect(state.memoryInUse - before < 4_096, "Lua memory grew from \(before) to \(state.memoryInUse)")
    #expect(try state.stackDepth == 0)
  }

  @Test func equalityComparesTheUnderlyingError() {
    let seven = LuaError(.callback, "f: 7", underlying: HostFailure(code: 7))
    #expect(seven == LuaError(.callback, "f: 7", underlying: HostFailure(code: 7)))
    #expect(seven != LuaError(.callback, "f: 7", underlying: HostFailure(code: 8)))
    #expect(seven != LuaError(.callback, "f: 7"))
    let opaque = LuaError(.callback, "f", underlying: OpaqueFailure(detail: "a"))
    #expect(opaque == LuaError(.callback, "f", underlying: OpaqueFailure(detail: "a")))
    #expect(opaque != LuaError(.callback, "f", underlying: OpaqueFailure(detail: "b")))
    // Equatable errors compare with their own ==, not by their text.
    let named = LuaError(.callback, "f", underlying: NamedFailure(name: "Tokyo"))
    #expect(named == LuaError(.callback, "f", underlying: NamedFailure(name: "TOKYO")))
    #expect(named != LuaError(.callback, "f", underlying: OpaqueFailure(detail: "Tokyo")))
  }
}
