import Foundation

/// Encodes a value as the report's JSON: byte for byte what Foundation's `JSONEncoder` writes
/// with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` and `.convertToSnakeCase`
/// keys (dictionary keys kept as they are, `URL` as its absolute string, `Data` as base64,
/// `Decimal` as its description, `Date` as seconds since 2001, as Foundation's defaults do).
///
/// Hand-written because Foundation's encoder, which makes an encoder object, a dictionary and a
/// snake-case conversion per object, wrote the 1.1 MB report of the four example packs on 1M
/// decisions in 29 ms in a warm process (about 50 ms in the CLI's cold one), on one core after
/// the pass: a tenth of a 0.5 s `caliper scorecard --format json`. This one takes 12.5 ms
/// (`caliper-bench scorecard`, paired rounds: ratio 0.43). The tests compare the two encoders'
/// bytes on the example reports and on edge cases.
struct ReportJSONEncoder {
  /// The JSON text of `value`.
  func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
    let tree = JSONTree()
    let top = tree.makeNode(parent: -1)
    try TreeEncoder(tree: tree, node: top).encodeValue(value)
    guard tree.nodes[Int(top)].kind != .pending else {
      throw EncodingError.invalidValue(
        value,
        EncodingError.Context(codingPath: [], debugDescription: "Top-level \(Value.self) did not encode any values."))
    }
    return tree.written(top)
  }
}

/// The `Encoder` a value encodes itself into: a node of the tree.
private struct TreeEncoder: Encoder {
  let tree: JSONTree
  let node: Int32

  var codingPath: [any CodingKey] { tree.path(to: node) }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    tree.makeObject(node)
    return KeyedEncodingContainer(KeyedTreeContainer<Key>(tree: tree, node: node))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    tree.makeArray(node)
    return UnkeyedTreeContainer(tree: tree, node: node)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer { SingleTreeContainer(tree: tree, node: node) }

  /// Encodes `value` into this node, with Foundation's special cases.
  func encodeValue<Value: Encodable>(_ value: Value) throws {
    switch value {
    case let string as String: encodeString(string)
    case let number as Double: try encodeNumber(number)
    case let number as Int: encodeInteger(number)
    case let flag as Bool: encodeBool(flag)
    case let url as URL: encodeString(url.absoluteString)
    case let data as Data: encodeString(data.base64EncodedString())
    case let decimal as Decimal: tree.setScalar(node) { $0.append(contentsOf: decimal.description.utf8) }
    case let dictionary as any StringKeyedEncodable: try dictionary.encodeMembers(into: self)
    default: try value.encode(to: self)
    }
  }

  func encodeNumber<Number: BinaryFloatingPoint & CustomStringConvertible>(_ value: Number) throws {
    try tree.setScalar(node) { try JSONText.appendNumber(value, path: codingPath, to: &$0) }
  }

  func encodeInteger(_ value: some FixedWidthInteger) {
    tree.setScalar(node) { JSONText.appendInteger(value, to: &$0) }
  }

  func encodeString(_ value: String) { tree.setScalar(node) { JSONText.appendString(value, to: &$0) } }

  func encodeBool(_ value: Bool) { tree.setScalar(node) { $0.append(contentsOf: (value ? "true" : "false").utf8) } }

  func encodeNull() { tree.setScalar(node) { $0.append(contentsOf: "null".utf8) } }
}

/// A dictionary with `String` keys: its keys are written as they are, not converted to snake
/// case (as Foundation does).
private protocol StringKeyedEncodable {
  func encodeMembers(into encoder: TreeEncoder) throws
}

extension Dictionary: StringKeyedEncodable where Key == String, Value: Encodable {
  fileprivate func encodeMembers(into encoder: TreeEncoder) throws {
    encoder.tree.makeObject(encoder.node)
    for (key, value) in self {
      let member = encoder.tree.member(of: encoder.node, named: key, converted: false)
      try TreeEncoder(tree: encoder.tree, node: member).encodeValue(value)
    }
  }
}

private struct KeyedTreeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let tree: JSONTree
  let node: Int32

  var codingPath: [any CodingKey] { tree.path(to: node) }

  private func member(_ key: Key) -> TreeEncoder {
    TreeEncoder(tree: tree, node: tree.member(of: node, named: key.stringValue, converted: true))
  }

  mutating func encodeNil(forKey key: Key) throws { member(key).encodeNull() }
  mutating func encode(_ value: Bool, forKey key: Key) throws { member(key).encodeBool(value) }
  mutating func encode(_ value: String, forKey key: Key) throws { member(key).encodeString(value) }
  mutating func encode(_ value: Double, forKey key: Key) throws { try member(key).encodeNumber(value) }
  mutating func encode(_ value: Float, forKey key: Key) throws { try member(key).encodeNumber(value) }
  mutating func encode(_ value: Int, forKey key: Key) throws { member(key).encodeInteger(value) }
  mutating func encode(_ value: Int8, forKey key: Key) throws { member(key).encodeInteger(value) }
  mutating func encode(_ value: Int16, forKey key: Key) throws { member(key).encodeInteger(value) }
  mutating func encode(_ value: Int32, forKey key: Key) throws { member(key).encodeInteger(value) }
  mutating func encode(_ value: Int64, forKey key: Key) throws { member(key).encodeInteger(value) }
  mutating func encode(_ value: UInt, forKey key: Key) throws { member(key).encodeInteger(value) }
  mutating func encode(_ value: UInt8, forKey key: Key) throws { member(key).encodeInteger(value) }
  mutating func encode(_ value: UInt16, forKey key: Key) throws { member(key).encodeInteger(value) }
  mutating func encode(_ value: UInt32, forKey key: Key) throws { member(key).encodeInteger(value) }
  mutating func encode(_ value: UInt64, forKey key: Key) throws { member(key).encodeInteger(value) }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try member(key).encodeValue(value) }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    member(key).container(keyedBy: keyType)
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    member(key).unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder {
    TreeEncoder(tree: tree, node: tree.member(of: node, named: "super", converted: false))
  }

  mutating func superEncoder(forKey key: Key) -> any Encoder { member(key) }
}

private struct UnkeyedTreeContainer: UnkeyedEncodingContainer {
  let tree: JSONTree
  let node: Int32

  var codingPath: [any CodingKey] { tree.path(to: node) }
  var count: Int { Int(tree.nodes[Int(node)].count) }

  private func element() -> TreeEncoder { TreeEncoder(tree: tree, node: tree.element(of: node)) }

  mutating func encodeNil() throws { element().encodeNull() }
  mutating func encode(_ value: Bool) throws { element().encodeBool(value) }
  mutating func encode(_ value: String) throws { element().encodeString(value) }
  mutating func encode(_ value: Double) throws { try element().encodeNumber(value) }
  mutating func encode(_ value: Float) throws { try element().encodeNumber(value) }
  mutating func encode(_ value: Int) throws { element().encodeInteger(value) }
  mutating func encode(_ value: Int8) throws { element().encodeInteger(value) }
  mutating func encode(_ value: Int16) throws { element().encodeInteger(value) }
  mutating func encode(_ value: Int32) throws { element().encodeInteger(value) }
  mutating func encode(_ value: Int64) throws { element().encodeInteger(value) }
  mutating func encode(_ value: UInt) throws { element().encodeInteger(value) }
  mutating func encode(_ value: UInt8) throws { element().encodeInteger(value) }
  mutating func encode(_ value: UInt16) throws { element().encodeInteger(value) }
  mutating func encode(_ value: UInt32) throws { element().encodeInteger(value) }
  mutating func encode(_ value: UInt64) throws { element().encodeInteger(value) }
  mutating func encode<T: Encodable>(_ value: T) throws { try element().encodeValue(value) }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type
  ) -> KeyedEncodingContainer<NestedKey> {
    element().container(keyedBy: keyType)
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { element().unkeyedContainer() }

  mutating func superEncoder() -> any Encoder { element() }
}

private struct SingleTreeContainer: SingleValueEncodingContainer {
  let tree: JSONTree
  let node: Int32

  var codingPath: [any CodingKey] { tree.path(to: node) }
  private var encoder: TreeEncoder { TreeEncoder(tree: tree, node: node) }

  mutating func encodeNil() throws { encoder.encodeNull() }
  mutating func encode(_ value: Bool) throws { encoder.encodeBool(value) }
  mutating func encode(_ value: String) throws { encoder.encodeString(value) }
  mutating func encode(_ value: Double) throws { try encoder.encodeNumber(value) }
  mutating func encode(_ value: Float) throws { try encoder.encodeNumber(value) }
  mutating func encode(_ value: Int) throws { encoder.encodeInteger(value) }
  mutating func encode(_ value: Int8) throws { encoder.encodeInteger(value) }
  mutating func encode(_ value: Int16) throws { encoder.encodeInteger(value) }
  mutating func encode(_ value: Int32) throws { encoder.encodeInteger(value) }
  mutating func encode(_ value: Int64) throws { encoder.encodeInteger(value) }
  mutating func encode(_ value: UInt) throws { encoder.encodeInteger(value) }
  mutating func encode(_ value: UInt8) throws { encoder.encodeInteger(value) }
  mutating func encode(_ value: UInt16) throws { encoder.encodeInteger(value) }
  mutating func encode(_ value: UInt32) throws { encoder.encodeInteger(value) }
  mutating func encode(_ value: UInt64) throws { encoder.encodeInteger(value) }
  mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value) }
}
