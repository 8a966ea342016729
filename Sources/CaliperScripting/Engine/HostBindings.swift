import LuaKit

/// Functions and read-only data a host app gives scripts as `caliper.host.<name>`: a dotted name
/// (`roster.lookup`) nests. Arguments and results cross through LuaKit's `Codable` bridge; a
/// function that throws, or arguments that do not decode, are a Lua error at the script's line
/// (the host never crashes); data is copied into each state and frozen, nested tables included.
///
/// ```swift
/// try engine.register("roster.lookup") { (id: String) -> Moderator? in roster[id] }
/// try engine.provide("targets", ["JP": 0.95, "KR": 0.93])
/// ```
public struct HostBindings: Sendable {
  /// How one binding becomes a Lua value in a state.
  enum Entry: Sendable {
    case function(@Sendable (LuaState, String) throws -> LuaFunction)
    case data(@Sendable (LuaState) throws -> LuaValue)
  }

  /// Every binding by its dotted name.
  private(set) var entries: [String: Entry] = [:]

  /// No bindings.
  public init() {}

  /// The names bound, sorted.
  public var names: [String] { entries.keys.sorted() }

  /// Binds a typed Swift function of any arity as `caliper.host.<name>`.
  public mutating func register<each Argument: Decodable, Result: Encodable>(
    _ name: String, _ body: @escaping @Sendable (repeat each Argument) throws -> Result
  ) throws {
    try add(name) { state, name in
      try state.function(named: name) { call in
        var position: Int32 = 0
        let result = try body(repeat Self.argument(call, after: &position, as: (each Argument).self))
        try LuaEncoder().push(result, onto: call.stack)
        return 1
      }
    }
  }

  /// Binds read-only data as `caliper.host.<name>` (tables for structs, arrays and dictionaries).
  public mutating func provide(_ name: String, _ value: some Encodable & Sendable) throws {
    entries[try Self.checked(name, against: entries.keys.filter { $0 != name })] = .data { state in
      try LuaEncoder().encode(value, in: state)
    }
  }

  private mutating func add(_ name: String, _ make: @escaping @Sendable (LuaState, String) throws -> LuaFunction) throws
  {
    entries[try Self.checked(name, against: entries.keys.filter { $0 != name })] = .function(make)
  }

  /// The next argument decoded as `T`, with Lua's wording on a mismatch.
  private static func argument<T: Decodable>(_ call: LuaCall, after position: inout Int32, as type: T.Type) throws -> T
  {
    position += 1
    do {
      return try LuaDecoder(rootName: "argument").decode(T.self, from: call.stack, at: position)
    } catch let error as LuaError {
      throw LuaError(.conversion, "bad argument #\(position) to '\(call.functionName)' (\(error.message))")
    }
  }

  /// `name` when it is dotted identifiers and neither a prefix of another binding nor below one.
  private static func checked(_ name: String, against others: some Sequence<String>) throws -> String {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    guard !parts.isEmpty,
      parts.allSatisfy({ part in
        part.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
          && part.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
      })
    else { throw LuaError(.runtime, "host binding '\(name)': a name is identifiers joined by dots") }
    for other in others where other.hasPrefix(name + ".") || name.hasPrefix(other + ".") {
      throw LuaError(.runtime, "host binding '\(name)' would hide '\(other)' (one is inside the other)")
    }
    return name
  }

  /// Sets `root`'s fields to the bindings (nested names as nested tables, each top-level value
  /// a read-only deep copy) and clears fields no longer bound. `root` is the table behind the
  /// read-only `caliper.host` every environment of `state` sees.
  func install(into root: LuaTable, in state: LuaState) throws {
    let tree = try state.newTable()
    var namespaces: [String: LuaTable] = ["": tree]
    for name in names {
      let parts = name.split(separator: ".").map(String.init)
      var path = ""
      var table = tree
      for part in parts.dropLast() {
        let next = path.isEmpty ? part : path + "." + part
        if let existing = namespaces[next] {
          table = existing
        } else {
          let created = try state.newTable()
          try table.set(part, created)
          namespaces[next] = created
          table = created
        }
        path = next
      }
      switch entries[name]! {
      case .function(let make): try table.set(parts.last!, try make(state, name))
      case .data(let make): try table.set(parts.last!, try make(state))
      }
    }
    let fresh = try tree.pairs()
    let keep = Set(fresh.compactMap { if case .string(let key) = $0.key { key } else { nil } })
    for (key, _) in try root.pairs() {
      if case .string(let key) = key, !keep.contains(key) { try root.set(key, LuaValue.nil) }
    }
    for (key, value) in fresh {
      guard case .string(let key) = key else { continue }
      if case .table(let table) = value {
        try root.set(key, try state.readOnlyCopy(of: table, name: "caliper.host." + key))
      } else {
        try root.set(key, value)
      }
    }
  }
}
