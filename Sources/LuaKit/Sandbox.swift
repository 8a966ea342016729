import CLua
import Foundation

/// A module the host offers to `require`, built once per environment on first use.
///
/// The loader returns the module's table; scripts get a read-only view of it.
public typealias HostModule = (LuaState) throws -> LuaTable

/// The sandbox of a state: builds script environments from the trusted prelude.
///
/// What scripts get, and why, is documented in `docs/sandbox.md`.
final class Sandbox {
  private let newEnvironment: LuaFunction
  private let freezeTable: LuaFunction

  init(handle: LuaHandle, clock: any LuaClock) throws {
    let frame = StackGuard(try handle.stack)
    let stack = frame.stack
    try stack.reserve(4)
    // The prelude runs with the real globals, which only it sees.
    var source = SandboxPrelude.source
    let status = source.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) {
        clua_load_text(stack.L, $0.baseAddress, $0.count, SandboxPrelude.chunkName)
      }
    }
    if status != LUA_OK { throw handle.popError(status: status, on: stack.L) }
    let prelude = LuaFunction(try LuaReference(popping: stack))

    try stack.pushTable(recordCapacity: 8)
    let primitives = stack.top
    lua_rawgeti(stack.L, clua_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
    try stack.rawSet(table: primitives, field: "globals")
    try stack.pushFunction(named: "resume", Coroutines.resume)
    try stack.rawSet(table: primitives, field: "resume")
    try stack.pushFunction(named: "close", Coroutines.close)
    try stack.rawSet(table: primitives, field: "close")
    try stack.pushFunction(named: "time") { call in try SandboxTime.time(call, clock: clock) }
    try stack.rawSet(table: primitives, field: "time")
    try stack.pushFunction(named: "now") { call in
      try call.push(Int64(clock.now().rounded(.down)))
      return 1
    }
    try stack.rawSet(table: primitives, field: "now")
    try stack.pushFunction(named: "clock") { call in
      try call.push(clock.processorTime())
      return 1
    }
    try stack.rawSet(table: primitives, field: "cpu")
    lua_pushlightuserdata(stack.L, &handle.limits.pointee.sentinel)
    try stack.rawSet(table: primitives, field: "sentinel")
    clua_pushcfunction(stack.L, clua_limit_guard)
    try stack.rawSet(table: primitives, field: "guard")
    let table = try LuaTable.read(from: stack, at: primitives)
    let results = try prelude.callReturningAll(table)
    guard results.count == 2, case .function(let newEnv) = results[0], case .function(let freeze) = results[1]
    else { throw LuaError(.runtime, "sandbox prelude returned unexpected values") }
    newEnvironment = newEnv
    freezeTable = freeze
  }

  /// A fresh environment: its own globals table, `print` to the state's output, and a `require`
  /// that resolves host modules and then `<name>.lua` files of `modules`.
  func makeEnvironment(state: LuaState, modules: (any LuaModuleSource)?) throws -> LuaTable {
    let host = try state.newTable()
    let output = state.options.output
    try host.set(
      "print",
      try state.function(named: "print") { call in
        var line = ""
        let count = call.argumentCount
        if count > 0 {
          for index in 1...count {
            if index > 1 { line += "\t" }
            line += call.stack.describe(at: index)
          }
        }
        output(line + "\n")
        return 0
      })
    let resolver = ModuleResolver(source: modules)
    try host.set(
      "require",
      try state.function(named: "require") { [weak state] call in
        guard let state else { throw LuaError(.closed, "the Lua state is closed") }
        return try resolver.require(state: state, call: call)
      })
    return try newEnvironment.call(host)
  }

  /// A read-only view of `table` (assignments, `rawset` and `setmetatable` on it fail).
  func freeze(_ table: LuaTable, name: String) throws -> LuaTable {
    try freezeTable.call(table, name)
  }

  /// A read-only deep copy of `table`: nested tables are copied and frozen too.
  func freezeCopy(_ table: LuaTable, name: String) throws -> LuaTable {
    try freezeTable.call(table, name, true)
  }
}
