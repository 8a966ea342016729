import CLua

// Calls come in fixed arities (0 to 3 arguments), which the optimizer specializes fully, and a
// variadic form for more. All share the same protocol: traceback handler and callee pushed,
// arguments pushed, `lua_pcall`, first result converted, stack restored.

extension LuaFunction {
  /// Calls the function with no arguments and converts its first result to `R`.
  @inlinable @inline(__always)
  public func call<R: LuaReadable>(returning: R.Type = R.self) throws -> R {
    try prologue(arguments: 0).finish(arguments: 0, trusted: R.luaKitTrustsRead)
  }

  /// Calls the function with one argument and converts its first result to `R`.
  @inlinable @inline(__always)
  public func call<A: LuaPushable, R: LuaReadable>(_ a: A, returning: R.Type = R.self) throws -> R {
    let call = try prologue(arguments: 1)
    do { try a.push(onto: call.stack) } catch { throw call.abandon(error, pushed: 0) }
    return try call.finish(arguments: 1, trusted: A.luaKitTrustsPush && R.luaKitTrustsRead)
  }

  /// Calls the function with two arguments and converts its first result to `R`.
  @inlinable @inline(__always)
  public func call<A: LuaPushable, B: LuaPushable, R: LuaReadable>(
    _ a: A, _ b: B, returning: R.Type = R.self
  ) throws -> R {
    let call = try prologue(arguments: 2)
    do { try a.push(onto: call.stack) } catch { throw call.abandon(error, pushed: 0) }
    do { try b.push(onto: call.stack) } catch { throw call.abandon(error, pushed: 1) }
    return try call.finish(arguments: 2, trusted: A.luaKitTrustsPush && B.luaKitTrustsPush && R.luaKitTrustsRead)
  }

  /// Calls the function with three arguments and converts its first result to `R`.
  @inlinable @inline(__always)
  public func call<A: LuaPushable, B: LuaPushable, C: LuaPushable, R: LuaReadable>(
    _ a: A, _ b: B, _ c: C, returning: R.Type = R.self
  ) throws -> R {
    let call = try prologue(arguments: 3)
    do { try a.push(onto: call.stack) } catch { throw call.abandon(error, pushed: 0) }
    do { try b.push(onto: call.stack) } catch { throw call.abandon(error, pushed: 1) }
    do { try c.push(onto: call.stack) } catch { throw call.abandon(error, pushed: 2) }
    let trusted = A.luaKitTrustsPush && B.luaKitTrustsPush && C.luaKitTrustsPush && R.luaKitTrustsRead
    return try call.finish(arguments: 3, trusted: trusted)
  }

  /// Calls the function with any number of arguments and converts its first result to `R`.
  ///
  /// Errors raised by the function come back as ``LuaError`` with chunk, line and traceback.
  public func call<each A: LuaPushable, R: LuaReadable>(
    _ arguments: repeat each A, returning: R.Type = R.self
  ) throws -> R {
    let (call, count) = try prepare(repeat each arguments)
    return try call.finish(arguments: count, trusted: false)
  }

  /// Calls the function and returns all its results.
  public func callReturningAll<each A: LuaPushable>(_ arguments: repeat each A) throws -> [LuaValue] {
    let (call, count) = try prepare(repeat each arguments)
    let base = call.stack.top - count - 1 - call.extra
    let frame = StackGuard(call.stack, top: base)
    return try frame.stack.callPushed(
      arguments: count, handlerAt: call.handlerIndex(arguments: count), resultsAbove: base + call.extra)
  }

  /// The prologue followed by any number of arguments; returns the call and the argument count.
  func prepare<each A: LuaPushable>(_ arguments: repeat each A) throws -> (PreparedCall, Int32) {
    var count: Int32 = 0
    for _ in repeat each arguments { count += 1 }
    let call = try prologue(arguments: count)
    var pushed: Int32 = 0
    do {
      for argument in repeat each arguments {
        try argument.push(onto: call.stack)
        pushed += 1
      }
    } catch { throw call.abandon(error, pushed: pushed) }
    return (call, count)
  }

  /// Reserves room and pushes the function (and, unless the host is at top level on the main
  /// thread, the traceback handler, which the main thread keeps permanently in its first slot).
  /// At top level the room is there when the last call left the stack bare
  /// (``LuaHandle/mainIsBare``); otherwise one `lua_gettop` measures it (see
  /// ``LuaStack/reserve(_:)``).
  @inlinable @inline(__always) func prologue(arguments: Int32) throws -> PreparedCall {
    let handle = reference.handle
    guard let main = handle.mainThread else { throw LuaHandle.closedError() }
    guard let L = handle.callerThread else {
      let needed = arguments &+ 2
      let bare = handle.mainIsBare
      // Cleared while the call runs: a call made from inside it (a conversion's) measures.
      handle.mainIsBare = false
      if bare, LuaHandle.reservedSlots &+ needed <= LuaHandle.topLevelCapacity {
        reference.push(on: main)
        return PreparedCall(stack: LuaStack(main, handle), extra: 0, startedBare: true)
      }
      let top = lua_gettop(main)
      if top &+ needed > LuaHandle.topLevelCapacity, lua_checkstack(main, needed) == 0 {
        throw LuaStack.overflow(needed)
      }
      reference.push(on: main)
      return PreparedCall(
        stack: LuaStack(main, handle), extra: 0, startedBare: top == LuaHandle.reservedSlots)
    }
    if lua_checkstack(L, arguments + 3) == 0 { throw LuaStack.overflow(arguments + 3) }
    clua_pushcfunction(L, clua_traceback_handler)
    reference.push(on: L)
    return PreparedCall(stack: LuaStack(L, handle), extra: 1, startedBare: false)
  }
}

/// A call in progress: the callee on top (with the traceback handler below it when `extra` is
/// 1), then the arguments. Positions are relative to the top, so no `lua_gettop` is needed; this
/// relies on every ``LuaPushable`` leaving the stack unchanged when its push fails.
@usableFromInline
struct PreparedCall {
  @usableFromInline let stack: LuaStack
  /// 1 when the traceback handler was pushed for this call, 0 when the permanent one is used.
  @usableFromInline let extra: Int32
  /// Whether the call started at top level with the main thread's stack bare: if it ends well
  /// with only trusted conversions, it leaves the stack bare again and says so.
  @usableFromInline let startedBare: Bool

  @inlinable init(stack: LuaStack, extra: Int32, startedBare: Bool) {
    self.stack = stack
    self.extra = extra
    self.startedBare = startedBare
  }

  /// The stack index of the traceback handler once `arguments` are pushed.
  @inlinable func handlerIndex(arguments: Int32) -> Int32 {
    extra == 0 ? LuaHandle.mainHandlerSlot : -(arguments + 2)
  }

  /// Drops the callee, the handler and the `pushed` arguments, and passes the error on.
  @inlinable func abandon(_ error: any Error, pushed: Int32) -> any Error {
    stack.pop(pushed + 1 + extra)
    return error
  }

  /// Calls with the `arguments` values on top, converts the first result, restores the stack.
  /// `trusted`: every conversion of the call is LuaKit's own, so that the stack it restores is
  /// exactly the one it started from (Lua adjusts a call's results itself).
  @inlinable @inline(__always) func finish<R: LuaReadable>(arguments: Int32, trusted: Bool) throws -> R {
    let status = clua_pcall(stack.L, arguments, 1, handlerIndex(arguments: arguments))
    if status != LUA_OK { throw failure(status) }
    let result: R
    do {
      let frame = StackGuard(stack, popping: 1 + extra)
      result = try R.read(from: frame.stack, at: -1)
    }
    if trusted && startedBare { stack.handle.mainIsBare = true }
    return result
  }

  /// Maps a failed call's error and drops it and the handler (out of line: never on the hot path).
  @usableFromInline @inline(never) func failure(_ status: Int32) -> any Error {
    let error = stack.handle.popError(status: status, on: stack.L)
    stack.pop(extra)
    return error
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
