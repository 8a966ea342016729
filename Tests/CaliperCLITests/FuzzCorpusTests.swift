import Foundation
import Testing

@testable import caliper_fuzz

/// Every committed fuzz input (`Fuzz/corpus/<target>/`, the seeds and the inputs that once
/// failed) through its target, as `.ci/fuzz` runs them: a violated property traps, so this test
/// fails by crashing the test run, loudly.
@Suite("Fuzz corpus replay")
struct FuzzCorpusTests {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

  @Test(arguments: FuzzTargets.names)
  func everyCommittedInputHoldsItsProperty(target name: String) throws {
    var target = try #require(try FuzzTargets.make(name))
    let files = try Replay.files(at: Self.corpus.appendingPathComponent(name))
    #expect(files.count >= 2, "a target's corpus holds its seeds")
    // The example packs' scripts seed the chunk target in place (as .ci/fuzz passes them).
    let packs = Self.corpus.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
      "Examples/packs/apac-base")
    let examples =
      name == "chunk"
      ? try Replay.files(at: packs.appendingPathComponent("scorecards"))
        + Replay.files(at: packs.appendingPathComponent("alignment")) : []
    defer { target.finish() }
    for file in files + examples { target.run(try Data(contentsOf: file)) }
  }

  @Test func theCodableTargetNoticesAValueThatComesBackChanged() {
    // The property the target checks is real: two nodes made from different bytes differ.
    var first = ByteCursor([1, 65, 66, 0, 0, 0, 0, 0, 0, 0, 7])
    var second = ByteCursor([1, 65, 67, 0, 0, 0, 0, 0, 0, 0, 7])
    #expect(CodableBridgeTarget.Node.make(&first, depth: 0) != CodableBridgeTarget.Node.make(&second, depth: 0))
  }
}
