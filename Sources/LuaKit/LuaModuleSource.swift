/// Where sandboxed `require` finds the text of Lua modules that are not host modules. The host
/// decides which files exist and which may be read: LuaKit itself never opens a file, so the
/// host's rules (Caliper's: a pack reads only its own regular files) apply to modules too.
public protocol LuaModuleSource: Sendable {
  /// The text of the module file at `path`, or `nil` when there is no such file. `path` is
  /// relative and `/`-separated, made only of the segments of a valid module name
  /// (`lib/targets.lua`, `lib/init.lua`). Throw when the file exists but may not or cannot be
  /// read: the error's description becomes the `require` error.
  func moduleText(at path: String) throws -> String?
}
