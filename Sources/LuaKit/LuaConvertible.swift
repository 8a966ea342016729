import CLua

/// A Swift value that can be pushed onto a Lua stack.
public protocol LuaPushable {
  /// Pushes exactly one value representing `self`; when it throws, it must leave the stack as
  /// it found it (LuaKit's own conformances do).
  func push(onto stack: LuaStack) throws

  /// Whether LuaKit may rely on `push` without checking: true only for LuaKit's own scalar
  /// conversions. A typed call from the host that uses only such conversions knows it leaves the
  /// main thread's stack as it found it, so the next one need not measure the stack (see
  /// `docs/luakit.md`, "Stack room"). Keep the default, false, in your own conformances.
  static var luaKitTrustsPush: Bool { get }
}

extension LuaPushable {
  /// False: a conformance outside LuaKit is not relied on (see ``luaKitTrustsPush``).
  @inlinable public static var luaKitTrustsPush: Bool { false }
}

/// A Swift value that can be read from a Lua stack.
public protocol LuaReadable {
  /// Reads the value at `index`, throwing a ``LuaError/Kind/conversion`` error when it does not fit.
  static func read(from stack: LuaStack, at index: Int32) throws -> Self

  /// Whether LuaKit may rely on `read` leaving the stack as it found it without checking: true
  /// only for LuaKit's own scalar conversions (see ``LuaPushable/luaKitTrustsPush``). Keep the
  /// default, false, in your own conformances.
  static var luaKitTrustsRead: Bool { get }
}

extension LuaReadable {
  /// False: a conformance outside LuaKit is not relied on (see ``luaKitTrustsRead``).
  @inlinable public static var luaKitTrustsRead: Bool { false }
}

/// Both directions.
public typealias LuaConvertible = LuaPushable & LuaReadable

extension LuaStack {
  /// A conversion error naming what was expected and what was found.
  @usableFromInline func mismatch(expected: String, at index: Int32) -> LuaError {
    LuaError(.conversion, "expected \(expected), got \(type(at: index).name)")
  }

  /// The same, boxed out of line so that hot conversion paths stay small.
  @usableFromInline @inline(never) func mismatchError(expected: String, at index: Int32) -> any Error {
    mismatch(expected: expected, at: index)
  }

  /// The message of the callback error at `index`, or a string mismatch (out of line: only
  /// failing string reads come here).
  @usableFromInline @inline(never) func callbackFailureMessage(at index: Int32) throws -> String {
    guard let error = callbackFailure(at: index) else { throw mismatch(expected: "string", at: index) }
    return error.description
  }

  /// Whether the value at `index` converts to a number. Conversions read without a result flag
  /// (a flag written through a pointer makes the caller's frame a stack-protected one) and ask
  /// this, out of line, only when they got 0, which also stands for "no number".
  @usableFromInline @inline(never) func convertsToNumber(at index: Int32) -> Bool {
    var ok: Int32 = 0
    _ = lua_tonumberx(L, index, &ok)
    return ok != 0
  }

  /// Whether the value at `index` converts to an integer (see ``convertsToNumber(at:)``).
  @usableFromInline @inline(never) func convertsToInteger(at index: Int32) -> Bool {
    var ok: Int32 = 0
    _ = lua_tointegerx(L, index, &ok)
    return ok != 0
  }

  /// The error for a value that is not an integer, telling fractional numbers apart.
  @usableFromInline @inline(never) func integerMismatch(at index: Int32) -> any Error {
    if type(at: index) == .number, let value = number(at: index) {
      return LuaError(.conversion, "expected integer, got number \(value) with no integer representation")
    }
    return mismatch(expected: "integer", at: index)
  }
}

extension Bool: LuaConvertible {
  /// True: LuaKit's own conversion.
  @inlinable public static var luaKitTrustsPush: Bool { true }
  /// True: LuaKit's own conversion.
  @inlinable public static var luaKitTrustsRead: Bool { true }
  /// Pushes a boolean.
  @inlinable public func push(onto stack: LuaStack) throws { stack.push(self) }
  /// Reads a boolean; other types are a conversion error (no truthiness coercion).
  @inlinable public static func read(from stack: LuaStack, at index: Int32) throws -> Bool {
    guard stack.type(at: index) == .boolean else { throw stack.mismatch(expected: "boolean", at: index) }
    return stack.truth(at: index)
  }
}

/// Any Lua value read as a condition, the way `if` reads it: only `nil` and `false` are false.
public struct LuaTruth: LuaReadable, Equatable, Sendable {
  /// Whether the value was neither `nil` nor `false`.
  public let isTrue: Bool

  /// True: LuaKit's own conversion.
  @inlinable public static var luaKitTrustsRead: Bool { true }

  /// Reads the truth of any value (never fails).
  @inlinable public static func read(from stack: LuaStack, at index: Int32) throws -> LuaTruth {
    LuaTruth(isTrue: stack.truth(at: index))
  }

  @inlinable init(isTrue: Bool) { self.isTrue = isTrue }
}

extension Int: LuaConvertible {
  /// True: LuaKit's own conversion.
  @inlinable public static var luaKitTrustsPush: Bool { true }
  /// True: LuaKit's own conversion.
  @inlinable public static var luaKitTrustsRead: Bool { true }
  /// Pushes an integer.
  @inlinable public func push(onto stack: LuaStack) throws { stack.push(Int64(self)) }
  /// Reads an integer as Lua's `luaL_checkinteger` does: integers, floats with an exact integer
  /// value, and strings that convert to one.
  @inlinable public static func read(from stack: LuaStack, at index: Int32) throws -> Int {
    let value = lua_tointegerx(stack.L, index, nil)
    guard value != 0 || stack.convertsToInteger(at: index) else { throw stack.integerMismatch(at: index) }
    return Int(value)
  }
}

extension Int64: LuaConvertible {
  /// True: LuaKit's own conversion.
  @inlinable public static var luaKitTrustsPush: Bool { true }
  /// True: LuaKit's own conversion.
  @inlinable public static var luaKitTrustsRead: Bool { true }
  /// Pushes an integer.
  @inlinable public func push(onto stack: LuaStack) throws { stack.push(self) }
  /// Reads an integer, or a float with an exact integer value.
  @inlinable public static func read(from stack: LuaStack, at index: Int32) throws -> Int64 {
    Int64(try Int.read(from: stack, at: index))
  }
}

extension Double: LuaConvertible {
  /// True: LuaKit's own conversion.
  @inlinable public static var luaKitTrustsPush: Bool { true }
  /// True: LuaKit's own conversion.
  @inlinable public static var luaKitTrustsRead: Bool { true }
  /// Pushes a float (NaN and infinities included).
  @inlinable public func push(onto stack: LuaStack) throws { stack.push(self) }
  /// Reads a number as Lua's `luaL_checknumber` does: numbers and strings that convert to one.
  @inlinable public static func read(from stack: LuaStack, at index: Int32) throws -> Double {
    let value = lua_tonumberx(stack.L, index, nil)
    guard value != 0 || stack.convertsToNumber(at: index) else {
      throw stack.mismatchError(expected: "number", at: index)
    }
    return value
  }
}

extension String: LuaConvertible {
  /// True: LuaKit's own conversion.
  @inlinable public static var luaKitTrustsPush: Bool { true }
  /// True: LuaKit's own conversion.
  @inlinable public static var luaKitTrustsRead: Bool { true }
  /// Pushes the UTF-8 bytes.
  @inlinable public func push(onto stack: LuaStack) throws { try stack.push(self) }
  /// Reads a string (numbers are not coerced). A Swift error a script caught with `pcall` reads
  /// as its message, as it did when such errors crossed Lua as strings.
  @inlinable public static func read(from stack: LuaStack, at index: Int32) throws -> String {
    guard let value = stack.string(at: index) else { return try stack.callbackFailureMessage(at: index) }
    return value
  }
}

extension Optional: LuaPushable where Wrapped: LuaPushable {
  /// As trusted as the wrapped type's.
  @inlinable public static var luaKitTrustsPush: Bool { Wrapped.luaKitTrustsPush }
  /// Pushes the value, or nil.
  @inlinable public func push(onto stack: LuaStack) throws {
    switch self {
    case .none: stack.pushNil()
    case .some(let value): try value.push(onto: stack)
    }
  }
}

extension Optional: LuaReadable where Wrapped: LuaReadable {
  /// As trusted as the wrapped type's.
  @inlinable public static var luaKitTrustsRead: Bool { Wrapped.luaKitTrustsRead }
  /// Reads nil (or no value) as `nil`, anything else as the wrapped type.
  @inlinable public static func read(from stack: LuaStack, at index: Int32) throws -> Wrapped? {
    let type = stack.type(at: index)
    if type == .nil || type == .none { return nil }
    return try Wrapped.read(from: stack, at: index)
  }
}

extension Array: LuaPushable where Element: LuaPushable {
  /// Pushes a sequence table `{[1]=..., [n]=...}`.
  public func push(onto stack: LuaStack) throws {
    try stack.pushTable(arrayCapacity: count)
    let table = stack.top
    try stack.reserve(2)
    for (offset, element) in enumerated() {
      do {
        try element.push(onto: stack)
        try stack.rawSet(table: table, index: Int64(offset + 1))
      } catch {
        stack.setTop(table - 1)
        throw error
      }
    }
  }
}

extension Array: LuaReadable where Element: LuaReadable {
  /// Reads a sequence table `1...#t`; an element that does not fit names its index.
  public static func read(from stack: LuaStack, at index: Int32) throws -> [Element] {
    guard stack.type(at: index) == .table else { throw stack.mismatch(expected: "table", at: index) }
    let table = stack.absolute(index)
    let count = stack.rawLength(at: table)
    var result: [Element] = []
    result.reserveCapacity(count)
    try stack.reserve(1)
    let top = stack.top
    for position in stride(from: 1, through: count, by: 1) {
      let element = StackGuard(stack, top: top)
      element.stack.rawGet(table: table, index: Int64(position))
      do { result.append(try Element.read(from: element.stack, at: -1)) } catch var error as LuaError {
        error.message = "[\(position)]: " + error.message
        throw error
      }
    }
    return result
  }
}

extension Dictionary: LuaPushable where Key: LuaPushable, Value: LuaPushable {
  /// Pushes a table with one field per entry.
  public func push(onto stack: LuaStack) throws {
    try stack.pushTable(recordCapacity: count)
    let table = stack.top
    try stack.reserve(2)
    for (key, value) in self {
      do {
        try key.push(onto: stack)
        try value.push(onto: stack)
        try stack.rawSet(table: table)
      } catch {
        stack.setTop(table - 1)
        throw error
      }
    }
  }
}

extension Dictionary: LuaReadable where Key: LuaReadable, Value: LuaReadable {
  /// Reads every pair of a table; a pair that does not fit names its key.
  public static func read(from stack: LuaStack, at index: Int32) throws -> [Key: Value] {
    guard stack.type(at: index) == .table else { throw stack.mismatch(expected: "table", at: index) }
    var result: [Key: Value] = [:]
    try stack.forEachPair(table: index) {
      let key: Key
      do { key = try Key.read(from: stack, at: -2) } catch var error as LuaError {
        error.message = "key: " + error.message
        throw error
      }
      do { result[key] = try Value.read(from: stack, at: -1) } catch var error as LuaError {
        error.message = "[\(stack.describeKey(at: -2))]: " + error.message
        throw error
      }
    }
    return result
  }
}

extension LuaStack {
  /// A key as it would be written in a path: `name`, `3` or `"a b"`.
  func describeKey(at index: Int32) -> String {
    switch type(at: index) {
    case .number: integer(at: index).map(String.init) ?? "\(number(at: index) ?? 0)"
    case .string: string(at: index).map { "\"\($0)\"" } ?? "?"
    default: "<\(type(at: index).name)>"
    }
  }
}
