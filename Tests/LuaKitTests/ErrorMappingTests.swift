import Testing

@testable import LuaKit

@Suite("Error mapping")
struct ErrorMappingTests {
  @Test func syntaxErrorNamesChunkAndLine() throws {
    let state = try makeState()
    let error = #expect(throws: LuaError.self) {
      try state.load("local a = 1\nlocal b = = 2\n", name: "@scorecards/jp.lua")
    }
    #expect(error?.kind == .syntax)
    #expect(error?.chunk == "scorecards/jp.lua")
    #expect(error?.line == 2)
    #expect(error?.message == "unexpected symbol near '='")
  }

  @Test func runtimeErrorNamesChunkLineAndTraceback() throws {
    let state = try makeState()
    let error = #expect(throws: LuaError.self) {
      try state.execute("local t = nil\n\nlocal function f() return t.x end\nlocal r = f() return r", name: "@kpi.lua")
    }
    #expect(error?.kind == .runtime)
    #expect(error?.chunk == "kpi.lua")
    #expect(error?.line == 3)
    #expect(error?.message == "attempt to index a nil value (upvalue 't')")
    #expect(error?.traceback?.hasPrefix("stack traceback:") == true)
    #expect(error?.traceback?.contains("kpi.lua:4: in main chunk") == true)
  }

  @Test func errorWithTableValueAndLevelZero() throws {
    let state = try makeState()
    let plain = #expect(throws: LuaError.self) { try state.execute("error('no position', 0)") }
    #expect(plain?.chunk == nil)
    #expect(plain?.message == "no position")
    let custom = #expect(throws: LuaError.self) {
      try state.execute("error(setmetatable({}, {__tostring = function() return 'custom object' end}))")
    }
    #expect(custom?.message == "custom object")
  }

  @Test func binaryChunksAreRefusedByTheHost() throws {
    let state = try makeState()
    let error = #expect(throws: LuaError.self) { try state.load("\u{1B}Lua\u{54}\u{0}", name: "=bin") }
    #expect(error?.kind == .syntax)
    #expect(error?.message.contains("binary chunks are refused") == true)
  }

  @Test func positionSplittingHandlesColonsInChunkNames() {
    let error = LuaError.parsing(.runtime, "C:/packs/jp.lua:12: bad thing: really")
    #expect(error.chunk == "C:/packs/jp.lua")
    #expect(error.line == 12)
    #expect(error.message == "bad thing: really")
    #expect(LuaError.parsing(.runtime, "no position here").chunk == nil)
  }
}
