import Testing

@testable import LuaKit

final class Counter {
  var count = 0
  let name: String
  init(name: String) { self.name = name }
}

struct Point {
  var x: Double
  var y: Double
}

@Suite("Userdata")
struct UserdataTests {
  func makeCounterState() throws -> LuaState {
    let state = try makeState()
    try state.registerType(Counter.self, name: "Counter") { type in
      type.field("count") { $0.count }
      type.field("name") { $0.name }
      type.method("add") { counter, call in
        counter.count += try call.argument(2, as: Int.self)
        try call.push(counter.count)
        return 1
      }
    }
    return state
  }

  @Test func typeErrorsAndReadOnlyFields() throws {
    let state = try makeCounterState()
    let counter = Counter(name: "KR")
    let run = { (source: String) throws -> [LuaValue] in
      try state.load(source, name: "@u.lua").callReturningAll(LuaObject(counter))
    }
    let values = try run(
      "local c = ... c:add(2) return c:add(3), c.count, c.name, c.nothing, tostring(c):match('^Counter')")
    #expect(values.map { "\($0.scalar ?? "nil")" } == ["5", "5", "KR", "nil", "Counter"])
    let wrongSelf = #expect(throws: LuaError.self) { try run("local c = ... return c.add({}, 1)") }
    #expect(wrongSelf?.message.contains("calling 'add' on a table where Counter was expected") == true)
    let assign = #expect(throws: LuaError.self) { try run("local c = ... c.count = 10") }
    #expect(assign?.description.contains("u.lua:1: cannot assign field 'count' of Counter") == true)
    let metatable = try run("local c = ... return getmetatable(c)")
    #expect(metatable.first?.scalar as? String == "Counter")
    #expect(try state.stackDepth == 0)
  }

  @Test func valueTypesAreBoxedAndReleased() throws {
    let state = try makeState()
    try state.registerType(Point.self, name: "Point") { type in
      type.field("x") { $0.x }
      type.method("scale") { point, call in
        let factor = try call.argument(2, as: Double.self)
        point.x *= factor
        point.y *= factor
        try call.push(point.x + point.y)
        return 1
      }
    }
    let function = try state.load("local p = ... p:scale(2) return p:scale(10), p.x", name: "=p")
    let values = try function.callReturningAll(LuaObject(Point(x: 1, y: 2)))
    #expect(values.map { $0.scalar as? Double } == [60, 20])
    let memory = state.memoryInUse
    try state.collectGarbage()
    #expect(state.memoryInUse <= memory)
  }

  @Test func objectsAreReleasedWhenCollected() throws {
    final class Tracked {}
    weak var weakObject: Tracked?
    let state = try makeState()
    try state.registerType(Tracked.self, name: "Tracked") { _ in }
    try state.withStack { stack in
      let object = Tracked()
      weakObject = object
      try stack.pushObject(object)
    }
    try state.collectGarbage()
    #expect(weakObject == nil)
  }

  @Test func unregisteredTypesAreRefused() throws {
    let state = try makeState()
    #expect(throws: LuaError.self) { try state.withStack { try $0.pushObject(Point(x: 0, y: 0)) } }
  }
}
