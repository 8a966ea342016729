import CLua
import Testing

@testable import LuaKit

@Suite("Registry references")
struct RegistryTests {
  /// The number of entries in the registry table.
  func registrySize(_ state: LuaState) throws -> Int {
    try state.withStack { stack in
      lua_pushvalue(stack.L, clua_registryindex())
      var count = 0
      try stack.forEachPair(table: -1) { count += 1 }
      return count
    }
  }

  @Test func handlesOnTheSameFunctionAreTheSame() throws {
    let state = try makeState()
    let pair = try state.load("local f = function() end return f, f, function() end", name: "=f")
      .callReturningAll()
    guard case .function(let first) = pair[0], case .function(let again) = pair[1], case .function(let other) = pair[2]
    else {
      Issue.record("expected three functions, got \(pair)")
      return
    }
    #expect(first.isSame(as: again))
    #expect(first.isSame(as: first))
    #expect(!first.isSame(as: other))
    let elsewhere = try makeState().load("return 1", name: "=g")
    #expect(!first.isSame(as: elsewhere))
    #expect(try state.stackDepth == 0)
  }

  @Test func registryDoesNotGrowOver100kCreateReleaseCycles() throws {
    let state = try makeState()
    let makeTable = try state.load("return {}", name: "=t")
    let makeFunction = try state.load("return function() end", name: "=f")
    for _ in 0..<10 { _ = try makeTable.call(returning: LuaTable.self) }
    let before = try registrySize(state)
    for index in 0..<100_000 {
      let table: LuaTable = try makeTable.call()
      try table.set("i", index)
      let function: LuaFunction = try makeFunction.call()
      _ = try function.callReturningAll()
      let value = try state.value("text \(index)")
      _ = value
    }
    #expect(try registrySize(state) <= before + 2)
    #expect(try state.stackDepth == 0)
  }

  @Test func swiftClosuresAreReleasedWhenLuaCollectsThem() throws {
    final class Token {}
    weak var weakToken: Token?
    let state = try makeState()
    do {
      let token = Token()
      weakToken = token
      let function = try state.function(named: "hold") { _ in
        _ = token
        return 0
      }
      _ = try function.callReturningAll()
    }
    try state.collectGarbage()
    #expect(weakToken == nil)
  }

  @Test func closingTheStateReleasesClosuresAndInvalidatesReferences() throws {
    final class Token {}
    weak var weakToken: Token?
    var table: LuaTable?
    do {
      let state = try makeState()
      let token = Token()
      weakToken = token
      let env = try state.makeEnvironment()
      try env.set(
        "hold",
        try state.function(named: "hold") { _ in
          _ = token
          return 0
        })
      table = env
    }
    #expect(weakToken == nil)
    let error = #expect(throws: LuaError.self) { try table?.get("hold", as: LuaValue.self) }
    #expect(error?.kind == .closed)
  }
}
