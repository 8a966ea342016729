import Foundation
import LuaKit

/// One Lua file run the one way every script is run: its text read, compiled as
/// `@<owner>/<file>` in a fresh sandbox environment whose `require` resolves inside `root`, and
/// called. Manifests, every pack script kind, pack tests and `caliper eval` all load through
/// here.
struct PackScript {
  /// The folder the file lives in and `require` resolves in (a pack's root).
  var root: URL
  /// The file, relative to `root` (`scorecards/site_weekly.lua`).
  var file: String
  /// The name errors and chunk names use: `jp/scorecards/site_weekly.lua`.
  var displayName: String
  /// Where the script's `require` looks (`nil`: no modules, as for `pack.lua`).
  var moduleRoot: URL?
  /// The chunk name Lua reports positions with (`@` and the display name).
  var chunkName: String

  /// A file of `pack`.
  init(pack: Pack, file: String) {
    self.init(root: pack.root, file: file, displayName: "\(pack.manifest.name)/\(file)")
  }

  /// A file under `root`, named `displayName` in errors.
  init(root: URL, file: String, displayName: String) {
    self.root = root
    self.file = file
    self.displayName = displayName
    moduleRoot = root
    chunkName = "@" + displayName
  }

  /// The file's text; a file that cannot be read is a ``PackError`` naming it.
  func source() throws -> String {
    do { return try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8) } catch {
      throw PackError(location: displayName, problem: "cannot read: \(error.localizedDescription)")
    }
  }

  /// Compiles `source` as this script in a new sandbox environment of `state` and calls it,
  /// returning every value it returns. Call it inside a run of `state` (its limits apply).
  func call(_ source: String, in state: LuaState) throws -> [LuaValue] {
    let environment = try state.makeEnvironment(moduleRoot: moduleRoot)
    return try state.load(source, name: chunkName, environment: environment).callReturningAll()
  }

  /// Runs the script under `limits` and hands what it returned to `read`, inside the same run
  /// (so reading may call into Lua under the same limits). Errors that are not already a
  /// ``PackError`` become one located at this script.
  func evaluate<T>(in state: LuaState, limits: RunLimits, _ read: ([LuaValue]) throws -> T) throws -> T {
    let source = try source()
    let report = state.run(limits: limits) { try read(try call(source, in: state)) }
    do { return try report.get() } catch let error as PackError { throw error } catch {
      throw PackError(location: displayName, problem: "\(error)")
    }
  }

  /// Runs a declaration script: it must return a table (`expected` says what, e.g.
  /// `caliper.scorecard{...}`).
  func declaration(in state: LuaState, limits: RunLimits, expected: String) throws -> LuaTable {
    try evaluate(in: state, limits: limits) { values in
      guard case .table(let table)? = values.first else {
        throw PackError(
          location: displayName, problem: "must return \(expected) (returned \(values.first?.typeName ?? "nothing"))")
      }
      return table
    }
  }
}
