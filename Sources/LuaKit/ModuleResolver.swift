import CLua
import Foundation

/// Finds what sandboxed `require(name)` means: a cached module, a host module, or a Lua file
/// of the environment's module source. Files are read only through that source, which decides
/// what may be read.
struct ModuleResolver {
  /// Where module files come from (a pack folder), if anywhere.
  let source: (any LuaModuleSource)?

  /// Arguments from the prelude: `(env, loaded, name)`. Returns the module value.
  func require(state: LuaState, call: LuaCall) throws -> Int32 {
    let stack = call.stack
    guard let name = stack.string(at: 3) else {
      throw LuaError(.conversion, "bad argument #1 to 'require' (string expected, got \(stack.type(at: 3).name))")
    }
    try stack.reserve(4)
    stack.pushCopy(of: 3)
    stack.rawGet(table: 2)
    if stack.type(at: -1) == .lightUserdata {
      throw call.error("require: module '\(name)' is required again while it is loading (a circular require)", level: 2)
    }
    if stack.type(at: -1) != .nil { return 1 }
    stack.pop()
    try Self.validate(name, call: call)

    if let module = state.hostModules[name] {
      let table = try module(state)
      let view = try state.sandbox.map { try $0.freeze(table, name: name) } ?? table
      try view.push(onto: stack)
      try store(top: stack, name: name)
      return 1
    }
    guard let source = self.source else {
      throw call.error(
        "module '\(name)' not found: no host module of that name, and this script has no module folder", level: 2)
    }
    let (relative, text) = try locate(name, in: source, call: call)
    let env = try LuaTable.read(from: stack, at: 1)
    let chunk = try state.loadChunk(text, name: "@" + relative, environment: env)
    lua_pushlightuserdata(stack.L, nil)  // "loading" marker, to catch circular requires
    try stack.rawSet(table: 2, field: name)
    let value: LuaValue
    do { value = try chunk.call(name, returning: LuaValue.self) } catch {
      stack.pushNil()
      try stack.rawSet(table: 2, field: name)
      throw error
    }
    if case .nil = value { stack.push(true) } else { try value.push(onto: stack) }
    try store(top: stack, name: name)
    return 1
  }

  /// Caches the value on top under `name` in `loaded` (argument 2), leaving it on top.
  private func store(top stack: LuaStack, name: String) throws {
    stack.pushCopy(of: -1)
    try stack.rawSet(table: 2, field: name)
  }

  /// Module names are dotted identifiers; anything that could name a path outside is refused.
  static func validate(_ name: String, call: LuaCall) throws {
    let segments = name.split(separator: ".", omittingEmptySubsequences: false)
    let valid =
      !name.isEmpty
      && segments.allSatisfy { segment in
        guard let first = segment.unicodeScalars.first, first == "_" || first.properties.isAlphabetic && first.isASCII
        else { return false }
        return segment.unicodeScalars.allSatisfy {
          $0.isASCII && ($0 == "_" || $0 == "-" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
        }
      }
    guard valid else {
      throw call.error(
        "require: invalid module name '\(name)': use dotted names of modules inside the pack (no '..', '/' or absolute paths)",
        level: 2)
    }
  }

  /// The path and text of the file for `name` (`a.b` → `a/b.lua`, else `a/b/init.lua`), as
  /// `source` gives them; a file the source refuses is a `require` error saying why.
  private func locate(_ name: String, in source: any LuaModuleSource, call: LuaCall) throws -> (String, String) {
    let base = name.replacingOccurrences(of: ".", with: "/")
    for relative in [base + ".lua", base + "/init.lua"] {
      let text: String?
      do { text = try source.moduleText(at: relative) } catch {
        throw call.error("require: module '\(name)' is refused: \(error)", level: 2)
      }
      if let text { return (relative, text) }
    }
    throw call.error(
      "module '\(name)' not found: no host module of that name, no file \(base).lua or \(base)/init.lua in the module folder",
      level: 2)
  }
}
