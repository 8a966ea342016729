import CLua

/// The sandbox's `coroutine.resume`: the standard semantics, plus registration of the running
/// coroutine with the ``LimitController`` so a watchdog can arm it, and the resumer's hook
/// copied onto it (a coroutine made before the run started has none of its own).
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
}
