import Foundation
import LuaKit
import Synchronization
import Testing

@testable import CaliperScripting

final class Printed: Sendable {
  private let storage = Mutex<String>("")
  var text: String { storage.withLock { $0 } }
  var sink: @Sendable (String) -> Void { { [self] text in storage.withLock { $0 += text } } }
}

/// Runs `source` in a fresh sandbox with a fixed clock; returns the outcome and what it printed.
func evaluateScript(
  _ source: String, chunkName: String, limits: RunLimits = RunLimits(timeout: .seconds(20))
)
  throws -> (ScriptEvaluator.Outcome, String)
{
  let printed = Printed()
  let evaluator = ScriptEvaluator(limits: limits, clock: FixedClock(instant: 0), output: printed.sink)
  return (try evaluator.evaluate(source: source, chunkName: chunkName), printed.text)
}

@Suite("caliper eval")
struct ScriptEvaluatorTests {
  func evaluate(
    _ source: String, limits: RunLimits = RunLimits(timeout: .seconds(5)), memory: Int? = 64 << 20
  )
    throws -> (ScriptEvaluator.Outcome, String)
  {
    let printed = Printed()
    let evaluator = ScriptEvaluator(
      limits: limits, memoryLimit: memory, clock: FixedClock(instant: 0), output: printed.sink)
    let outcome = try evaluator.evaluate(source: source, chunkName: "@script.lua")
    return (outcome, printed.text)
  }

  @Test func successPrintsAndExitsZero() throws {
    let (outcome, text) = try evaluate("local c = require 'caliper'; print(c.version, c.api_version)")
    #expect(outcome.exitCode == 0)
    #expect(text == "0.1.0\t1\n")
  }

  @Test func scriptErrorExitsOneWithPosition() throws {
    let (outcome, _) = try evaluate("local x = 1\nerror('boom')")
    #expect(outcome.exitCode == 1)
    #expect(outcome.error?.description == "script.lua:2: boom")
    #expect(outcome.error?.traceback?.contains("script.lua:2: in main chunk") == true)
  }

  @Test func limitsExitThree() throws {
    let (time, _) = try evaluate("while true do end", limits: RunLimits(timeout: .milliseconds(200)))
    #expect(time.exitCode == 3)
    #expect(time.error?.limit == .time)
    let (instructions, _) = try evaluate("while true do end", limits: RunLimits(instructions: 50_000))
    #expect(instructions.exitCode == 3)
    #expect(instructions.error?.limit == .instructions)
    #expect(instructions.usage.instructions == 50_000)
    let (memory, _) = try evaluate("local t = {} for i = 1, 1e9 do t[i] = i end", memory: 8 << 20)
    #expect(memory.exitCode == 3)
    #expect(memory.error?.limit == .memory)
  }

  @Test func caliperModuleIsReadOnly() throws {
    let (outcome, _) = try evaluate("local c = require 'caliper'; c.version = 'x'")
    #expect(outcome.exitCode == 1)
    #expect(outcome.error?.message.contains("read-only table 'caliper'") == true)
  }

  @Test func unreadableFileIsReported() throws {
    let evaluator = ScriptEvaluator()
    #expect(throws: EvaluationError.self) {
      try evaluator.evaluate(file: URL(fileURLWithPath: "/nonexistent/caliper/x.lua"))
    }
  }
}
