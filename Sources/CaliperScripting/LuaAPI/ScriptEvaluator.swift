import CaliperCore
import Foundation
import LuaKit

/// Runs one Lua file in the sandbox with the `caliper` module, as `caliper eval` does.
public struct ScriptEvaluator {
  /// Run limits and the memory cap.
  public var limits: RunLimits
  /// The memory cap in bytes, if any.
  public var memoryLimit: Int?
  /// Where `print` goes.
  public var output: @Sendable (String) -> Void
  /// The clock behind `os.time` and friends.
  public var clock: any LuaClock

  /// Creates an evaluator.
  public init(
    limits: RunLimits = RunLimits(), memoryLimit: Int? = nil, clock: any LuaClock = SystemClock(),
    output: @escaping @Sendable (String) -> Void = { print($0, terminator: "") }
  ) {
    self.limits = limits
    self.memoryLimit = memoryLimit
    self.clock = clock
    self.output = output
  }

  /// How a file's run ended.
  public struct Outcome {
    /// The error that stopped the script, if any.
    public var error: LuaError?
    /// What the run used.
    public var usage: RunUsage
    /// The process exit code `caliper eval` uses: 0 success, 1 script error, 3 limit.
    public var exitCode: Int32 {
      guard let error else { return 0 }
      return error.limit == nil ? 1 : 3
    }
  }

  /// Reads and runs `file`; `require` resolves modules next to it.
  public func evaluate(file: URL) throws -> Outcome {
    let source: String
    do { source = try String(contentsOf: file, encoding: .utf8) } catch {
      throw EvaluationError.unreadable(file.path, error.localizedDescription)
    }
    return try evaluate(
      source: source, chunkName: "@" + file.lastPathComponent, moduleRoot: file.deletingLastPathComponent())
  }

  /// Runs `source` under `chunkName`; `require` reads modules inside `moduleRoot` under the
  /// pack-file rule (docs/sandbox.md).
  public func evaluate(source: String, chunkName: String, moduleRoot: URL? = nil) throws -> Outcome {
    try evaluate(source: source, chunkName: chunkName, moduleRoot: moduleRoot, in: try makeState())
  }

  /// A state with the `caliper` module, under this evaluator's memory cap, clock and output.
  public func makeState() throws -> LuaState {
    let state = try LuaState(options: LuaOptions(memoryLimit: memoryLimit, clock: clock, output: output))
    try CaliperModule.install(in: state)
    return state
  }

  /// Runs `source` in `state` (from ``makeState()``), in a sandbox environment of its own, so
  /// that one state can run many scripts (each run's limits start afresh).
  public func evaluate(
    source: String, chunkName: String, moduleRoot: URL? = nil, in state: LuaState
  ) throws
    -> Outcome
  {
    // Modules next to the script are read under the pack-file rule, as a pack's are.
    var script = PackScript(displayName: chunkName, modules: try moduleRoot.map { try PackFolder(root: $0) })
    script.chunkName = chunkName
    let report = state.run(limits: limits) { _ = try script.call(source, in: state) }
    switch report.result {
    case .success: return Outcome(error: nil, usage: report.usage)
    case .failure(let error as LuaError): return Outcome(error: error, usage: report.usage)
    case .failure(let error): return Outcome(error: LuaError(.callback, "\(error)"), usage: report.usage)
    }
  }
}

/// Failures before a script could run.
public enum EvaluationError: Error, CustomStringConvertible {
  /// The file could not be read.
  case unreadable(String, String)

  /// A message for people.
  public var description: String {
    switch self {
    case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
    }
  }
}
