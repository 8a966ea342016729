/// Every failure LuaKit reports: one type, mapped from Lua status codes and host-side checks.
///
/// A script's fault never traps the process: it arrives here. An error a Swift callback threw
/// crosses Lua as a value and comes back with its ``underlying`` original.
public struct LuaError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, by category.
  public enum Kind: Sendable, Equatable {
    /// The chunk did not compile (`LUA_ERRSYNTAX`), or it was a binary chunk.
    case syntax
    /// The script raised an error while running (`LUA_ERRRUN`).
    case runtime
    /// Lua could not allocate, usually because the state's memory cap was reached (`LUA_ERRMEM`).
    case memory
    /// A run limit stopped the script: see ``Limit``.
    case limitExceeded(Limit)
    /// A Swift callback threw an error other than a `LuaError`; the message is its description
    /// and ``LuaError/underlying`` the error itself.
    case callback
    /// A value could not be converted between Lua and Swift.
    case conversion
    /// The error handler itself failed (`LUA_ERRERR`).
    case errorHandler
    /// The state was closed before the operation.
    case closed
  }

  /// Which run limit stopped a script.
  public enum Limit: String, Sendable, Equatable {
    /// The memory cap (the allocator refused memory and the script did not recover).
    case memory
    /// The wall-clock deadline.
    case time
    /// The deterministic instruction budget.
    case instructions
    /// The surrounding Swift `Task` was cancelled.
    case cancelled
  }

  /// The category of the failure.
  public var kind: Kind
  /// The message without position prefix, as a person should read it.
  public var message: String
  /// The chunk the error arose in (for example `@scorecards/jp.lua`), when known.
  public var chunk: String?
  /// The 1-based line in `chunk`, when known.
  public var line: Int?
  /// The Lua traceback, when one was taken.
  public var traceback: String?
  /// The original error a Swift callback threw (kind ``Kind/callback``), the very value, however
  /// deep the Lua and Swift calls it crossed: `error.underlying as? MyError`.
  public var underlying: (any Error)?

  /// Creates an error.
  public init(
    _ kind: Kind, _ message: String, chunk: String? = nil, line: Int? = nil, traceback: String? = nil,
    underlying: (any Error)? = nil
  ) {
    self.kind = kind
    self.message = message
    self.chunk = chunk
    self.line = line
    self.traceback = traceback
    self.underlying = underlying
  }

  /// Equal fields, and underlying errors that are both absent or equal: by `==` when their type
  /// is `Equatable`, else by type and `String(reflecting:)`.
  public static func == (lhs: LuaError, rhs: LuaError) -> Bool {
    lhs.kind == rhs.kind && lhs.message == rhs.message && lhs.chunk == rhs.chunk && lhs.line == rhs.line
      && lhs.traceback == rhs.traceback && sameError(lhs.underlying, rhs.underlying)
  }

  private static func sameError(_ lhs: (any Error)?, _ rhs: (any Error)?) -> Bool {
    guard let lhs, let rhs else { return lhs == nil && rhs == nil }
    if let lhs = lhs as Any as? any Equatable { return lhs.isEqual(to: rhs) }
    return ObjectIdentifier(type(of: lhs)) == ObjectIdentifier(type(of: rhs))
      && String(reflecting: lhs) == String(reflecting: rhs)
  }

  /// `chunk:line: message`, the form Lua and compilers use.
  public var description: String {
    var location = ""
    if let chunk {
      location = chunk + ":"
      if let line { location += "\(line):" }
      location += " "
    }
    return location + message
  }

  /// The limit that stopped the script, if this is a limit error.
  public var limit: Limit? {
    if case .limitExceeded(let limit) = kind { return limit }
    return nil
  }
}

extension LuaError {
  /// Builds an error from a Lua message of the form `chunk:line: text`, splitting the position off.
  ///
  /// Lua prefixes runtime and syntax errors with the chunk's short source name and the line.
  static func parsing(_ kind: Kind, _ raw: String, traceback: String? = nil) -> LuaError {
    guard let (chunk, line, text) = splitPosition(raw) else {
      return LuaError(kind, raw, traceback: traceback)
    }
    return LuaError(kind, text, chunk: chunk, line: line, traceback: traceback)
  }

  /// Splits `name:12: message` into its parts; `nil` when the text carries no position.
  static func splitPosition(_ raw: String) -> (String, Int, String)? {
    // Scan for ":<digits>: " and take the first occurrence; chunk names may contain ':'.
    let scalars = Array(raw.unicodeScalars)
    var index = 0
    while index < scalars.count {
      if scalars[index] == ":" {
        var cursor = index + 1
        var digits = 0
        while cursor < scalars.count, ("0"..."9").contains(scalars[cursor]) {
          cursor += 1
          digits += 1
        }
        if digits > 0, cursor + 1 < scalars.count, scalars[cursor] == ":", scalars[cursor + 1] == " " {
          let chunk = String(String.UnicodeScalarView(scalars[0..<index]))
          let lineText = String(String.UnicodeScalarView(scalars[(index + 1)..<cursor]))
          let text = String(String.UnicodeScalarView(scalars[(cursor + 2)...]))
          if !chunk.isEmpty, let line = Int(lineText) { return (chunk, line, text) }
        }
      }
      index += 1
    }
    return nil
  }
}

extension Equatable {
  /// Whether `other` is a `Self` equal to this value.
  fileprivate func isEqual(to other: Any) -> Bool { (other as? Self) == self }
}
