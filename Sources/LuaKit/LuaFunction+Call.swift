import CLua

extension LuaFunction {
  /// Calls the function with any number of arguments and converts its first result to `R`.
  ///
  /// Errors raised by the function come back as ``LuaError`` with chunk, line and traceback.
  @inlinable
  public func call<each A: LuaPushable, R: LuaReadable>(
    _ arguments: repeat each A, returning: R.Type = R.self
  ) throws -> R {
    let handle = reference.handle
    let L = try handle.activeThread
    let base = lua_gettop(L)
    let stack = LuaStack(L, handle)
    try pushCallee(on: stack)
    var count: Int32 = 0
    do {
      for argument in repeat each arguments {
        try stack.reserve(1)
        try argument.push(onto: stack)
        count += 1
      }
    } catch {
      lua_settop(L, base)
      throw error
    }
    defer { lua_settop(L, base) }
    handle.pendingCallbackError = nil
    let status = clua_pcall(L, count, 1, base + 1)
    if status != LUA_OK { throw handle.popError(status: status, on: L) }
    return try R.read(from: stack, at: -1)
  }

  /// Calls the function and returns all its results.
  public func callReturningAll<each A: LuaPushable>(_ arguments: repeat each A) throws -> [LuaValue] {
    let handle = reference.handle
    let L = try handle.activeThread
    let base = lua_gettop(L)
    let stack = LuaStack(L, handle)
    try pushCallee(on: stack)
    var count: Int32 = 0
    do {
      for argument in repeat each arguments {
        try stack.reserve(1)
        try argument.push(onto: stack)
        count += 1
      }
    } catch {
      lua_settop(L, base)
      throw error
    }
    defer { lua_settop(L, base) }
    return try stack.callPushed(arguments: count, handlerAt: base + 1)
  }

  /// Pushes the traceback handler and the function itself.
  @inlinable func pushCallee(on stack: LuaStack) throws {
    try stack.reserve(2)
    clua_pushcfunction(stack.L, clua_traceback_handler)
    reference.push(on: stack.L)
  }
}

extension LuaStack {
  /// Calls the function below `arguments` values (with the traceback handler at `handlerAt`)
  /// and returns every result; the stack above `handlerAt - 1` is left to the caller to clear.
  func callPushed(arguments: Int32, handlerAt handler: Int32) throws -> [LuaValue] {
    handle.pendingCallbackError = nil
    let status = clua_pcall(L, arguments, LUA_MULTRET, handler)
    if status != LUA_OK { throw handle.popError(status: status, on: L) }
    var results: [LuaValue] = []
    let top = self.top
    if top > handler {
      for index in (handler + 1)...top { results.append(try LuaValue.read(from: self, at: index)) }
    }
    return results
  }
}
