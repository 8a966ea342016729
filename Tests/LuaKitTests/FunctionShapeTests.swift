import Testing

@testable import LuaKit

@Suite("Function shape")
struct FunctionShapeTests {
  @Test func onlyLuaFunctionsWithoutUpvaluesCaptureNothing() throws {
    let state = try makeState()
    func function(_ source: String) throws -> LuaFunction {
      try state.load(source, name: "=shape").call(returning: LuaFunction.self)
    }
    // Reads only its argument, its constants and string methods (the frozen string library).
    #expect(try function("return function(r) return r.hour >= 22 or r.market:lower() == 'jp' end").capturesNothing)
    #expect(try function("return function() return 42 end").capturesNothing)
    // A nested function over the argument is still self-contained.
    #expect(try function("return function(r) local f = function() return r.x end return f() end").capturesNothing)
    // A global (through _ENV), a local of the chunk, a counter: upvalues.
    #expect(try !function("return function(r) return math.floor(r.x) end").capturesNothing)
    #expect(try !function("local limit = 22; return function(r) return r.hour >= limit end").capturesNothing)
    #expect(try !function("local n = 0; return function() n = n + 1; return n end").capturesNothing)
    // A nested function that reaches a global gives its parent an _ENV upvalue.
    #expect(try !function("return function(r) return (function() return print end)() end").capturesNothing)
    // C functions may keep state where no upvalue shows it.
    #expect(try !function("return string.len").capturesNothing)
    let swift = try state.function(named: "swift") { () -> Int64 in 0 }
    #expect(!swift.capturesNothing)
    #expect(try state.stackDepth == 0)
  }
}
