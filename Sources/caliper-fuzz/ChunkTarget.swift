import CaliperScripting
import Foundation
import LuaKit

/// Any text as a script in the sandbox with the `caliper` module, as `caliper eval` runs it,
/// under a 16 MB cap, 100,000 instructions and 2 s: it ends with a result, a Lua error or a
/// limit, never a trap, whatever the text does.
struct ChunkTarget: FuzzTarget {
  let evaluator = ScriptEvaluator(
    limits: RunLimits(timeout: .seconds(2), instructions: 100_000), memoryLimit: 16 << 20, output: { _ in })

  /// One state for many inputs (making one per input ran 36 inputs a second), replaced every
  /// 500 inputs and after any limit, so that no input can leave it worse for the next.
  var state: LuaState?
  var runs = 0

  mutating func run(_ input: Data) {
    do {
      if state == nil || runs % 500 == 0 { state = try evaluator.makeState() }
      runs += 1
      let outcome = try evaluator.evaluate(
        source: String(decoding: input, as: UTF8.self), chunkName: "=fuzz", in: state!)
      if outcome.error?.limit != nil { state = nil }
      let depth = try state?.stackDepth ?? 0
      guard depth == 0 else { fatalError("a script left \(depth) values on the state's stack") }
    } catch {
      // The state could not be made (out of memory): not the script's doing, but not a trap.
      state = nil
    }
  }
}
