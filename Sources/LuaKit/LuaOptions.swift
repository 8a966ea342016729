import Foundation

/// How a ``LuaState`` is set up.
public struct LuaOptions: Sendable {
  /// Run scripts in the sandbox (on by default). Turn off only for fully trusted host code:
  /// then scripts see the complete standard library, `io` and `os` included.
  public var sandboxed: Bool
  /// The memory cap in bytes for everything the state allocates; `nil` for none.
  public var memoryLimit: Int?
  /// The clock behind `os.time`, `os.date` and `os.clock` in the sandbox.
  public var clock: any LuaClock
  /// Where `print` writes (each call gets one line, newline included).
  public var output: @Sendable (String) -> Void

  /// Creates options; the defaults are a sandboxed state with no memory cap printing to stdout.
  public init(
    sandboxed: Bool = true,
    memoryLimit: Int? = nil,
    clock: any LuaClock = SystemClock(),
    output: @escaping @Sendable (String) -> Void = { print($0, terminator: "") }
  ) {
    self.sandboxed = sandboxed
    self.memoryLimit = memoryLimit
    self.clock = clock
    self.output = output
  }
}

/// Limits for one run (see `LuaState.run(limits:_:)`, synchronous and `async`).
public struct RunLimits: Sendable, Equatable {
  /// The wall-clock deadline, measured from the start of the run.
  public var timeout: Duration?
  /// A deterministic budget of Lua VM instructions (counted in steps of 1,000).
  public var instructions: Int?

  /// Creates limits; `nil` means unlimited.
  public init(timeout: Duration? = nil, instructions: Int? = nil) {
    self.timeout = timeout
    self.instructions = instructions
  }
}

/// What a run used.
public struct RunUsage: Sendable, Equatable, CustomStringConvertible {
  /// Wall time from start to end of the run.
  public var wallTime: Duration
  /// The highest number of bytes the state held during the run.
  public var peakMemoryBytes: Int
  /// The Lua instructions counted, when an instruction budget was set (granularity 1,000).
  public var instructions: Int?

  /// Creates a usage record.
  public init(wallTime: Duration, peakMemoryBytes: Int, instructions: Int?) {
    self.wallTime = wallTime
    self.peakMemoryBytes = peakMemoryBytes
    self.instructions = instructions
  }

  /// A one-line summary, for `--stats`.
  public var description: String {
    let seconds = Double(wallTime.components.seconds) + Double(wallTime.components.attoseconds) / 1e18
    var text = "wall \(String(format: "%.3f", seconds * 1000)) ms, peak memory \(peakMemoryBytes) bytes"
    if let instructions { text += ", instructions \(instructions)" }
    return text
  }
}
