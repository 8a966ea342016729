import Foundation
import LuaKit

/// The Codable bridge: a nested value made from the input's bytes goes into Lua and back
/// unchanged, decoding it as a type of another shape fails with an error (never a trap), and
/// neither leaves anything on the state's stack.
struct CodableBridgeTarget: FuzzTarget {
  /// A record with every kind of field the bridge handles, nested.
  struct Node: Codable, Equatable {
    var name: String
    var count: Int64
    var ratio: Double
    var flag: Bool?
    var tags: [String]
    var attributes: [String: Int]
    var children: [Node]
  }

  /// The same keys with other types.
  struct Other: Codable {
    var name: Int
    var count: String
    var children: [String: Other]
  }

  let state: LuaState

  init() {
    do { state = try LuaState(options: LuaOptions(memoryLimit: 64 << 20)) } catch {
      fatalError("cannot make a state: \(error)")
    }
  }

  mutating func run(_ input: Data) {
    var bytes = ByteCursor(Array(input))
    let node = Node.make(&bytes, depth: 0)
    do {
      let value = try LuaEncoder().encode(node, in: state)
      let back = try LuaDecoder().decode(Node.self, from: value, in: state)
      guard back == node else { fatalError("the value came back changed:\n \(node)\n \(back)") }
      _ = try? LuaDecoder().decode(Other.self, from: value, in: state)
      let depth = try state.stackDepth
      guard depth == 0 else { fatalError("the bridge left \(depth) values on the stack") }
    } catch let error as LuaError where error.limit != nil {
      // A value too large for the cap is refused as a limit: fine.
    } catch {
      fatalError("a valid value was refused: \(error)")
    }
  }
}

/// Reads the input a few bytes at a time, giving zeros once it runs out.
struct ByteCursor {
  var bytes: [UInt8]
  var index = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  mutating func byte() -> UInt8 {
    defer { index += 1 }
    return index < bytes.count ? bytes[index] : 0
  }

  mutating func integer() -> Int64 {
    (0..<8).reduce(Int64(0)) { value, _ in (value << 8) | Int64(byte()) }
  }

  mutating func text() -> String {
    let count = Int(byte() % 24)
    return String(decoding: (0..<count).map { _ in byte() }, as: UTF8.self)
  }
}

extension CodableBridgeTarget.Node {
  /// A node from the cursor's bytes, at most four levels deep.
  static func make(_ bytes: inout ByteCursor, depth: Int) -> Self {
    let name = bytes.text()
    let count = bytes.integer()
    let bits = UInt64(bitPattern: bytes.integer())
    let ratio = Double(bitPattern: bits)
    let flagByte = bytes.byte()
    let tags = (0..<Int(bytes.byte() % 5)).map { _ in bytes.text() }
    var attributes: [String: Int] = [:]
    for _ in 0..<Int(bytes.byte() % 4) { attributes[bytes.text()] = Int(bytes.integer()) }
    let children = depth < 4 ? (0..<Int(bytes.byte() % 3)).map { _ in make(&bytes, depth: depth + 1) } : []
    return Self(
      name: name, count: count, ratio: ratio.isNaN ? 0 : ratio, flag: flagByte % 3 == 0 ? nil : flagByte % 3 == 1,
      tags: tags, attributes: attributes, children: children)
  }
}
