import Testing

@testable import LuaKit

/// Every public operation, successful or failing, leaves the main stack as it found it.
@Suite("Stack balance")
struct StackBalanceTests {
  @Test func everyOperationLeavesTheStackUnchanged() throws {
    let state = try makeState(memoryLimit: 32 << 20)
    try state.registerType(Counter.self, name: "Counter") { type in
      type.field("count") { $0.count }
    }
    let operations: [(String, () throws -> Void)] = [
      ("load", { _ = try state.load("return 1", name: "=a") }),
      ("load syntax error", { _ = try state.load("return +", name: "=a") }),
      ("execute", { _ = try state.execute("return 1, 'two', {}, print") }),
      ("execute runtime error", { _ = try state.execute("error('x')") }),
      (
        "execute limit",
        {
          _ = try state.run(limits: RunLimits(instructions: 10_000)) { try state.execute("while true do end") }.get()
        }
      ),
      ("execute memory", { _ = try state.execute("local t = {} for i = 1, 1e9 do t[i] = i end") }),
      ("typed call", { _ = try state.load("return ... + 1", name: "=c").call(1, returning: Int.self) }),
      (
        "call with an argument that fails to push",
        {
          let foreign = try makeState().newTable()
          _ = try state.load("return 1", name: "=c").call(1, foreign, returning: Int.self)
        }
      ),
      (
        "call from a callback",
        {
          let inner = try state.load("return ... * 3", name: "=inner")
          let outer = try state.function(named: "outer") { (x: Int) in try inner.call(x, returning: Int.self) }
          _ = try outer.call(2, returning: Int.self)
          _ = try outer.call("no", returning: Int.self)
        }
      ),
      ("typed call conversion error", { _ = try state.load("return 'x'", name: "=c").call(returning: Int.self) }),
      (
        "table get/set",
        {
          let table = try state.newTable()
          try table.set("a", [1, 2, 3])
          _ = try table.get("a", as: [Int].self)
          _ = try table.get("a", as: String.self)
        }
      ),
      ("pairs", { _ = try state.newTable().pairs() }),
      ("value", { _ = try state.value(["a": 1.5]) }),
      (
        "function",
        {
          let f = try state.function(named: "f") { (x: Int) in x * 2 }
          _ = try f.call(2, returning: Int.self)
          _ = try f.call("x", returning: Int.self)
        }
      ),
      ("environment", { _ = try state.makeEnvironment() }),
      (
        "codable",
        {
          let value = try LuaEncoder().encode(["a": [1, 2]], in: state)
          _ = try LuaDecoder().decode([String: [Int]].self, from: value, in: state)
          _ = try LuaDecoder().decode([String: String].self, from: value, in: state)
        }
      ),
      (
        "userdata",
        {
          _ = try state.load("local c = ... return c.count", name: "=u").call(
            LuaObject(Counter(name: "x")), returning: Int.self)
        }
      ),
      ("seed", { try state.seedRandom(7) }),
      ("collect", { try state.collectGarbage() }),
    ]
    for (name, operation) in operations {
      let before = try state.stackDepth
      _ = try? operation()
      let after = try state.stackDepth
      #expect(after == before, "\(name) left the stack at \(after)")
    }
    #expect(try state.stackDepth == 0)
  }
}
