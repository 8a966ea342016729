import CLua

/// The sandbox's `coroutine.resume` and `coroutine.close`: the standard semantics, plus
/// registration of the coroutine that runs with the ``LimitController`` so a watchdog can arm it,
/// and the caller's hook copied onto it (a coroutine made before the run started has none of its
/// own). Closing runs the coroutine's `__close` handlers, which can loop as long as any code.
enum Coroutines {
  static func resume(_ call: LuaCall) throws -> Int32 {
    let L = call.stack.L
    guard let co = lua_tothread(L, 1) else {
      throw LuaError(
        .conversion, "bad argument #1 to 'resume' (coroutine expected, got \(call.stack.type(at: 1).name))")
    }
    let arguments = call.argumentCount - 1
    guard lua_checkstack(co, arguments) != 0 else {
      throw LuaError(.runtime, "too many arguments to resume")
    }
    lua_xmove(L, co, arguments)
    let controller = call.stack.handle.controller
    controller.enter(co)
    clua_copy_hook(L, co)
    var results: Int32 = 0
    let status = lua_resume(co, L, arguments, &results)
    controller.leave(co)
    if clua_limits_tripped(call.stack.handle.limits) != CLUA_TRIP_NONE {
      // A limit stopped the coroutine (or tripped meanwhile): it is not the script's to catch.
      lua_pushlightuserdata(L, &call.stack.handle.limits.pointee.sentinel)
      return CLUA_RAISE
    }
    if status == LUA_OK || status == LUA_YIELD {
      guard lua_checkstack(L, results + 1) != 0 else {
        lua_settop(co, -results - 1)
        throw LuaError(.runtime, "too many results to resume")
      }
      lua_pushboolean(L, 1)
      lua_xmove(co, L, results)
      return results + 1
    }
    // The error message first, then `false` below it, as Lua's own `auxresume` does: when a
    // coroutine resumes itself, `co` is `L`, the move is nothing and the message is already on
    // top (pushing `false` first returned the two swapped).
    lua_xmove(co, L, 1)
    lua_pushboolean(L, 0)
    lua_rotate(L, -2, 1)
    return 2
  }

  /// Closes a suspended or dead coroutine as `coroutine.close` does, with its `__close`
  /// handlers under the run's limits. Returns `true`, or `false` and the handler's error, or
  /// `nil` and a message when the argument is no coroutine or one that is running or normal (the prelude raises that
  /// one, so its nesting count stays balanced). A tripped limit is raised, never returned.
  static func close(_ call: LuaCall) throws -> Int32 {
    let L = call.stack.L
    guard let co = lua_tothread(L, 1) else {
      return try refuse(
        "bad argument #1 to 'coroutine.close' (thread expected, got \(call.stack.type(at: 1).name))", in: call)
    }
    if let state = activeState(of: co, seenFrom: L) {
      return try refuse("cannot close a \(state) coroutine", in: call)
    }
    let controller = call.stack.handle.controller
    controller.enter(co)
    clua_copy_hook(L, co)
    let status = lua_resetthread(co)
    controller.leave(co)
    if clua_limits_tripped(call.stack.handle.limits) != CLUA_TRIP_NONE {
      lua_pushlightuserdata(L, &call.stack.handle.limits.pointee.sentinel)
      return CLUA_RAISE
    }
    if status == LUA_OK {
      lua_pushboolean(L, 1)
      return 1
    }
    lua_pushboolean(L, 0)
    lua_xmove(co, L, 1)
    return 2
  }

  /// Returns `nil` and the message: the prelude raises it after balancing its nesting count.
  private static func refuse(_ message: String, in call: LuaCall) throws -> Int32 {
    lua_pushnil(call.stack.L)
    try call.stack.push(message)
    return 2
  }

  /// `"running"` or `"normal"` when `co` has frames in use (Lua's `auxstatus`), else `nil`.
  private static func activeState(of co: OpaquePointer, seenFrom L: OpaquePointer) -> String? {
    if co == L { return "running" }
    guard lua_status(co) == LUA_OK else { return nil }
    var frame = lua_Debug()
    return lua_getstack(co, 0, &frame) != 0 ? "normal" : nil
  }
}
