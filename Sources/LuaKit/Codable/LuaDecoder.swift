/// Decodes a Lua value into any `Decodable`. Errors name the path the way Lua users write it:
/// `scorecard.kpis[3].weight: expected number, got string`.
public struct LuaDecoder {
  /// The name the path starts with (for example `scorecard`).
  public var rootName: String

  /// Creates a decoder whose error paths start with `rootName`.
  public init(rootName: String = "value") { self.rootName = rootName }

  /// Decodes the value at `index` of `stack` (raw access: metamethods are not consulted).
  public func decode<T: Decodable>(_ type: T.Type, from stack: LuaStack, at index: Int32) throws -> T {
    let data = try LuaData.read(from: stack, at: index, path: rootName)
    return try decode(type, from: data)
  }

  /// Decodes a Lua value held by Swift.
  public func decode<T: Decodable>(_ type: T.Type, from value: LuaValue, in state: LuaState) throws -> T {
    try state.withStack { stack in
      try value.push(onto: stack)
      return try decode(type, from: stack, at: -1)
    }
  }

  func decode<T: Decodable>(_ type: T.Type, from data: LuaData) throws -> T {
    try DataDecoder(data: data, codingPath: [], root: rootName).decode(type)
  }
}

struct DataDecoder: Decoder {
  let data: LuaData
  let codingPath: [any CodingKey]
  let root: String
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func failure(_ message: String) -> LuaError {
    LuaError(.conversion, "\(LuaCodingPath.describe(codingPath, root: root)): \(message)")
  }

  func mismatch(_ expected: String) -> LuaError {
    switch data {
    case .null: failure("expected \(expected), got nil")
    default: failure("expected \(expected), got \(data.typeName)")
    }
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    switch data {
    case .map(let fields): return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self, fields: fields))
    case .array(let elements) where elements.isEmpty:
      return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self, fields: [:]))
    case .array(let elements):
      var fields: [String: LuaData] = [:]
      for (offset, element) in elements.enumerated() { fields[String(offset + 1)] = element }
      return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self, fields: fields))
    default: throw mismatch("table")
    }
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    switch data {
    case .array(let elements): return UnkeyedContainer(decoder: self, elements: elements)
    case .map(let fields) where fields.isEmpty: return UnkeyedContainer(decoder: self, elements: [])
    case .map: throw failure("expected a sequence (keys 1...n), got a table with other keys")
    default: throw mismatch("table")
    }
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleContainer(decoder: self) }

  func child(_ data: LuaData, key: any CodingKey) -> DataDecoder {
    DataDecoder(data: data, codingPath: codingPath + [key], root: root)
  }

  /// Decodes scalars directly, everything else through its `init(from:)`.
  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    if let value = try decodeScalar(type) { return value }
    return try T(from: self)
  }

  private func decodeScalar<T>(_ type: T.Type) throws -> T? {
    switch type {
    case is Bool.Type:
      guard case .boolean(let value) = data else { throw mismatch("boolean") }
      return value as? T
    case is String.Type:
      guard case .string(let value) = data else { throw mismatch("string") }
      return value as? T
    case is Double.Type: return try number() as? T
    case is Float.Type: return Float(try number()) as? T
    case is Int.Type: return Int(exactly: try integer()).flatMap { $0 as? T }
    case is Int64.Type: return try integer() as? T
    case is Int32.Type: return try fitted(Int32.self) as? T
    case is Int16.Type: return try fitted(Int16.self) as? T
    case is Int8.Type: return try fitted(Int8.self) as? T
    case is UInt.Type: return try fitted(UInt.self) as? T
    case is UInt64.Type: return try fitted(UInt64.self) as? T
    case is UInt32.Type: return try fitted(UInt32.self) as? T
    case is UInt16.Type: return try fitted(UInt16.self) as? T
    case is UInt8.Type: return try fitted(UInt8.self) as? T
    default: return nil
    }
  }

  func number() throws -> Double {
    switch data {
    case .integer(let value): return Double(value)
    case .number(let value): return value
    default: throw mismatch("number")
    }
  }

  func integer() throws -> Int64 {
    switch data {
    case .integer(let value): return value
    case .number(let value):
      guard let exact = Int64(exactly: value) else { throw failure("expected integer, got number \(value)") }
      return exact
    default: throw mismatch("integer")
    }
  }

  func fitted<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
    let value = try integer()
    guard let exact = I(exactly: value) else { throw failure("\(value) does not fit \(I.self)") }
    return exact
  }

  var isNull: Bool {
    if case .null = data { return true }
    return false
  }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let decoder: DataDecoder
  let fields: [String: LuaData]
  var codingPath: [any CodingKey] { decoder.codingPath }
  var allKeys: [Key] { fields.keys.compactMap { Key(stringValue: $0) } }

  func contains(_ key: Key) -> Bool { fields[key.stringValue] != nil }

  private func value(_ key: Key) -> DataDecoder {
    decoder.child(fields[key.stringValue] ?? .null, key: key)
  }

  func decodeNil(forKey key: Key) throws -> Bool { value(key).isNull }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    let child = value(key)
    if child.isNull, fields[key.stringValue] == nil, !(T.self is any OptionalMarker.Type) {
      throw child.failure("missing (expected \(LuaTypeNames.expected(T.self)))")
    }
    return try child.decode(type)
  }

  func nestedContainer<NestedKey: CodingKey>(
    keyedBy type: NestedKey.Type, forKey key: Key
  ) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try value(key).container(keyedBy: type)
  }
  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try value(key).unkeyedContainer()
  }
  func superDecoder() throws -> any Decoder { decoder }
  func superDecoder(forKey key: Key) throws -> any Decoder { value(key) }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
  let decoder: DataDecoder
  let elements: [LuaData]
  var currentIndex = 0
  var codingPath: [any CodingKey] { decoder.codingPath }
  var count: Int? { elements.count }
  var isAtEnd: Bool { currentIndex >= elements.count }

  init(decoder: DataDecoder, elements: [LuaData]) {
    self.decoder = decoder
    self.elements = elements
  }

  private mutating func next() throws -> DataDecoder {
    guard !isAtEnd else {
      throw decoder.failure("expected more than \(elements.count) elements")
    }
    defer { currentIndex += 1 }
    return decoder.child(elements[currentIndex], key: LuaIndexKey(intValue: currentIndex))
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd else { return false }
    if case .null = elements[currentIndex] {
      currentIndex += 1
      return true
    }
    return false
  }
  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }
  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy type: NestedKey.Type
  ) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try next().container(keyedBy: type)
  }
  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
  mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleContainer: SingleValueDecodingContainer {
  let decoder: DataDecoder
  var codingPath: [any CodingKey] { decoder.codingPath }
  func decodeNil() -> Bool { decoder.isNull }
  func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(type) }
}

/// Lets the keyed container tell optional fields from required ones.
protocol OptionalMarker {}
extension Optional: OptionalMarker {}

/// Lua names for the Swift types a field expects, for "missing" messages.
enum LuaTypeNames {
  static func expected(_ type: Any.Type) -> String {
    switch type {
    case is Bool.Type: "boolean"
    case is String.Type: "string"
    case is Double.Type, is Float.Type: "number"
    case is any FixedWidthInteger.Type: "integer"
    default: "table"
    }
  }
}
