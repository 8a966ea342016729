import Foundation
import LuaKit

/// One Lua file run the one way every script is run: its text read through its pack's
/// ``PackFolder`` (under the pack-file rule), compiled as `@<owner>/<file>` in a fresh sandbox
/// environment whose `require` reads modules through the same folder, and called. Manifests,
/// every pack script kind, pack tests and `caliper eval` all load through here.
struct PackScript {
  /// The folder the file is read from (`nil` for text given directly, as `caliper eval` does).
  var folder: PackFolder?
  /// The file, relative to the folder (`scorecards/site_weekly.lua`).
  var file: String
  /// The name errors and chunk names use: `jp/scorecards/site_weekly.lua`.
  var displayName: String
  /// Where the script's `require` reads modules (`nil`: none, as for `pack.lua`).
  var modules: (any LuaModuleSource)?
  /// The chunk name Lua reports positions with (`@` and the display name).
  var chunkName: String

  /// A file of `pack`.
  init(pack: Pack, file: String) {
    self.init(folder: pack.folder, file: file, displayName: "\(pack.manifest.name)/\(file)")
  }

  /// A file of `folder`, named `displayName` in errors; `require` reads from the same folder.
  init(folder: PackFolder, file: String, displayName: String) {
    self.init(displayName: displayName, modules: folder)
    self.folder = folder
    self.file = file
  }

  /// Text given directly (no file to read), named `displayName`, with modules from `modules`.
  init(displayName: String, modules: (any LuaModuleSource)?) {
    folder = nil
    file = ""
    self.displayName = displayName
    self.modules = modules
    chunkName = "@" + displayName
  }

  /// The file's text, read under the pack-file rule; a file that is refused or cannot be read
  /// is a ``PackError`` naming the pack, the file and why.
  func source() throws -> String {
    guard let folder else { throw PackError(location: displayName, problem: "has no file to read") }
    return try folder.text(at: file)
  }

  /// Compiles `source` as this script in a new sandbox environment of `state` and calls it,
  /// returning every value it returns. Call it inside a run of `state` (its limits apply).
  func call(_ source: String, in state: LuaState) throws -> [LuaValue] {
    let environment = try state.makeEnvironment(modules: modules)
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
