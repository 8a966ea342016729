/// A Swift type that declares its own Lua face (read-only fields and methods) next to itself,
/// as mlua's `impl UserData` does, so the type and what scripts see of it stay in one place.
///
/// ```swift
/// struct Tally: LuaUserdataType {
///   var count: Int
///   static let luaTypeName = "Tally"
///   static func declareLuaFace(_ face: inout LuaTypeRegistration<Tally>) {
///     face.field("count") { $0.count }
///   }
/// }
/// try state.register(Tally.self)
/// ```
public protocol LuaUserdataType {
  /// The name Lua errors and `tostring` use for its values.
  static var luaTypeName: String { get }
  /// Declares the fields and methods scripts can use.
  static func declareLuaFace(_ face: inout LuaTypeRegistration<Self>)
}

extension LuaState {
  /// Registers `type`'s declared face, so its values can be pushed as userdata (once per state).
  public func register<Object: LuaUserdataType>(_ type: Object.Type) throws {
    try registerType(type, name: Object.luaTypeName) { Object.declareLuaFace(&$0) }
  }
}
