import Foundation
import Testing

@testable import LuaKit

@Suite("Sandbox")
struct SandboxTests {
  @Test func environmentsDoNotShareGlobals() throws {
    let state = try makeState()
    let first = try state.makeEnvironment()
    let second = try state.makeEnvironment()
    _ = try state.execute("shared = 'first'; print = nil", environment: first)
    #expect(try state.execute("return shared, type(print)", environment: second).map(\.typeName) == ["nil", "string"])
    #expect(
      try state.load("return type(print)", name: "=t", environment: second).call(returning: String.self) == "function")
  }

  @Test func librariesAreReadOnlyForEveryone() throws {
    let state = try makeState()
    let first = try state.makeEnvironment()
    let second = try state.makeEnvironment()
    #expect(throws: LuaError.self) { try state.execute("table.insert = nil", environment: first) }
    #expect(throws: LuaError.self) { try state.execute("rawset(math, 'pi', 3)", environment: first) }
    #expect(throws: LuaError.self) { try state.execute("setmetatable(string, {})", environment: first) }
    let pi: Double = try state.load("return math.pi", name: "=t", environment: second).call()
    #expect(pi == Double.pi)
    // Iteration over a library still works through the read-only view.
    let count: Int = try state.load("local n = 0 for k in pairs(string) do n = n + 1 end return n", name: "=t").call()
    #expect(count == 16)
  }

  @Test func onlyTheAllowListIsVisible() throws {
    let state = try makeState()
    let names: [String] = try state.load(
      "local t = {} for k in pairs(_G) do t[#t + 1] = k end table.sort(t) return t", name: "=t"
    ).call()
    #expect(
      names == [
        "_G", "_VERSION", "assert", "collectgarbage", "coroutine", "error", "getmetatable", "ipairs", "load", "math",
        "next", "os", "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "require", "select",
        "setmetatable", "string", "table", "tonumber", "tostring", "type", "utf8", "xpcall",
      ])
    let osNames: [String] = try state.load(
      "local t = {} for k in pairs(os) do t[#t + 1] = k end table.sort(t) return t", name: "=t"
    ).call()
    #expect(osNames == ["clock", "date", "difftime", "time"])
  }

  @Test func loadIsTextOnlyAndStaysInTheSandbox() throws {
    let state = try makeState()
    #expect(try state.evaluate("return load('return io')()", as: LuaValue.self).typeName == "nil")
    #expect(try state.evaluate("return load('return 1 + 1')()", as: Int.self) == 2)
    #expect(try state.evaluate("return load('return x', 'c', 't', {x = 5})()", as: Int.self) == 5)
    #expect(try state.evaluate("local f, e = load('\\27Lua') return e", as: String.self).contains("binary chunk"))
  }

  @Test func randomNumbersFollowTheSeed() throws {
    let state = try makeState()
    let draw = try state.load("local t = {} for i = 1, 5 do t[i] = math.random(1000) end return t", name: "=r")
    try state.seedRandom(42)
    let first: [Int] = try draw.call()
    try state.seedRandom(42)
    #expect(try draw.call(returning: [Int].self) == first)
    try state.seedRandom(43)
    #expect(try draw.call(returning: [Int].self) != first)
    let other = try makeState()
    try other.seedRandom(42)
    #expect(
      try other.load("local t = {} for i = 1, 5 do t[i] = math.random(1000) end return t", name: "=r").call(
        returning: [Int].self) == first)
  }

  @Test func timeComesFromTheInjectedClockInUTC() throws {
    let state = try makeState(clock: FixedClock(instant: 1_782_000_000.75))
    #expect(try state.evaluate("return os.time()", as: Int.self) == 1_782_000_000)
    #expect(try state.evaluate("return os.date('%Y-%m-%dT%H:%M:%S')", as: String.self) == "2026-06-21T00:00:00")
    #expect(
      try state.evaluate("return os.time{year = 2026, month = 7, day = 1, hour = 8, min = 15}", as: Int.self)
        == 1_782_893_700)
    #expect(
      try state.evaluate("return os.time{year = 2026, month = 13, day = 1, hour = 0}", as: Int.self) == 1_798_761_600)
    #expect(try state.evaluate("return os.clock()", as: Double.self) == 0)
    #expect(try state.evaluate("return os.date('*t', 0).year", as: Int.self) == 1970)
    #expect(throws: LuaError.self) { try state.evaluate("return os.time{year = 2026}", as: Int.self) }
  }

  /// Module files in memory; `escape.lua` is there but refused, as a host refuses a link.
  struct MemoryModules: LuaModuleSource {
    struct Refused: Error, CustomStringConvertible {
      var description: String { "escape.lua is a symbolic link" }
    }
    let files = [
      "lib/util.lua": "loads = (loads or 0) + 1 return { answer = 42, name = ... }",
      "cycle_a.lua": "return require 'cycle_b'",
      "cycle_b.lua": "return require 'cycle_a'",
      "broken.lua": "return 1 +",
      "pkg/init.lua": "return 'package'",
    ]

    func moduleText(at path: String) throws -> String? {
      if path == "escape.lua" { throw Refused() }
      return files[path]
    }
  }

  @Test func requireReadsModulesOnlyThroughItsSource() throws {
    let state = try makeState()
    let env = try state.makeEnvironment(modules: MemoryModules())
    let run = { (source: String) in try state.execute(source, name: "@main.lua", environment: env) }
    let values = try run(
      "local a = require 'lib.util' local b = require 'lib.util' return a == b, a.answer, a.name, loads")
    #expect(values.compactMap(\.scalar).map { "\($0)" } == ["true", "42", "lib.util", "1"])
    let cycle = #expect(throws: LuaError.self) { try run("require 'cycle_a'") }
    #expect(cycle?.message.contains("circular require") == true)
    let escape = #expect(throws: LuaError.self) { try run("require 'escape'") }
    #expect(escape?.message.contains("module 'escape' is refused: escape.lua is a symbolic link") == true)
    #expect(try run("return require 'pkg'").first?.scalar.map { "\($0)" } == "package")
    let missing = #expect(throws: LuaError.self) { try run("require 'nothing.here'") }
    #expect(missing?.description.hasPrefix("main.lua:1: module 'nothing.here' not found") == true)
    let broken = #expect(throws: LuaError.self) { try run("require 'broken'") }
    #expect(broken?.kind == .syntax)
    #expect(broken?.chunk == "broken.lua")
    #expect(try state.stackDepth == 0)
  }

  @Test func hostModulesAreFoundAndReadOnly() throws {
    let state = try makeState()
    state.registerModule("market") { state in
      let table = try state.newTable()
      try table.set("code", "JP")
      return table
    }
    #expect(try state.evaluate("return require('market').code", as: String.self) == "JP")
    #expect(throws: LuaError.self) { try state.execute("require('market').code = 'KR'") }
    #expect(try state.evaluate("return require('market').code", as: String.self) == "JP")
  }

  @Test func unsandboxedStateSeesTheWholeLibrary() throws {
    let state = try LuaState(options: LuaOptions(sandboxed: false))
    #expect(try state.evaluate("return type(io) .. type(debug)", as: String.self) == "tabletable")
  }
}
