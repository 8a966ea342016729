import CLua

/// What a Swift function called from Lua sees: its arguments and a stack to push results on.
///
/// Valid only during the call. Arguments are at positions `1...argumentCount`.
public struct LuaCall {
  /// The calling thread's stack (a coroutine's when called from one).
  public let stack: LuaStack
  /// The function being called; unowned because the running Lua closure holds it.
  @usableFromInline unowned(unsafe) let box: CallbackBox

  @usableFromInline init(stack: LuaStack, box: CallbackBox) {
    self.stack = stack
    self.box = box
  }

  /// The name the function was registered under, for error messages.
  public var functionName: String { box.name }

  /// How many arguments Lua passed.
  @inlinable public var argumentCount: Int32 { stack.top }

  /// Argument `position` (1-based) converted to `T`; a mismatch names the argument as Lua does:
  /// `bad argument #2 to 'add' (expected number, got string)`.
  @inlinable public func argument<T: LuaReadable>(_ position: Int32, as type: T.Type = T.self) throws -> T {
    do {
      return try T.read(from: stack, at: position)
    } catch {
      throw badArgument(position, error)
    }
  }

  /// Names the argument in a conversion error.
  @usableFromInline @inline(never) func badArgument(_ position: Int32, _ error: any Error) -> any Error {
    guard let error = error as? LuaError, error.kind == .conversion else { return error }
    return LuaError(.conversion, "bad argument #\(position) to '\(functionName)' (\(error.message))")
  }

  /// An error positioned at the Lua code `level` frames up (1: the code that called this
  /// function), as `error(message, level)` would be.
  public func error(_ message: String, level: Int32 = 1) -> LuaError {
    guard let (chunk, line) = stack.position(ofLevel: level) else { return LuaError(.runtime, message) }
    return LuaError(.runtime, message, chunk: chunk, line: line)
  }

  /// Pushes the single result of a typed function. Lua guarantees `LUA_MINSTACK` (20) free slots
  /// to every C function, so one push needs no stack check.
  @inlinable public func pushResult(_ value: some LuaPushable) throws {
    try value.push(onto: stack)
  }

  /// Pushes one result; return the number of results pushed from the callback.
  @inlinable public func push(_ value: some LuaPushable) throws {
    try stack.reserve(1)
    try value.push(onto: stack)
  }
}

/// The Swift side of a function exposed to Lua, kept alive by the Lua userdata that wraps it.
@usableFromInline
final class CallbackBox {
  /// A whole call as the C trampoline makes it: the calling thread, this box (borrowed), the
  /// failure block to fill; returns the result count or a `CLUA_RAISE*` code.
  @usableFromInline typealias Run = (OpaquePointer, CallbackBox, UnsafeMutablePointer<clua_failure>) -> Int32

  @usableFromInline let name: String
  /// Unowned: callbacks only run while their state's handle is alive (it owns the Lua heap).
  @usableFromInline unowned(unsafe) let handle: LuaHandle
  /// The call, built where the function's body is known (``invoke(_:_:_:)`` with the body
  /// inlined), so that the trampoline's Swift entry only forwards to it.
  @usableFromInline let run: Run

  @usableFromInline init(name: String, handle: LuaHandle, run: @escaping Run) {
    self.name = name
    self.handle = handle
    self.run = run
  }

  /// The ``Run`` of a body (inlined into it when the body is a closure literal at the caller).
  @inlinable @inline(__always) static func run(calling body: @escaping (LuaCall) throws -> Int32) -> Run {
    { L, box, failure in box.invoke(L, failure, body) }
  }

  /// Runs `body`; on failure prepares the error (see ``raise(_:into:on:)``) and returns a
  /// `CLUA_RAISE*` code so that the C trampoline raises it once this Swift frame has returned.
  ///
  /// One straight path for the main thread and coroutines: `callerThread` is saved, set to the
  /// calling thread and restored, so that Lua calls made by the callback run on the caller's
  /// stack.
  @inlinable @inline(__always) func invoke(
    _ L: OpaquePointer, _ failure: UnsafeMutablePointer<clua_failure>, _ body: (LuaCall) throws -> Int32
  ) -> Int32 {
    // `handle` is read through `self` each time: a local copy of an `unowned(unsafe)` reference
    // is a strong one, and would cost a retain/release pair on every call.
    let outer = handle.callerThread
    handle.callerThread = L
    defer { handle.callerThread = outer }
    let stack = LuaStack(L, handle)
    do { return try body(LuaCall(stack: stack, box: self)) } catch { return raise(error, into: failure, on: stack) }
  }
}

/// The C entry point for every Swift callback (a plain C function pointer, not a closure).
let luaKitInvokeCallback: clua_swift_invoke = { L, box, failure in
  // Lua never passes NULL here, and the Lua closure that is running owns the box, so it is
  // borrowed without a retain/release pair.
  invokeCallback(L.unsafelyUnwrapped, box.unsafelyUnwrapped, failure.unsafelyUnwrapped)
}

/// The body of the C entry point, as a function rather than a nested closure (a closure inside
/// the C closure stayed a separate call with an indirect result: 12 instructions more per call
/// under callgrind). It only forwards to the box's ``CallbackBox/run``, which holds the caller
/// bookkeeping, the body and its error handling in one frame: a typed function's call went from
/// 452 to 430 instructions against 403 for a plain `lua_CFunction` (the entry had run the
/// bookkeeping and then called the body as a second frame).
@inline(__always) func invokeCallback(
  _ L: OpaquePointer, _ box: UnsafeMutableRawPointer, _ failure: UnsafeMutablePointer<clua_failure>
) -> Int32 {
  Unmanaged<CallbackBox>.fromOpaque(box)._withUnsafeGuaranteedRef { $0.run(L, $0, failure) }
}

/// Releases a Swift object retained by a Lua box (callbacks, userdata and raised errors). From a
/// finalizer (`L` set), the release may run deinits that call into Lua: the finalizer's thread
/// is marked as the caller meanwhile, so that such calls push their own traceback handler and
/// check their stack room inside the finalizer's frame instead of taking the top-level path
/// (whose handler slot and reserved room belong to the main thread's base frame).
let luaKitReleaseBox: clua_swift_release = { L, box in
  guard let box else { return }
  guard let L, let host = clua_state_limits(L).pointee.host else {
    Unmanaged<AnyObject>.fromOpaque(box).release()
    return
  }
  Unmanaged<LuaHandle>.fromOpaque(host)._withUnsafeGuaranteedRef { handle in
    let outer = handle.callerThread
    handle.callerThread = L
    defer { handle.callerThread = outer }
    Unmanaged<AnyObject>.fromOpaque(box).release()
  }
}

extension LuaStack {
  /// Pushes a Lua function that calls `body` (the raw form: push results, return their count).
  @inlinable @inline(__always)
  public func pushFunction(named name: String, _ body: @escaping (LuaCall) throws -> Int32) throws {
    try pushFunction(named: name, run: CallbackBox.run(calling: body))
  }

  /// Pushes a Lua function that makes its calls with `run`.
  @usableFromInline func pushFunction(named name: String, run: @escaping CallbackBox.Run) throws {
    try pushBox(
      CallbackBox(name: name, handle: handle, run: run), invoke: luaKitInvokeCallback,
      operation: clua_op_newcallback, arguments: 0)
  }

  /// Hands `object` (retained) to a new Lua userdata made by `operation`, whose `__gc` releases
  /// it; if the userdata cannot be made, the object is released here instead.
  func pushBox(_ object: AnyObject, invoke: clua_swift_invoke?, operation: lua_CFunction, arguments: Int32) throws {
    let box = Unmanaged.passRetained(object).toOpaque()
    var block = clua_box(invoke: invoke, release: luaKitReleaseBox, box: box, target: box, spare: nil, depth: 0)
    do {
      try withUnsafeMutablePointer(to: &block) {
        try protected(operation, $0, arguments: arguments, results: 1)
      }
    } catch {
      // The userdata did not take ownership (its pointer is still in the block).
      if let pointer = block.box { Unmanaged<AnyObject>.fromOpaque(pointer).release() }
      throw error
    }
  }
}
