import CLua

/// A plain-data snapshot of a Lua value, the intermediate form of Codable bridging.
enum LuaData {
  case null
  case boolean(Bool)
  case integer(Int64)
  case number(Double)
  case string(String)
  /// A table whose keys are exactly `1...n` (the empty table is also an empty array).
  case array([LuaData])
  /// Any other table, keys as text; the original key type is kept for messages.
  case map([String: LuaData])
  /// A value that is not data (function, userdata, thread), kept by type name for messages.
  case other(String)

  /// The Lua type name, for messages.
  var typeName: String {
    switch self {
    case .null: "nil"
    case .boolean: "boolean"
    case .integer, .number: "number"
    case .string: "string"
    case .array, .map: "table"
    case .other(let name): name
    }
  }
}

extension LuaData {
  /// The most values one snapshot reads: a table shared by reference is read once per
  /// reference (`t = {t, t}` nested 60 times is 2⁶⁰ leaves from a few bytes of Lua), so the count
  /// bounds the host memory a script can make the bridge allocate.
  static let valueLimit = 1_000_000

  /// Reads the value at `index` without metamethods. Nested tables deeper than `depthLimit`,
  /// cycles and more than `valueLimit` values are errors naming the path.
  static func read(
    from stack: LuaStack, at index: Int32, path: String, depthLimit: Int = 100, valueLimit: Int = valueLimit
  ) throws -> LuaData {
    var visiting: Set<UnsafeRawPointer> = []
    var remaining = valueLimit
    return try read(
      from: stack, at: stack.absolute(index), path: path, depth: depthLimit, visiting: &visiting,
      remaining: &remaining, limit: valueLimit)
  }

  private static func read(
    from stack: LuaStack, at index: Int32, path: String, depth: Int, visiting: inout Set<UnsafeRawPointer>,
    remaining: inout Int, limit: Int
  ) throws -> LuaData {
    remaining -= 1
    guard remaining >= 0 else {
      throw LuaError(
        .conversion, "\(path): more than \(limit) values to convert (a table shared by reference counts once per use)")
    }
    switch stack.type(at: index) {
    case .none, .nil: return .null
    case .boolean: return .boolean(stack.truth(at: index))
    case .number:
      if stack.isInteger(at: index), let value = stack.integer(at: index) { return .integer(value) }
      return .number(stack.number(at: index) ?? .nan)
    case .string: return .string(stack.string(at: index) ?? "")
    case .table:
      guard depth > 0 else { throw LuaError(.conversion, "\(path): tables nest too deeply") }
      guard let identity = lua_topointer(stack.L, index) else { return .null }
      guard visiting.insert(identity).inserted else {
        throw LuaError(.conversion, "\(path): table refers to itself (a cycle cannot be decoded)")
      }
      defer { visiting.remove(identity) }
      var entries: [(key: LuaKey, value: LuaData)] = []
      try stack.forEachPair(table: index) {
        let key = try LuaKey(stack: stack, at: -2, path: path)
        let value = try read(
          from: stack, at: stack.top, path: key.appended(to: path), depth: depth - 1, visiting: &visiting,
          remaining: &remaining, limit: limit)
        entries.append((key, value))
      }
      return makeTable(entries)
    case .function, .userdata, .lightUserdata, .thread:
      return .other(stack.type(at: index).name)
    }
  }

  private static func makeTable(_ entries: [(key: LuaKey, value: LuaData)]) -> LuaData {
    var array = [LuaData?](repeating: nil, count: entries.count)
    var isArray = true
    for entry in entries {
      guard case .index(let position) = entry.key, position >= 1, position <= entries.count else {
        isArray = false
        break
      }
      array[Int(position) - 1] = entry.value
    }
    if isArray { return .array(array.map { $0 ?? .null }) }
    var map: [String: LuaData] = [:]
    for entry in entries { map[entry.key.text] = entry.value }
    return .map(map)
  }

  /// Pushes the data as a Lua value (arrays as sequences, maps as records); on failure the
  /// stack is left as it was.
  func push(onto stack: LuaStack) throws {
    try stack.reserve(3)
    switch self {
    case .null: stack.pushNil()
    case .boolean(let value): stack.push(value)
    case .integer(let value): stack.push(value)
    case .number(let value): stack.push(value)
    case .string(let value): try stack.push(value)
    case .array(let elements):
      try stack.pushTable(arrayCapacity: elements.count)
      try Self.filling(stack) {
        for (offset, element) in elements.enumerated() {
          try element.push(onto: stack)
          try stack.rawSet(table: -2, index: Int64(offset + 1))
        }
      }
    case .map(let fields):
      try stack.pushTable(recordCapacity: fields.count)
      try Self.filling(stack) {
        for key in fields.keys.sorted() {
          try fields[key]!.push(onto: stack)
          try stack.rawSet(table: -2, field: key)
        }
      }
    case .other(let name):
      throw LuaError(.conversion, "cannot push a \(name) placeholder")
    }
  }

  /// Fills the table on top; if that fails, drops the table so the push leaves no trace.
  private static func filling(_ stack: LuaStack, _ body: () throws -> Void) throws {
    let table = stack.top
    do { try body() } catch {
      stack.setTop(table - 1)
      throw error
    }
  }
}

/// A table key as Codable sees it.
enum LuaKey {
  case index(Int64)
  case name(String)

  init(stack: LuaStack, at index: Int32, path: String) throws {
    switch stack.type(at: index) {
    case .string: self = .name(stack.string(at: index) ?? "")
    case .number:
      guard let value = stack.integer(at: index) else {
        throw LuaError(.conversion, "\(path): table key \(stack.number(at: index) ?? 0) is not an integer or a string")
      }
      self = .index(value)
    default:
      throw LuaError(
        .conversion, "\(path): table key of type \(stack.type(at: index).name) is not an integer or a string")
    }
  }

  var text: String {
    switch self {
    case .index(let value): String(value)
    case .name(let value): value
    }
  }

  func appended(to path: String) -> String {
    switch self {
    case .index(let value): "\(path)[\(value)]"
    case .name(let value): path.isEmpty ? value : "\(path).\(value)"
    }
  }
}
