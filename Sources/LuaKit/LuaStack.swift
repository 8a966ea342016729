import CLua

/// A view of one Lua thread's stack, valid only for the call it was handed to.
///
/// Custom conversions (``LuaPushable``, ``LuaReadable``) work through it. Every method either
/// cannot raise a Lua error or runs its raising part inside a protected C trampoline, so a
/// `LuaStack` can be used from Swift without any `longjmp` crossing a Swift frame. Do not store it.
public struct LuaStack {
  @usableFromInline let L: OpaquePointer
  /// Unowned: a stack view lives only inside an operation of a live state, and skipping the
  /// retain/release pair matters on the call path.
  @usableFromInline unowned(unsafe) let handle: LuaHandle

  @usableFromInline init(_ L: OpaquePointer, _ handle: LuaHandle) {
    self.L = L
    self.handle = handle
  }

  /// The index of the top value (the number of values on the stack).
  @inlinable public var top: Int32 { lua_gettop(L) }

  /// Makes sure `count` more values fit; throws a memory error otherwise.
  ///
  /// At top level on the main thread (no callback running) the state's first
  /// `LuaHandle.topLevelCapacity` slots are always there, so a push within them needs no call to
  /// `lua_checkstack`: the common call from the host skips it.
  @inlinable @inline(__always) public func reserve(_ count: Int32) throws {
    handle.mainIsBare = false  // about to push: the next call from the host measures the stack
    if handle.callerThread == nil, L == handle.mainThread, lua_gettop(L) &+ count <= LuaHandle.topLevelCapacity {
      return
    }
    if lua_checkstack(L, count) == 0 { throw LuaStack.overflow(count) }
  }

  /// The error of a stack that cannot grow (kept out of line: it is never on the hot path).
  @usableFromInline @inline(never) static func overflow(_ count: Int32) -> any Error {
    LuaError(.memory, "Lua stack overflow: cannot grow by \(count) slots")
  }

  /// Drops values above `index` (or pads with nil).
  @inlinable public func setTop(_ index: Int32) { lua_settop(L, index) }

  /// Pops `count` values.
  @inlinable public func pop(_ count: Int32 = 1) { lua_settop(L, -count - 1) }

  /// The absolute form of a possibly negative index.
  @inlinable public func absolute(_ index: Int32) -> Int32 { lua_absindex(L, index) }

  /// The Lua type at `index`.
  @inlinable public func type(at index: Int32) -> LuaType {
    LuaType(rawValue: lua_type(L, index)) ?? .none
  }

  // MARK: Pushing (never raises)

  /// Pushes nil.
  @inlinable public func pushNil() { lua_pushnil(L) }
  /// Pushes a boolean.
  @inlinable public func push(_ value: Bool) { lua_pushboolean(L, value ? 1 : 0) }
  /// Pushes an integer.
  @inlinable public func push(_ value: Int64) { lua_pushinteger(L, lua_Integer(value)) }
  /// Pushes a float.
  @inlinable public func push(_ value: Double) { lua_pushnumber(L, value) }
  /// Pushes a copy of the value at `index`.
  @inlinable public func pushCopy(of index: Int32) { lua_pushvalue(L, index) }

  // MARK: Pushing (protected)

  /// Pushes the bytes of a string (embedded zeros are kept).
  @inlinable public func push(_ value: String) throws {
    var value = value
    try value.withUTF8 { try pushBytes($0) }
  }

  /// Pushes raw bytes as a Lua string.
  public func pushBytes(_ bytes: UnsafeBufferPointer<UInt8>) throws {
    var block = clua_bytes(
      data: bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
      length: bytes.count)
    try withUnsafeMutablePointer(to: &block) {
      try protected(clua_op_pushstring, $0, arguments: 0, results: 1)
    }
  }

  /// Pushes a new table with size hints.
  public func pushTable(arrayCapacity: Int = 0, recordCapacity: Int = 0) throws {
    var sizes: (Int32, Int32) = (Int32(clamping: arrayCapacity), Int32(clamping: recordCapacity))
    try withUnsafeMutablePointer(to: &sizes) {
      try protected(clua_op_newtable, $0, arguments: 0, results: 1)
    }
  }

  // MARK: Reading (never raises)

  /// The boolean truth of the value at `index` (only nil and false are false).
  @inlinable public func truth(at index: Int32) -> Bool { lua_toboolean(L, index) != 0 }

  /// The integer at `index` if it is an integer or a float with an exact integer value.
  @inlinable public func integer(at index: Int32) -> Int64? {
    guard lua_type(L, index) == LUA_TNUMBER else { return nil }
    var ok: Int32 = 0
    let value = lua_tointegerx(L, index, &ok)
    return ok != 0 ? Int64(value) : nil
  }

  /// The number at `index` if it is a number (strings are not coerced).
  @inlinable public func number(at index: Int32) -> Double? {
    guard lua_type(L, index) == LUA_TNUMBER else { return nil }
    return lua_tonumberx(L, index, nil)
  }

  /// Whether the number at `index` is stored as an integer subtype.
  @inlinable public func isInteger(at index: Int32) -> Bool { lua_isinteger(L, index) != 0 }

  /// The bytes of the string at `index`, without conversion of numbers (which would allocate).
  @inlinable public func withBytes<R>(
    at index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R
  ) rethrows -> R? {
    guard lua_type(L, index) == LUA_TSTRING else { return nil }
    var length = 0
    guard let pointer = lua_tolstring(L, index, &length) else { return nil }
    return try pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
      try body(UnsafeBufferPointer(start: $0, count: length))
    }
  }

  /// The string at `index` decoded as UTF-8 (invalid bytes become U+FFFD).
  @inlinable public func string(at index: Int32) -> String? {
    withBytes(at: index) { String(decoding: $0, as: UTF8.self) }
  }

  /// The raw length (`#` without metamethods) of a table or string.
  @inlinable public func rawLength(at index: Int32) -> Int { Int(lua_rawlen(L, index)) }

  /// `tostring(v)` honouring `__tostring` and `__name`, in protected mode; a failing
  /// `__tostring` gives `"(<type> value)"` instead of an error.
  public func describe(at index: Int32) -> String {
    let absoluteIndex = absolute(index)
    let fallback = "(\(type(at: index).name) value)"
    guard (try? reserve(3)) != nil else { return fallback }
    let frame = StackGuard(self)
    lua_pushvalue(L, absoluteIndex)
    guard clua_protected(L, clua_op_tostring, nil, 1, 1) == LUA_OK else { return fallback }
    return frame.stack.string(at: -1) ?? fallback
  }

  // MARK: Tables

  /// Pushes `t[key]` without metamethods (never raises).
  @inlinable public func rawGet(table: Int32, index: Int64) {
    lua_rawgeti(L, table, lua_Integer(index))
  }

  /// Pops a key and pushes `t[key]` without metamethods (never raises).
  @inlinable public func rawGet(table: Int32) {
    lua_rawget(L, table)
  }

  /// Pops key and value and assigns `t[key] = value` without metamethods.
  public func rawSet(table: Int32) throws {
    let t = absolute(table)
    try reserve(1)
    lua_pushvalue(L, t)
    lua_rotate(L, -3, 1)
    try protected(clua_op_rawset, nil, arguments: 3, results: 0)
  }

  /// Pops a value and assigns `t[name] = value` without metamethods.
  public func rawSet(table: Int32, field name: String) throws {
    let t = absolute(table)
    try push(name)
    lua_rotate(L, -2, 1)
    try rawSet(table: t)
  }

  /// Pops a value and assigns `t[index] = value` without metamethods.
  public func rawSet(table: Int32, index: Int64) throws {
    let t = absolute(table)
    try reserve(1)
    push(index)
    lua_rotate(L, -2, 1)
    try rawSet(table: t)
  }

  /// Pushes `t[name]` honouring metamethods.
  public func get(table: Int32, field name: String) throws {
    let t = absolute(table)
    try reserve(2)
    lua_pushvalue(L, t)
    try push(name)
    try protected(clua_op_gettable, nil, arguments: 2, results: 1)
  }

  /// Pops a value and assigns `t[name] = value` honouring metamethods.
  public func set(table: Int32, field name: String) throws {
    let t = absolute(table)
    try reserve(2)
    lua_pushvalue(L, t)
    try push(name)
    lua_rotate(L, -3, 2)
    try protected(clua_op_settable, nil, arguments: 3, results: 0)
  }

  /// Iterates a table's pairs in raw order; `body` sees the key at -2 and the value at -1 and
  /// must leave the stack as it found it.
  public func forEachPair(table: Int32, _ body: () throws -> Void) throws {
    let t = absolute(table)
    try reserve(3)
    lua_pushnil(L)
    // lua_next only raises for a key that is not in the table; we only pass keys it returned.
    while lua_next(L, t) != 0 {
      do { try body() } catch {
        pop(2)
        throw error
      }
      pop()
    }
  }

  // MARK: Protected trampolines

  /// Runs a C operation under `lua_pcall` and maps a failure to ``LuaError``.
  @usableFromInline func protected(
    _ operation: lua_CFunction, _ userData: UnsafeMutableRawPointer?, arguments: Int32,
    results: Int32
  ) throws {
    let status = clua_protected(L, operation, userData, arguments, results)
    if status != LUA_OK {
      throw handle.popError(status: status, on: L)
    }
  }
}

/// The basic types of Lua values.
public enum LuaType: Int32, Sendable {
  /// No value at that index.
  case none = -1
  /// `nil`.
  case `nil` = 0
  /// `true` or `false`.
  case boolean = 1
  /// A C pointer without metatable.
  case lightUserdata = 2
  /// An integer or a float.
  case number = 3
  /// A byte string.
  case string = 4
  /// A table.
  case table = 5
  /// A Lua or C function.
  case function = 6
  /// A full userdata.
  case userdata = 7
  /// A coroutine.
  case thread = 8

  /// The name Lua's `type()` gives.
  public var name: String {
    switch self {
    case .none: "no value"
    case .nil: "nil"
    case .boolean: "boolean"
    case .lightUserdata: "userdata"
    case .number: "number"
    case .string: "string"
    case .table: "table"
    case .function: "function"
    case .userdata: "userdata"
    case .thread: "thread"
    }
  }
}

extension LuaStack {
  /// The underlying `lua_State` pointer, for code that must use the C API directly (benchmarks,
  /// extensions). Whoever uses it takes on LuaKit's rules: no raising call outside protection,
  /// and values pushed through it popped before the next LuaKit call (or the pointer read again
  /// after pushing, which makes LuaKit's next call from the host measure the stack).
  public var rawState: OpaquePointer {
    handle.mainIsBare = false
    return L
  }
}
