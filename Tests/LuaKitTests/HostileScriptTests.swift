import Testing

@testable import LuaKit

/// A hostile script and how it must be contained.
struct Hostile: CustomTestStringConvertible, Sendable {
  enum Expectation: Sendable {
    case limit(LuaError.Limit)
    case error(String)
    /// Either a memory limit or an error with this text, whichever Lua hits first.
    case memoryOr(String)
  }
  let source: String
  let expectation: Expectation
  /// The run's deadline: short for loops, longer where Lua must first fill its stack or heap.
  var timeout: Duration = .milliseconds(300)
  var testDescription: String { source }
}

@Suite("Hostile scripts are contained and the host stays usable")
struct HostileScriptTests {
  static let scripts: [Hostile] = [
    Hostile(source: "while true do end", expectation: .limit(.time)),
    Hostile(source: "local x = string.rep('x', 2^31)", expectation: .memoryOr("resulting string too large")),
    Hostile(source: "local x = string.rep('x', 2^28)", expectation: .limit(.memory), timeout: .seconds(20)),
    Hostile(
      source: "local function f() return 1 + f() end return f()", expectation: .memoryOr("stack overflow"),
      timeout: .seconds(20)),
    Hostile(source: "os.execute('echo owned')", expectation: .error("attempt to call a nil value (field 'execute')")),
    Hostile(source: "io.open('/etc/passwd')", expectation: .error("attempt to index a nil value (global 'io')")),
    Hostile(source: "local f = load(string.dump(function() end))", expectation: .error("(field 'dump')")),
    Hostile(source: "local dump = ('').dump; return dump(print)", expectation: .error("attempt to call a nil value")),
    Hostile(
      source: "assert(load('\\27Lua\\84\\0\\25\\147\\r\\n\\26\\n'))",
      expectation: .error("attempt to load a binary chunk")),
    Hostile(source: "return load('return 1', 'x', 'b')", expectation: .error("binary chunks are not allowed")),
    Hostile(source: "require '../x'", expectation: .error("invalid module name '../x'")),
    Hostile(source: "require '/etc/passwd'", expectation: .error("invalid module name")),
    Hostile(source: "getmetatable('').__index = nil", expectation: .error("read-only table 'string metatable'")),
    Hostile(source: "getmetatable('').__index.upper = nil", expectation: .error("read-only table 'string'")),
    Hostile(source: "setmetatable(_G, nil)", expectation: .error("cannot change a protected metatable")),
    Hostile(source: "pcall(function() while true do end end) print('escaped')", expectation: .limit(.time)),
    Hostile(
      source: "while true do pcall(function() while true do end end) end", expectation: .limit(.time)),
    Hostile(
      source: "xpcall(function() while true do end end, function() while true do end end) print('escaped')",
      expectation: .limit(.time)),
    Hostile(
      source: "xpcall(function() error('x') end, function() while true do end end) print('escaped')",
      expectation: .limit(.time)),
    Hostile(
      source: "error(setmetatable({}, {__tostring = error}))", expectation: .error("(error object is a table value)")),
    Hostile(source: "collectgarbage('stop')", expectation: .error("collectgarbage('stop') is not allowed")),
    Hostile(source: "local s = 'x' while true do s = s .. s end", expectation: .limit(.memory), timeout: .seconds(20)),
    Hostile(source: "coroutine.wrap(function() while true do end end)()", expectation: .limit(.time)),
    Hostile(
      source:
        "local co = coroutine.create(function() while true do end end) print(coroutine.resume(co)) print('escaped')",
      expectation: .limit(.time)),
    Hostile(
      source: "coroutine.wrap(function() coroutine.wrap(function() while true do end end)() end)()",
      expectation: .limit(.time)),
    Hostile(
      source: "local t = setmetatable({}, {__index = function() while true do end end}) return t.x",
      expectation: .limit(.time)),
    Hostile(
      source: "setmetatable({}, {__gc = function() while true do end end})",
      expectation: .error("__gc metamethods are not allowed")),
    Hostile(source: "rawset(getmetatable(''), '__index', {})", expectation: .error("read-only table with rawset")),
    Hostile(source: "string.upper = nil", expectation: .error("read-only table 'string'")),
    Hostile(source: "math.randomseed(os.time())", expectation: .error("math.randomseed is not available")),
    Hostile(source: "return debug.getregistry()", expectation: .error("(global 'debug')")),
    Hostile(source: "return package.loadlib('x', 'y')", expectation: .error("(global 'package')")),
    Hostile(source: "dofile('/etc/passwd')", expectation: .error("(global 'dofile')")),
    Hostile(
      source: "local s = string.rep('x', 1e6) local t = {} for i = 1, 1e9 do t[i] = s .. i end",
      expectation: .limit(.memory), timeout: .seconds(20)),
    // A coroutine's __close handlers run when it is closed, under the same watchdog.
    Hostile(
      source: """
        local co = coroutine.create(function()
          local x <close> = setmetatable({}, { __close = function() while true do end end })
          coroutine.yield()
        end)
        coroutine.resume(co) print(coroutine.close(co)) print('escaped')
        """, expectation: .limit(.time)),
    Hostile(
      source: """
        local f = coroutine.wrap(function()
          local x <close> = setmetatable({}, { __close = function() while true do end end })
          error('boom')
        end)
        print(pcall(f)) print('escaped')
        """, expectation: .limit(.time)),
    Hostile(
      source: """
        local co = coroutine.create(function()
          local x <close> = setmetatable({}, { __close = function() while true do end end })
          coroutine.yield()
        end)
        coroutine.resume(co) print(pcall(coroutine.close, co)) print('escaped')
        """, expectation: .limit(.time)),
    // Long C loops inside the library, bounded by the sandbox's own versions.
    Hostile(source: "table.move({}, 1, 1 << 50, 1, {})", expectation: .error("more than 10000000 elements")),
    Hostile(
      source: "local t = {} setmetatable(t, { __call = t }) t()", expectation: .error("__call must be a function")),
    Hostile(
      source: "load(coroutine.wrap(function() while true do coroutine.yield('--') end end))",
      expectation: .limit(.time)),
    Hostile(
      source: "local a = string.rep('', math.maxinteger) assert(a == '') while true do end", expectation: .limit(.time)),
    // The same bounds reached through string methods (the string metatable's __index).
    Hostile(
      source: "local a = (''):rep(math.maxinteger) assert(a == '') while true do end", expectation: .limit(.time)),
    // The pattern matcher backtracks in one C call: costly patterns are refused up front.
    Hostile(source: "string.find(string.rep('(', 300000), '%b()')", expectation: .error("pattern too costly")),
    Hostile(source: "local s = ('a'):rep(20000) s:find('.-.-.-.-b')", expectation: .error("pattern too costly")),
    Hostile(source: "local s = ('a'):rep(20000) s:match('(a*)*b')", expectation: .error("pattern too costly")),
    Hostile(source: "for _ in ('a'):rep(1e5):gmatch('a-a-a-b') do end", expectation: .error("pattern too costly")),
    Hostile(source: "local s = ('a'):rep(1e5) s:gsub('.-.-b', '')", expectation: .error("pattern too costly")),
    Hostile(
      source: "local s = ('x'):rep(1e6) s:find(('x'):rep(5e5) .. 'y', 1, true)",
      expectation: .error("more than the sandbox allows")),
  ]

  @Test(arguments: scripts)
  func isContained(_ hostile: Hostile) throws {
    let output = OutputCollector()
    let state = try makeState(memoryLimit: 64 << 20, output: output)
    let report = state.run(limits: RunLimits(timeout: hostile.timeout)) {
      try state.execute(hostile.source, name: "=hostile")
    }
    guard case .failure(let failure) = report.result, let error = failure as? LuaError else {
      Issue.record("expected an error, got \(report.result)")
      return
    }
    switch hostile.expectation {
    case .limit(let limit):
      #expect(error.limit == limit, "\(error)")
    case .error(let text):
      #expect(error.limit == nil)
      #expect(error.description.contains(text), "\(error)")
    case .memoryOr(let text):
      #expect(error.limit == .memory || error.description.contains(text), "\(error)")
    }
    #expect(!output.text.contains("escaped"))
    #expect(!output.text.contains("owned"))
    // The host and the state are still usable, with intact libraries.
    #expect(try state.stackDepth == 0)
    let after = state.run(limits: RunLimits(timeout: .seconds(5))) {
      try state.evaluate("return ('ok'):upper() .. #string.rep('x', 3) .. math.floor(2.5)", as: String.self)
    }
    #expect(try after.get() == "OK32")
  }

  @Test func boundedLibraryFunctionsGiveLuasOwnResults() throws {
    let state = try makeState()
    let values = try state.execute(
      """
      local t = table.move({1, 2, 3, 4}, 2, 4, 1)
      return string.rep("ab", 3, "-"), string.rep("", 5), string.rep("x", 0), string.rep("", 3, ","),
        table.concat(t, ","), select("#", string.rep("", 2))
      """, name: "=bounded")
    #expect(values.map { "\($0.scalar ?? "nil")" } == ["ab-ab-ab", "", "", ",,", "2,3,4,4", "1"])
  }

  /// The sandbox's find, match, gmatch and gsub against the stock functions on random subjects
  /// and patterns (malformed ones included): the same results or the same error on every call
  /// the sandbox accepts, and it accepts every one of these small cases.
  @Test func boundedPatternFunctionsGiveLuasOwnResults() throws {
    let state = try makeState()
    let chunk = """
      local seed = 12345
      local function rand(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n + 1 end
      local alphabet = { "a", "b", "a", "(", ")", "%", ".", "-", "*", "+", "?", "[", "]", "^", "$", "%a", "%d", "1" }
      local function word(max, pick)
        local parts = {}
        for i = 1, rand(max) - 1 do parts[i] = pick[rand(#pick)] end
        return table.concat(parts)
      end
      local out = {}
      local function show(...)
        local parts = { tostring(select("#", ...)) }
        for i = 1, select("#", ...) do parts[#parts + 1] = tostring((select(i, ...))) end
        out[#out + 1] = table.concat(parts, "|")
      end
      for _ = 1, 3000 do
        local s = word(40, { "a", "b", "(", ")", "1", " " })
        local p = word(8, alphabet)
        local init = rand(12) - 6
        show(pcall(string.find, s, p, init))
        show(pcall(string.find, s, p, init, true))
        show(pcall(string.match, s, p, init))
        show(pcall(string.gsub, s, p, "<%0>", rand(4) - 1))
        local ok, iterator = pcall(string.gmatch, s, p)
        if ok then
          local n = 0
          show(pcall(function() for a, b in iterator do n = n + 1 if n > 50 then break end end return n end))
        else
          show(ok, iterator)
        end
      end
      return table.concat(out, "\\n")
      """
    let sandboxed = try state.execute(chunk, name: "=patterns")
    let stock = try state.execute(chunk, name: "=patterns", environment: try state.hostGlobals)
    let sandboxedText = try #require(sandboxed.first?.scalar.map { "\($0)" })
    let stockText = try #require(stock.first?.scalar.map { "\($0)" })
    #expect(sandboxedText.split(separator: "\n").count == 15_000)
    #expect(sandboxedText == stockText)
  }

  @Test func coroutineCloseGivesLuasOwnResults() throws {
    let state = try makeState()
    let chunk = """
      local out = {}
      local function add(...) out[#out + 1] = table.concat(table.pack(...), "|", 1, select("#", ...)) end
      local function show(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end add(table.unpack(t, 1, t.n)) end
      local suspended = coroutine.create(function() coroutine.yield() end)
      coroutine.resume(suspended)
      show(coroutine.close(suspended))
      show(coroutine.status(suspended))
      show(coroutine.close(suspended))
      show(coroutine.close(coroutine.create(print)))
      local failing = coroutine.create(function()
        local x <close> = setmetatable({}, { __close = function() error("in close", 0) end })
        coroutine.yield()
      end)
      coroutine.resume(failing)
      show(coroutine.close(failing))
      local dead = coroutine.create(function() error({ code = 7 }) end)
      coroutine.resume(dead)
      local ok, e = coroutine.close(dead)
      show(ok, type(e), e.code)
      show(pcall(coroutine.close, coroutine.running()))
      local outer
      outer = coroutine.create(function()
        local inner = coroutine.create(function() return pcall(coroutine.close, outer) end)
        return coroutine.resume(inner)
      end)
      show(coroutine.resume(outer))
      show(pcall(coroutine.close, 42))
      return table.concat(out, "\\n")
      """
    let sandboxed = try state.execute(chunk, name: "=close")
    let stock = try state.execute(chunk, name: "=close", environment: try state.hostGlobals)
    let sandboxedText = try #require(sandboxed.first?.scalar.map { "\($0)" })
    let stockText = try #require(stock.first?.scalar.map { "\($0)" })
    #expect(sandboxedText == stockText)
    #expect(sandboxedText.contains("cannot close a running coroutine"))
    #expect(sandboxedText.contains("cannot close a normal coroutine"))
    #expect(sandboxedText.contains("false|in close"))
  }

  @Test func aCloseHandlerPastTheInstructionBudgetEndsTheRun() throws {
    let state = try makeState()
    let report = state.run(limits: RunLimits(timeout: .seconds(20), instructions: 1_000_000)) {
      try state.execute(
        """
        local co = coroutine.create(function()
          local x <close> = setmetatable({}, { __close = function() while true do end end })
          coroutine.yield()
        end)
        coroutine.resume(co)
        local ok, e = coroutine.close(co)
        return "went on"
        """, name: "=budget")
    }
    guard case .failure(let failure) = report.result, let error = failure as? LuaError else {
      Issue.record("expected the budget to stop the run, got \(report.result)")
      return
    }
    #expect(error.limit == .instructions, "\(error)")
  }

  @Test func nestedCoroutineClosesFromCloseHandlersStopAtTheirBound() throws {
    let state = try makeState(memoryLimit: 256 << 20)
    let report = state.run(limits: RunLimits(timeout: .seconds(20))) {
      try state.execute(
        """
        local deepest, depth = 0, 0
        local function nest()
          depth = depth + 1
          if depth > deepest then deepest = depth end
          local co = coroutine.create(function()
            local x <close> = setmetatable({}, { __close = function() nest() end })
            coroutine.yield()
          end)
          coroutine.resume(co)
          coroutine.close(co)
          depth = depth - 1
        end
        nest()
        return deepest
        """, name: "=closes")
    }
    let values = try report.get()
    guard case .integer(let deepest)? = values.first else {
      Issue.record("no depth: \(values)")
      return
    }
    #expect(deepest == 51, "\(deepest)")  // the bound (50) is reached before Lua's C stack limit
  }
}
