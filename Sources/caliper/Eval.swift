import ArgumentParser
import CaliperScripting
import Foundation
import LuaKit

/// `caliper eval FILE.lua`: run one script in the sandbox.
struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a Lua file in the sandbox with the caliper module available.",
    discussion:
      "Exit codes: 0 success, 1 script error, 2 usage error, 3 a limit (memory, time, instructions) stopped it."
  )

  @Argument(help: "The Lua script to run.")
  var file: String

  @Option(help: "Memory cap in MB for the script.")
  var memoryLimit: Double = 512

  @Option(help: "Wall-clock limit in seconds.")
  var timeout: Double = 30

  @Option(help: "Deterministic limit on Lua VM instructions (counted in steps of 1,000).")
  var instructionLimit: Int?

  @Flag(help: "Print wall time, peak memory and instructions to stderr.")
  var stats = false

  func validate() throws {
    guard memoryLimit.isFinite, memoryLimit > 0, memoryLimit <= 1_048_576 else {
      throw ValidationError("--memory-limit must lie in (0, 1048576] MB")
    }
    guard timeout.isFinite, timeout > 0, timeout <= 86_400 else {
      throw ValidationError("--timeout must lie in (0, 86400] seconds")
    }
    if let instructionLimit, instructionLimit <= 0 {
      throw ValidationError("--instruction-limit must be positive")
    }
  }

  func run() throws {
    let evaluator = ScriptEvaluator(
      limits: RunLimits(timeout: .milliseconds(Int64(timeout * 1000)), instructions: instructionLimit),
      memoryLimit: Int(memoryLimit * 1_048_576),
      output: { text in FileHandle.standardOutput.write(Data(TerminalText.escaped(text).utf8)) }
    )
    let outcome: ScriptEvaluator.Outcome
    do {
      outcome = try evaluator.evaluate(file: URL(fileURLWithPath: file))
    } catch {
      throw ValidationError("\(error)")
    }
    if let error = outcome.error {
      var message = "\(error)\n"
      if error.limit != nil { message = "\(file): stopped: \(error.message)\n" }
      if let traceback = error.traceback { message += traceback + "\n" }
      FileHandle.standardError.write(Data(TerminalText.escaped(message).utf8))
    }
    if stats { FileHandle.standardError.write(Data("stats: \(outcome.usage)\n".utf8)) }
    if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
  }
}
