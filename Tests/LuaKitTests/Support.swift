import Foundation
import Synchronization

@testable import LuaKit

/// Collects what scripts print, across the sendable output closure.
final class OutputCollector: Sendable {
  private let lines = Mutex<String>("")
  var text: String { lines.withLock { $0 } }
  var sink: @Sendable (String) -> Void { { [self] text in lines.withLock { $0 += text } } }
}

/// A sandboxed state printing into `output`.
func makeState(
  memoryLimit: Int? = nil, output: OutputCollector = OutputCollector(),
  clock: any LuaClock = FixedClock(instant: 1_782_000_000)
) throws -> LuaState {
  try LuaState(options: LuaOptions(memoryLimit: memoryLimit, clock: clock, output: output.sink))
}

extension LuaState {
  /// Runs `source` and returns its first result.
  func evaluate<T: LuaReadable>(_ source: String, as type: T.Type = T.self) throws -> T {
    try load(source, name: "=test").call(returning: T.self)
  }
}
