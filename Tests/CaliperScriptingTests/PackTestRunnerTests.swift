import Foundation
import Testing

@testable import CaliperScripting

@Suite("Pack tests")
struct PackTestRunnerTests {
  @Test func theExamplePacksOwnTestsPass() throws {
    let results = try PackTestRunner().run(try Pack(root: ExamplePaths.pack("apac-base")))
    #expect(results.count == 5)
    #expect(results.allSatisfy { $0.failure == nil }, "\(results.filter { $0.failure != nil })")
    #expect(results.contains { $0.name == "apac-base/tests/site_weekly_test.lua: weights_sum_to_one" })
  }

  @Test func failuresNameFileLineAndCase() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-packtest-\(UUID().uuidString)/t")
    defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("tests"), withIntermediateDirectories: true)
    try "return { name = 't', version = '1', caliper = 1 }".write(
      to: root.appendingPathComponent("pack.lua"), atomically: true, encoding: .utf8)
    try """
    return {
      passes = function() assert(1 + 1 == 2) end,
      fails = function()
        assert(1 + 1 == 3, "arithmetic")
      end,
    }
    """.write(to: root.appendingPathComponent("tests/math_test.lua"), atomically: true, encoding: .utf8)
    try "error('broken at load')".write(
      to: root.appendingPathComponent("tests/load_test.lua"), atomically: true, encoding: .utf8)
    var runner = PackTestRunner()
    runner.limits = .init(timeout: .seconds(5))
    let results = try runner.run(try Pack(root: root))
    #expect(
      results.map(\.name) == ["t/tests/load_test.lua", "t/tests/math_test.lua: fails", "t/tests/math_test.lua: passes"])
    #expect(results[0].failure?.contains("t/tests/load_test.lua:1: broken at load") == true)
    #expect(results[1].failure?.contains("t/tests/math_test.lua:4: arithmetic") == true)
    #expect(results[2].failure == nil)
  }
}
