import Testing

@testable import LuaKit

@Suite("Conversions between Swift and Lua")
struct ConversionTests {
  let state: LuaState
  let identity: LuaFunction

  init() throws {
    state = try makeState()
    identity = try state.load("return ...", name: "=identity")
  }

  @Test func booleansRoundTrip() throws {
    #expect(try identity.call(true, returning: Bool.self) == true)
    #expect(try identity.call(false, returning: Bool.self) == false)
    #expect(try state.stackDepth == 0)
  }

  @Test(arguments: [0, 1, -1, Int.max, Int.min, 42])
  func integersRoundTrip(value: Int) throws {
    #expect(try identity.call(value, returning: Int.self) == value)
    let type: String = try state.load("local x = ...; return math.type(x)", name: "=t").call(value)
    #expect(type == "integer")
  }

  @Test func floatsStayFloatsAndIntegersStayIntegers() throws {
    let typeOf = try state.load("return math.type((...))", name: "=t")
    #expect(try typeOf.call(3.0, returning: String.self) == "float")
    #expect(try typeOf.call(3, returning: String.self) == "integer")
    #expect(try identity.call(3.0, returning: Int.self) == 3)
    #expect(throws: LuaError.self) { try identity.call(3.5, returning: Int.self) }
  }

  @Test func specialFloatsRoundTrip() throws {
    #expect(try identity.call(Double.infinity, returning: Double.self) == .infinity)
    #expect(try identity.call(-Double.infinity, returning: Double.self) == -.infinity)
    #expect(try identity.call(Double.nan, returning: Double.self).isNaN)
    #expect(try identity.call(-0.0, returning: Double.self).sign == .minus)
    #expect(try state.evaluate("return 0/0 ~= 0/0", as: Bool.self))
  }

  /// Numbers are read without a result flag, and a zero (which also stands for "no number")
  /// is checked apart: every zero still reads, and nothing else reads as zero.
  @Test func zerosReadAndNonNumbersDoNot() throws {
    for source in ["0", "0.0", "-0.0", "'0'", "' 0x0 '", "'0e5'"] {
      #expect(try state.evaluate("return \(source)", as: Double.self) == 0, "\(source)")
      #expect(try state.evaluate("return \(source)", as: Int.self) == 0, "\(source)")
    }
    for source in ["nil", "false", "true", "'x'", "''", "{}", "print"] {
      let double = #expect(throws: LuaError.self, "\(source)") {
        try state.evaluate("return \(source)", as: Double.self)
      }
      #expect(double?.message.hasPrefix("expected number, got ") == true)
      let integer = #expect(throws: LuaError.self, "\(source)") { try state.evaluate("return \(source)", as: Int.self) }
      #expect(integer?.message.hasPrefix("expected integer, got ") == true)
    }
    #expect(throws: LuaError.self) { try state.evaluate("return 0.5", as: Int.self) }
    #expect(throws: LuaError.self) { try state.evaluate("return '0.5'", as: Int.self) }
    let add = try state.function(named: "add") { (a: Double, b: Int) in a + Double(b) }
    #expect(try add.call(0.0, 0, returning: Double.self) == 0)
    let bad = #expect(throws: LuaError.self) { try add.call("zero", 0, returning: Double.self) }
    #expect(bad?.message.contains("bad argument #1 to 'add' (expected number, got string)") == true)
    #expect(try state.stackDepth == 0)
  }

  @Test func stringsKeepEmbeddedZerosAndUnicode() throws {
    let text = "a\u{0}b\u{0}\u{0}c — 日本語 ✓"
    #expect(try identity.call(text, returning: String.self) == text)
    let length: Int = try state.load("return #(...)", name: "=len").call(text)
    #expect(length == text.utf8.count)
    #expect(try state.evaluate("return 'x\\0y'", as: String.self) == "x\u{0}y")
  }

  @Test func optionalsMapNil() throws {
    #expect(try identity.call(Int?.none, returning: Int?.self) == nil)
    #expect(try identity.call(Int?.some(7), returning: Int?.self) == 7)
    #expect(try state.evaluate("return nil", as: String?.self) == nil)
  }

  @Test func arraysRoundTrip() throws {
    let values = [1.5, 2, -3, .infinity]
    #expect(try identity.call(values, returning: [Double].self) == values)
    #expect(try identity.call([String](), returning: [String].self) == [])
    #expect(try state.evaluate("return {'a', 'b', 'c'}", as: [String].self) == ["a", "b", "c"])
  }

  @Test func nestedArraysAndDictionariesRoundTrip() throws {
    let nested: [String: [Int]] = ["a": [1, 2], "b": [], "c": [3]]
    #expect(try identity.call(nested, returning: [String: [Int]].self) == nested)
    let byNumber: [Int: String] = [1: "one", 10: "ten"]
    #expect(try identity.call(byNumber, returning: [Int: String].self) == byNumber)
  }

  @Test func mismatchesNameTheElement() throws {
    let error = #expect(throws: LuaError.self) {
      try state.evaluate("return {1, 2, 'x'}", as: [Int].self)
    }
    #expect(error?.kind == .conversion)
    #expect(error?.message == "[3]: expected integer, got string")
    let keyed = #expect(throws: LuaError.self) {
      try state.evaluate("return {a = 1, b = true}", as: [String: Int].self)
    }
    #expect(keyed?.message == "[\"b\"]: expected integer, got boolean")
  }

  @Test func luaValueCoversEveryType() throws {
    let values = try state.execute(
      "return nil, true, 1, 1.5, 's', {}, print, coroutine.create(print)", name: "=values")
    #expect(values.map(\.typeName) == ["nil", "boolean", "number", "number", "string", "table", "function", "thread"])
    if case .integer(1) = values[2] {} else { Issue.record("expected integer 1, got \(values[2])") }
    if case .number(1.5) = values[3] {} else { Issue.record("expected float 1.5, got \(values[3])") }
    #expect(try state.stackDepth == 0)
  }

  @Test func referencesFromAnotherStateAreRefused() throws {
    let other = try makeState()
    let table = try other.newTable()
    #expect(throws: LuaError.self) { try identity.call(table, returning: LuaValue.self) }
    #expect(try state.stackDepth == 0)
  }

  @Test func tableAccessors() throws {
    let table = try state.newTable()
    try table.set("name", "JP-Tokyo")
    try table.set("accuracy", 0.97)
    #expect(try table.get("name", as: String.self) == "JP-Tokyo")
    #expect(try table.get("accuracy", as: Double.self) == 0.97)
    #expect(try table.pairs().count == 2)
    let error = #expect(throws: LuaError.self) { try table.get("name", as: Int.self) }
    #expect(error?.message == "name: expected integer, got string")
  }
}
