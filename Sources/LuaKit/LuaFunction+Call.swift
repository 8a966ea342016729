import CLua

// Calls come in fixed arities (0 to 3 arguments), which the optimizer specializes fully, and a
// variadic form for more. All share the same protocol: traceback handler and callee pushed,
// arguments pushed, `lua_pcall`, first result converted, stack restored.

extension LuaFunction {
  /// Calls the function with no arguments and converts its first result to `R`.
  @inlinable
  public func call<R: LuaReadable>(returning: R.Type = R.self) throws -> R {
    try prologue(arguments: 0).finish(arguments: 0)
  }

  /// Calls the function with one argument and converts its first result to `R`.
  @inlinable
  public func call<A: LuaPushable, R: LuaReadable>(_ a: A, returning: R.Type = R.self) throws -> R {
    let call = try prologue(arguments: 1)
    do { try a.push(onto: call.stack) } catch { throw call.abandon(error) }
    return try call.finish(arguments: 1)
  }

  /// Calls the function with two arguments and converts its first result to `R`.
  @inlinable
  public func call<A: LuaPushable, B: LuaPushable, R: LuaReadable>(
    _ a: A, _ b: B, returning: R.Type = R.self
  ) throws -> R {
    let call = try prologue(arguments: 2)
    do {
      try a.push(onto: call.stack)
      try b.push(onto: call.stack)
    } catch { throw call.abandon(error) }
    return try call.finish(arguments: 2)
  }

  /// Calls the function with three arguments and converts its first result to `R`.
  @inlinable
  public func call<A: LuaPushable, B: LuaPushable, C: LuaPushable, R: LuaReadable>(
    _ a: A, _ b: B, _ c: C, returning: R.Type = R.self
  ) throws -> R {
    let call = try prologue(arguments: 3)
    do {
      try a.push(onto: call.stack)
      try b.push(onto: call.stack)
      try c.push(onto: call.stack)
    } catch { throw call.abandon(error) }
    return try call.finish(arguments: 3)
  }

  /// Calls the function with any number of arguments and converts its first result to `R`.
  ///
  /// Errors raised by the function come back as ``LuaError`` with chunk, line and traceback.
  public func call<each A: LuaPushable, R: LuaReadable>(
    _ arguments: repeat each A, returning: R.Type = R.self
  ) throws -> R {
    let (call, count) = try prepare(repeat each arguments)
    return try call.finish(arguments: count)
  }

  /// Calls the function and returns all its results.
  public func callReturningAll<each A: LuaPushable>(_ arguments: repeat each A) throws -> [LuaValue] {
    let (call, count) = try prepare(repeat each arguments)
    defer { call.stack.setTop(call.base) }
    return try call.stack.callPushed(arguments: count, handlerAt: call.handler, resultsAbove: call.base)
  }

  /// The prologue followed by any number of arguments; returns the call and the argument count.
  func prepare<each A: LuaPushable>(_ arguments: repeat each A) throws -> (PreparedCall, Int32) {
    var count: Int32 = 0
    for _ in repeat each arguments { count += 1 }
    let call = try prologue(arguments: count)
    do {
      for argument in repeat each arguments { try argument.push(onto: call.stack) }
    } catch { throw call.abandon(error) }
    return (call, count)
  }

  /// Reserves room and pushes the function (and, unless the host is at top level on the main
  /// thread, the traceback handler, which the main thread keeps permanently in its first slot).
  @inlinable @inline(__always) func prologue(arguments: Int32) throws -> PreparedCall {
    let handle = reference.handle
    let L = try handle.activeThread
    let stack = LuaStack(L, handle)
    try stack.reserve(arguments + 3)
    let base = stack.top
    var handler = LuaHandle.mainHandlerSlot
    if handle.callbackDepth != 0 || L != handle.mainThread {
      clua_pushcfunction(L, clua_traceback_handler)
      handler = base + 1
    }
    reference.push(on: L)
    return PreparedCall(stack: stack, base: base, handler: handler)
  }
}

/// A call in progress: the callee sits at `base + 1` (or `base + 2` after a pushed handler),
/// then the arguments.
@usableFromInline
struct PreparedCall {
  @usableFromInline let stack: LuaStack
  @usableFromInline let base: Int32
  @usableFromInline let handler: Int32

  @inlinable init(stack: LuaStack, base: Int32, handler: Int32) {
    self.stack = stack
    self.base = base
    self.handler = handler
  }

  /// Drops what was pushed and passes the error on.
  @inlinable func abandon(_ error: any Error) -> any Error {
    stack.setTop(base)
    return error
  }

  /// Calls with the `arguments` values on top, converts the first result, restores the stack.
  @inlinable @inline(__always) func finish<R: LuaReadable>(arguments: Int32) throws -> R {
    defer { stack.setTop(base) }
    let status = clua_pcall(stack.L, arguments, 1, handler)
    if status != LUA_OK { throw failure(status) }
    return try R.read(from: stack, at: -1)
  }

  /// Maps a failed call's error (out of line: never on the hot path).
  @usableFromInline @inline(never) func failure(_ status: Int32) -> LuaError {
    stack.handle.popError(status: status, on: stack.L)
  }
}

extension LuaStack {
  /// Calls the function below `arguments` values with the traceback handler at `handler` and
  /// returns every result (the values above `base` once the handler is skipped); clearing the
  /// stack is left to the caller.
  func callPushed(arguments: Int32, handlerAt handler: Int32, resultsAbove base: Int32) throws -> [LuaValue] {
    let status = clua_pcall(L, arguments, LUA_MULTRET, handler)
    if status != LUA_OK { throw handle.popError(status: status, on: L) }
    var results: [LuaValue] = []
    let first = max(base, handler) + 1
    let top = self.top
    if top >= first {
      for index in first...top { results.append(try LuaValue.read(from: self, at: index)) }
    }
    return results
  }
}
