/// Encodes any `Encodable` into a Lua value: structs and dictionaries become records, arrays
/// become sequences, `nil` optionals are left out, integers stay integers and floats floats.
public struct LuaEncoder {
  /// Creates an encoder.
  public init() {}

  /// Encodes `value` and pushes it onto `stack`.
  public func push(_ value: some Encodable, onto stack: LuaStack) throws {
    try encode(value).push(onto: stack)
  }

  /// Encodes `value` into a Lua value owned by `state`.
  public func encode(_ value: some Encodable, in state: LuaState) throws -> LuaValue {
    try state.withStack { stack in
      try push(value, onto: stack)
      return try LuaValue.read(from: stack, at: -1)
    }
  }

  func encode(_ value: some Encodable) throws -> LuaData {
    let root = EncodingNode()
    try value.encode(to: DataEncoder(node: root, codingPath: []))
    return root.data
  }
}

/// A mutable slot the containers write into; resolved to ``LuaData`` at the end.
final class EncodingNode {
  enum Content {
    case empty
    case value(LuaData)
    case keyed([String: EncodingNode])
    case unkeyed([EncodingNode])
  }

  var content: Content = .empty

  var data: LuaData {
    switch content {
    case .empty: .map([:])
    case .value(let value): value
    case .keyed(let fields): .map(fields.compactMapValues { $0.isNull ? nil : $0.data })
    case .unkeyed(let elements): .array(elements.map(\.data))
    }
  }

  var isNull: Bool {
    if case .value(.null) = content { return true }
    return false
  }
}

struct DataEncoder: Encoder {
  let node: EncodingNode
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if case .keyed = node.content {} else { node.content = .keyed([:]) }
    return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if case .unkeyed = node.content {} else { node.content = .unkeyed([]) }
    return UnkeyedContainer(node: node, codingPath: codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    SingleContainer(node: node, codingPath: codingPath)
  }
}

/// Scalars every container shares.
private func scalar(_ value: some Encodable, at path: [any CodingKey]) throws -> LuaData? {
  switch value {
  case let value as Bool: return .boolean(value)
  case let value as String: return .string(value)
  case let value as Double: return .number(value)
  case let value as Float: return .number(Double(value))
  case let value as Int: return .integer(Int64(value))
  case let value as Int8: return .integer(Int64(value))
  case let value as Int16: return .integer(Int64(value))
  case let value as Int32: return .integer(Int64(value))
  case let value as Int64: return .integer(value)
  case let value as UInt8: return .integer(Int64(value))
  case let value as UInt16: return .integer(Int64(value))
  case let value as UInt32: return .integer(Int64(value))
  case let value as UInt:
    guard let exact = Int64(exactly: value) else { throw overflow(value, path) }
    return .integer(exact)
  case let value as UInt64:
    guard let exact = Int64(exactly: value) else { throw overflow(value, path) }
    return .integer(exact)
  default: return nil
  }
}

private func overflow(_ value: some BinaryInteger, _ path: [any CodingKey]) -> LuaError {
  LuaError(.conversion, "\(LuaCodingPath.describe(path)): \(value) does not fit a Lua integer")
}

private func encodeNested(_ value: some Encodable, into node: EncodingNode, path: [any CodingKey]) throws {
  if let data = try scalar(value, at: path) {
    node.content = .value(data)
  } else {
    try value.encode(to: DataEncoder(node: node, codingPath: path))
  }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let node: EncodingNode
  let codingPath: [any CodingKey]

  private func child(_ key: Key) -> EncodingNode {
    let child = EncodingNode()
    if case .keyed(var fields) = node.content {
      node.content = .empty  // as in the unkeyed append: no copy of the fields per key
      fields[key.stringValue] = child
      node.content = .keyed(fields)
    }
    return child
  }

  mutating func encodeNil(forKey key: Key) throws { child(key).content = .value(.null) }
  mutating func encode(_ value: some Encodable, forKey key: Key) throws {
    try encodeNested(value, into: child(key), path: codingPath + [key])
  }
  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  )
    -> KeyedEncodingContainer<NestedKey>
  {
    DataEncoder(node: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
  }
  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    DataEncoder(node: child(key), codingPath: codingPath + [key]).unkeyedContainer()
  }
  mutating func superEncoder() -> any Encoder {
    DataEncoder(node: child(Key(stringValue: "super")!), codingPath: codingPath)
  }
  mutating func superEncoder(forKey key: Key) -> any Encoder {
    DataEncoder(node: child(key), codingPath: codingPath + [key])
  }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
  let node: EncodingNode
  let codingPath: [any CodingKey]
  var count: Int {
    if case .unkeyed(let elements) = node.content { return elements.count }
    return 0
  }

  private func append() -> EncodingNode {
    let child = EncodingNode()
    if case .unkeyed(var elements) = node.content {
      // Drop the node's own reference first, so the append does not copy every element (a
      // copy per append made a 100,000-point series take 90 s to encode).
      node.content = .empty
      elements.append(child)
      node.content = .unkeyed(elements)
    }
    return child
  }

  private var nextPath: [any CodingKey] { codingPath + [LuaIndexKey(intValue: count)] }

  mutating func encodeNil() throws { append().content = .value(.null) }
  mutating func encode(_ value: some Encodable) throws {
    let path = nextPath
    try encodeNested(value, into: append(), path: path)
  }
  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type
  )
    -> KeyedEncodingContainer<NestedKey>
  {
    let path = nextPath
    return DataEncoder(node: append(), codingPath: path).container(keyedBy: keyType)
  }
  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let path = nextPath
    return DataEncoder(node: append(), codingPath: path).unkeyedContainer()
  }
  mutating func superEncoder() -> any Encoder {
    let path = nextPath
    return DataEncoder(node: append(), codingPath: path)
  }
}

private struct SingleContainer: SingleValueEncodingContainer {
  let node: EncodingNode
  let codingPath: [any CodingKey]

  mutating func encodeNil() throws { node.content = .value(.null) }
  mutating func encode(_ value: some Encodable) throws {
    try encodeNested(value, into: node, path: codingPath)
  }
}

/// An array position as a coding key (0-based, shown 1-based as Lua counts).
struct LuaIndexKey: CodingKey {
  var intValue: Int?
  var stringValue: String { intValue.map { String($0) } ?? "" }
  init(intValue: Int) { self.intValue = intValue }
  init?(stringValue: String) { return nil }
}

/// Formats coding paths the way Lua users read them: `scorecard.kpis[3].weight`.
enum LuaCodingPath {
  static func describe(_ path: [any CodingKey], root: String = "value") -> String {
    var text = root
    for key in path {
      if key is LuaIndexKey, let index = key.intValue {
        text += "[\(index + 1)]"
      } else {
        text += text.isEmpty ? key.stringValue : "." + key.stringValue
      }
    }
    return text
  }
}
