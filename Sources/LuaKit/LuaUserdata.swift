import CLua

/// Describes how a Swift type appears in Lua as userdata: its methods and its fields, in the
/// spirit of C's `luaL_Reg` registration tables.
///
/// ```swift
/// try state.registerType(Counter.self, name: "Counter") { type in
///   type.field("count") { $0.count }
///   type.method("add") { counter, call in
///     counter.count += try call.argument(2, as: Int.self)
///     return 0
///   }
/// }
/// ```
public struct LuaTypeRegistration<Object> {
  /// A method: receives the object (argument 1 is `self`) and the call; returns results pushed.
  public typealias Method = (inout Object, LuaCall) throws -> Int32

  var methods: [(String, Method)] = []
  var getters: [String: (Object) -> any LuaPushable] = [:]

  /// Adds a method callable as `object:name(...)`.
  public mutating func method(_ name: String, _ body: @escaping Method) {
    methods.append((name, body))
  }

  /// Adds a read-only field `object.name`.
  public mutating func field(_ name: String, _ get: @escaping (Object) -> any LuaPushable) {
    getters[name] = get
  }
}

/// The Swift value behind a userdata.
@usableFromInline
final class ObjectBox<Object> {
  @usableFromInline var value: Object
  init(_ value: Object) { self.value = value }
}

extension LuaState {
  /// Registers `type` so that its values can be pushed as userdata (see ``LuaStack/pushObject(_:)``).
  ///
  /// Scripts cannot reach or change the metatable; reading an unknown field gives nil, assigning
  /// any field is an error naming the type.
  public func registerType<Object>(
    _ type: Object.Type, name: String, _ build: (inout LuaTypeRegistration<Object>) -> Void
  ) throws {
    var registration = LuaTypeRegistration<Object>()
    build(&registration)
    let frame = StackGuard(try handle.stack)
    let stack = frame.stack
    try stack.reserve(4)
    try stack.pushTable(recordCapacity: 6)
    let metatable = stack.top
    clua_pushcfunction(stack.L, clua_box_finalizer())
    try stack.rawSet(table: metatable, field: "__gc")
    try stack.push(name)
    try stack.rawSet(table: metatable, field: "__name")
    try stack.push(name)
    try stack.rawSet(table: metatable, field: "__metatable")

    try stack.pushTable(recordCapacity: registration.methods.count)
    let methodTable = stack.top
    for (methodName, body) in registration.methods {
      try stack.pushFunction(named: "\(name):\(methodName)") { call in
        let box = try call.stack.objectBox(at: 1, as: Object.self, typeName: name, method: methodName)
        return try body(&box.value, call)
      }
      try stack.rawSet(table: methodTable, field: methodName)
    }
    let methods = try LuaTable.read(from: stack, at: methodTable)
    let getters = registration.getters
    try stack.pushFunction(named: "\(name).__index") { call in
      let box = try call.stack.objectBox(at: 1, as: Object.self, typeName: name, method: nil)
      if let key = call.stack.string(at: 2), let getter = getters[key] {
        try call.push(getter(box.value))
        return 1
      }
      try methods.push(onto: call.stack)
      call.stack.pushCopy(of: 2)
      call.stack.rawGet(table: -2)
      return 1
    }
    try stack.rawSet(table: metatable, field: "__index")
    try stack.pushFunction(named: "\(name).__newindex") { call in
      let key = call.stack.describe(at: 2)
      throw LuaError(.runtime, "cannot assign field '\(key)' of \(name): its fields are read-only")
    }
    try stack.rawSet(table: metatable, field: "__newindex")

    stack.pushCopy(of: metatable)
    let reference = try LuaReference(popping: stack)
    handle.userTypes[ObjectIdentifier(Object.self)] = reference
  }
}

extension LuaStack {
  /// Pushes `value` as a userdata of its registered type.
  public func pushObject<Object>(_ value: Object) throws {
    guard let metatable = handle.userTypes[ObjectIdentifier(Object.self)] else {
      throw LuaError(.conversion, "type \(Object.self) is not registered with this Lua state")
    }
    try reserve(2)
    metatable.push(on: L)
    try pushBox(ObjectBox(value), invoke: nil, operation: clua_op_newobject, arguments: 1)
  }

  /// The value of the userdata at `index` if it is of the registered type `Object`.
  public func object<Object>(at index: Int32, as objectType: Object.Type) -> Object? {
    (try? objectBox(at: index, as: objectType, typeName: "\(Object.self)", method: nil))?.value
  }

  /// The box of the userdata at `index`, checked by metatable identity (never by name).
  func objectBox<Object>(
    at index: Int32, as objectType: Object.Type, typeName: String, method: String?
  ) throws
    -> ObjectBox<Object>
  {
    let valid: Bool
    if let metatable = handle.userTypes[ObjectIdentifier(Object.self)], lua_type(L, index) == LUA_TUSERDATA,
      lua_checkstack(L, 2) != 0, lua_getmetatable(L, index) != 0
    {
      metatable.push(on: L)
      valid = lua_rawequal(L, -1, -2) != 0
      lua_settop(L, -3)
    } else {
      valid = false
    }
    guard valid, let pointer = clua_box_object(L, index) else {
      let what = method.map { "calling '\($0)' on" } ?? "indexing"
      throw LuaError(
        .conversion, "\(what) a \(type(at: index).name) where \(typeName) was expected (use ':' for methods)")
    }
    return Unmanaged<ObjectBox<Object>>.fromOpaque(pointer).takeUnretainedValue()
  }
}

/// Passes a value of a registered type to Lua as userdata: `try f.call(LuaObject(counter))`.
public struct LuaObject<Object>: LuaPushable {
  /// The Swift value.
  public var value: Object
  /// Wraps `value`.
  public init(_ value: Object) { self.value = value }
  /// Pushes the userdata.
  public func push(onto stack: LuaStack) throws { try stack.pushObject(value) }
}
