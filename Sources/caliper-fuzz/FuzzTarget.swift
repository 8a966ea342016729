import Foundation

/// One fuzz target: a property that must hold for every input. A violated property traps
/// (`fatalError`), so libFuzzer keeps the input as a crash; an input the code rejects with an
/// error is fine.
protocol FuzzTarget {
  /// Checks the property on one input.
  mutating func run(_ input: Data)

  /// Removes what the target made to run (called after the last input of a replay).
  func finish()
}

extension FuzzTarget {
  /// Nothing to remove.
  func finish() {}
}

/// The targets by name (`CALIPER_FUZZ_TARGET`, or the replay command's first argument).
enum FuzzTargets {
  /// Every target's name.
  static let names = ["csv", "decisions", "chunk", "codable"]

  /// A fresh target named `name`, or `nil` for an unknown name.
  static func make(_ name: String) throws -> (any FuzzTarget)? {
    switch name {
    case "csv": CSVReaderTarget()
    case "decisions": try DecisionsDifferentialTarget()
    case "chunk": ChunkTarget()
    case "codable": CodableBridgeTarget()
    default: nil
    }
  }
}
