import CLua

/// The Swift side of a failure block (`clua_failure` in `shim.h`): the error a callback threw,
/// positioned at the Lua code that called it, and the message `tostring` gives for it in Lua.
///
/// The C trampoline reserves the block before the callback's body runs, so raising the error
/// allocates nothing in Lua and the original value cannot be lost on the way out. The block's
/// `__gc` releases this object.
final class CallbackFailure {
  /// What the host gets back when the error leaves Lua (the traceback is added then).
  let error: LuaError
  /// `error.description` in UTF-8, the text of `tostring(err)` (never empty, so never null).
  private let text: UnsafeMutableBufferPointer<UInt8>
  /// How many bytes of `text` are the message.
  private let length: Int

  init(_ error: LuaError) {
    self.error = error
    let bytes = Array(error.description.utf8)
    text = .allocate(capacity: max(1, bytes.count))
    _ = text.initialize(fromContentsOf: bytes)
    length = bytes.count
  }

  deinit { text.deallocate() }

  /// Hands this object, retained, to the reserved `block`, which Lua then raises.
  func fill(_ block: UnsafeMutablePointer<clua_failure>) {
    if let previous = block.pointee.error { block.pointee.release?(nil, previous) }
    block.pointee.error = Unmanaged.passRetained(self).toOpaque()
    block.pointee.release = luaKitReleaseBox
    block.pointee.message = UnsafeRawPointer(text.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
    block.pointee.length = length
  }
}

extension CallbackBox {
  /// Turns what the body threw into the error Lua raises. A tripped limit (time, instructions,
  /// cancellation) stays the un-catchable sentinel; anything else, the memory cap included (a
  /// script may recover from it), fills the reserved failure block.
  @usableFromInline @inline(never) func raise(
    _ error: any Error, into block: UnsafeMutablePointer<clua_failure>, on stack: LuaStack
  ) -> Int32 {
    if let limit = (error as? LuaError)?.limit, limit != .memory {
      lua_settop(stack.L, 0)
      lua_pushlightuserdata(stack.L, &handle.limits.pointee.sentinel)
      return CLUA_RAISE
    }
    CallbackFailure(positioned(error, on: stack)).fill(block)
    return CLUA_RAISE_FAILURE
  }

  /// The error as the host will see it: a Swift error becomes a ``LuaError/Kind/callback`` error
  /// naming this function; one without a position gets the calling Lua code's, as `luaL_error`
  /// would give it. Errors from Lua code the callback ran keep theirs.
  func positioned(_ error: any Error, on stack: LuaStack) -> LuaError {
    var luaError = error as? LuaError ?? LuaError(.callback, "\(name): \(error)", underlying: error)
    if luaError.chunk == nil, let (chunk, line) = stack.position(ofLevel: 1) {
      luaError.chunk = chunk
      luaError.line = line
    }
    return luaError
  }
}

extension LuaStack {
  /// The chunk and line of the Lua code `level` frames up (1: the caller of the running
  /// function), when that code is Lua with line information. Never raises or allocates in Lua.
  func position(ofLevel level: Int32) -> (chunk: String, line: Int)? {
    var record = lua_Debug()
    guard lua_getstack(L, level, &record) != 0, lua_getinfo(L, "Sl", &record) != 0, record.currentline > 0
    else { return nil }
    let chunk = withUnsafeBytes(of: record.short_src) { raw in
      String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
    }
    return (chunk, Int(record.currentline))
  }

  /// The error a Swift callback threw, if the value at `index` is the failure block carrying it,
  /// with the traceback taken when it reached the host. Never raises.
  func callbackFailure(at index: Int32) -> LuaError? {
    let index = absolute(index)
    guard lua_checkstack(L, 2) != 0, let block = clua_failure_at(L, index), let object = block.pointee.error
    else { return nil }
    var error = Unmanaged<CallbackFailure>.fromOpaque(object).takeUnretainedValue().error
    if lua_getiuservalue(L, index, 2) == LUA_TSTRING { error.traceback = string(at: -1) }
    pop()
    return error
  }
}
