import CLua

/// Any Lua value, as Swift sees it.
///
/// Scalars are copied; tables, functions, userdata and threads are references into the state
/// (see ``LuaTable``), released when Swift lets go.
public enum LuaValue {
  /// `nil`.
  case `nil`
  /// A boolean.
  case boolean(Bool)
  /// An integer (Lua's integer subtype).
  case integer(Int64)
  /// A float (Lua's float subtype), NaN and infinities included.
  case number(Double)
  /// A string, decoded as UTF-8.
  case string(String)
  /// A table.
  case table(LuaTable)
  /// A function.
  case function(LuaFunction)
  /// A userdata or thread, held opaquely.
  case opaque(LuaOpaque)
  /// A light userdata pointer.
  case lightUserdata(UnsafeMutableRawPointer?)

  /// The Lua type name, as `type()` gives it.
  public var typeName: String {
    switch self {
    case .nil: "nil"
    case .boolean: "boolean"
    case .integer, .number: "number"
    case .string: "string"
    case .table: "table"
    case .function: "function"
    case .opaque(let value): value.type.name
    case .lightUserdata: "userdata"
    }
  }
}

extension LuaValue: LuaConvertible {
  /// Pushes the value.
  public func push(onto stack: LuaStack) throws {
    switch self {
    case .nil: stack.pushNil()
    case .boolean(let value): stack.push(value)
    case .integer(let value): stack.push(value)
    case .number(let value): stack.push(value)
    case .string(let value): try stack.push(value)
    case .table(let value): try value.push(onto: stack)
    case .function(let value): try value.push(onto: stack)
    case .opaque(let value): try value.push(onto: stack)
    case .lightUserdata(let pointer): lua_pushlightuserdata(stack.L, pointer)
    }
  }

  /// Reads any value.
  public static func read(from stack: LuaStack, at index: Int32) throws -> LuaValue {
    switch stack.type(at: index) {
    case .none, .nil: return .nil
    case .boolean: return .boolean(stack.truth(at: index))
    case .number:
      if stack.isInteger(at: index), let value = stack.integer(at: index) { return .integer(value) }
      return .number(stack.number(at: index) ?? .nan)
    case .string: return .string(stack.string(at: index) ?? "")
    case .table: return .table(try LuaTable.read(from: stack, at: index))
    case .function: return .function(try LuaFunction.read(from: stack, at: index))
    case .lightUserdata: return .lightUserdata(lua_touserdata(stack.L, index))
    case .userdata, .thread: return .opaque(try LuaOpaque.read(from: stack, at: index))
    }
  }
}

extension LuaValue {
  /// The value as a Swift scalar for display and tests: `nil`, Bool, Int64, Double or String.
  public var scalar: (any Sendable)? {
    switch self {
    case .boolean(let value): value
    case .integer(let value): value
    case .number(let value): value
    case .string(let value): value
    default: nil
    }
  }
}
