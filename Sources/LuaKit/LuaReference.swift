import CLua

/// A Lua value held in the registry on behalf of Swift; released when the last Swift copy goes.
///
/// References keep their ``LuaHandle`` alive but do not keep the state open: once the owning
/// ``LuaState`` is gone, using a reference throws ``LuaError/Kind/closed``.
@usableFromInline
final class LuaReference {
  @usableFromInline let handle: LuaHandle
  @usableFromInline let ref: Int32

  /// Pops the top value of `stack` into the registry.
  @usableFromInline init(popping stack: LuaStack) throws {
    var ref: Int32 = LUA_NOREF
    try withUnsafeMutablePointer(to: &ref) {
      try stack.protected(clua_op_ref, $0, arguments: 1, results: 0)
    }
    self.handle = stack.handle
    self.ref = ref
  }

  deinit {
    guard handle.acceptsReleases, let L = try? handle.L, ref >= 0 else { return }
    var ref = ref
    // luaL_unref writes an existing registry slot; it still runs protected, as every write does.
    if clua_protected(L, clua_op_unref, &ref, 0, 0) != LUA_OK { clua_pop(L, 1) }
  }

  /// Pushes the referenced value onto `L` (never raises).
  @inlinable func push(on L: OpaquePointer) {
    lua_rawgeti(L, clua_registryindex(), lua_Integer(ref))
  }

  /// The value pushed on the main thread's stack, under a guard that removes it (and anything
  /// pushed above it) when the caller's scope ends; throws when the state is closed.
  @inlinable func pushOnMain() throws -> StackGuard {
    let stack = try handle.stack
    try stack.reserve(1)
    let frame = StackGuard(stack)
    push(on: stack.L)
    return frame
  }
}

/// A Lua table held by Swift.
public struct LuaTable {
  @usableFromInline let reference: LuaReference

  @usableFromInline init(_ reference: LuaReference) { self.reference = reference }

  /// `t[key]` honouring metamethods, converted to `T`.
  public func get<T: LuaReadable>(_ key: String, as type: T.Type = T.self) throws -> T {
    let frame = try reference.pushOnMain()
    let stack = frame.stack
    try stack.get(table: -1, field: key)
    do { return try T.read(from: stack, at: -1) } catch var error as LuaError {
      error.message = "\(key): " + error.message
      throw error
    }
  }

  /// `t[key] = value` honouring metamethods.
  public func set(_ key: String, _ value: some LuaPushable) throws {
    let frame = try reference.pushOnMain()
    let stack = frame.stack
    let table = stack.top
    try value.push(onto: stack)
    try stack.set(table: table, field: key)
  }

  /// The raw length of the sequence part (`#t` without `__len`).
  public var count: Int {
    get throws {
      let frame = try reference.pushOnMain()
      return frame.stack.rawLength(at: -1)
    }
  }

  /// All pairs, as Swift values (raw traversal, no metamethods).
  public func pairs() throws -> [(key: LuaValue, value: LuaValue)] {
    let frame = try reference.pushOnMain()
    let stack = frame.stack
    let table = stack.top
    var result: [(key: LuaValue, value: LuaValue)] = []
    try stack.forEachPair(table: table) {
      result.append((try LuaValue.read(from: stack, at: -2), try LuaValue.read(from: stack, at: -1)))
    }
    return result
  }
}

/// A Lua function held by Swift.
public struct LuaFunction {
  @usableFromInline let reference: LuaReference

  @usableFromInline init(_ reference: LuaReference) { self.reference = reference }

  /// Whether both handles hold the very same Lua function (raw equality), e.g. to evaluate a
  /// function shared by several definitions once.
  public func isSame(as other: LuaFunction) -> Bool {
    if reference === other.reference { return true }
    guard reference.handle === other.reference.handle, let stack = try? reference.handle.stack,
      (try? stack.reserve(2)) != nil
    else { return false }
    let frame = StackGuard(stack)
    reference.push(on: stack.L)
    other.reference.push(on: stack.L)
    return lua_rawequal(frame.stack.L, -1, -2) != 0
  }
}

extension LuaFunction {
  /// Whether this is a Lua function (not a C one) without upvalues: it reaches no global, no
  /// local of an enclosing chunk and no host state, only its arguments, its constants and the
  /// metamethods of the values it meets. In LuaKit's sandbox (whose libraries and string
  /// metatable are frozen) such a function gives the same results for the same arguments
  /// (short of formatting addresses with `%p`), so a host may reuse a result; `false` when the
  /// state is closed.
  public var capturesNothing: Bool {
    guard let stack = try? reference.handle.stack, (try? stack.reserve(2)) != nil else { return false }
    let frame = StackGuard(stack)
    let L = frame.stack.L
    reference.push(on: L)
    guard lua_type(L, -1) == LUA_TFUNCTION, lua_iscfunction(L, -1) == 0 else { return false }
    // lua_getupvalue pushes nothing (and returns NULL) when there is no upvalue 1.
    return lua_getupvalue(L, -1, 1) == nil
  }
}

/// A Lua value of a type Swift does not look into (userdata, thread) held by Swift.
public struct LuaOpaque {
  @usableFromInline let reference: LuaReference
  /// The Lua type of the value.
  public let type: LuaType

  @usableFromInline init(_ reference: LuaReference, type: LuaType) {
    self.reference = reference
    self.type = type
  }
}

/// The shared conversions of Swift handles on registry references.
@usableFromInline
protocol LuaReferenceHolder: LuaConvertible {
  var reference: LuaReference { get }
  /// The Lua type the handle requires, or `nil` for any.
  static var requiredType: LuaType? { get }
  init(_ reference: LuaReference, type: LuaType)
}

extension LuaReferenceHolder {
  /// Pushes the referenced value.
  @inlinable public func push(onto stack: LuaStack) throws {
    try stack.checkSameState(reference.handle)
    try stack.reserve(1)
    reference.push(on: stack.L)
  }

  /// Holds the value at `index` in the registry.
  public static func read(from stack: LuaStack, at index: Int32) throws -> Self {
    let type = stack.type(at: index)
    if let requiredType, type != requiredType {
      throw stack.mismatch(expected: requiredType.name, at: index)
    }
    try stack.reserve(1)
    stack.pushCopy(of: index)
    return Self(try LuaReference(popping: stack), type: type)
  }
}

extension LuaTable: LuaReferenceHolder {
  @usableFromInline static var requiredType: LuaType? { .table }
  @usableFromInline init(_ reference: LuaReference, type: LuaType) { self.init(reference) }
}

extension LuaFunction: LuaReferenceHolder {
  @usableFromInline static var requiredType: LuaType? { .function }
  @usableFromInline init(_ reference: LuaReference, type: LuaType) { self.init(reference) }
}

extension LuaOpaque: LuaReferenceHolder {
  @usableFromInline static var requiredType: LuaType? { nil }
}

extension LuaStack {
  /// References belong to one state; pushing one into another would corrupt both.
  @inlinable func checkSameState(_ other: LuaHandle) throws {
    guard other === handle else {
      throw LuaError(.conversion, "a reference from another Lua state cannot be used here")
    }
  }
}
