import LuaKit
import Testing

@testable import CaliperScripting

/// The environments of a state share one `caliper` module, made once, each through read-only
/// views.
@Suite("caliper module shared by environments")
struct CaliperModuleSharingTests {
  @Test func sandboxedEnvironmentsCallTheSameFunctionsThroughReadOnlyTables() throws {
    let state = try LuaState()
    try CaliperModule.install(in: state)
    let first = try state.makeEnvironment()
    let second = try state.makeEnvironment()
    let source = "return require('caliper').stats.mean"
    let firstMean = try state.load(source, name: "=t", environment: first).call(returning: LuaFunction.self)
    let secondMean = try state.load(source, name: "=t", environment: second).call(returning: LuaFunction.self)
    #expect(firstMean.isSame(as: secondMean))
    #expect(try firstMean.call([1.0, 2.0, 3.0], returning: Double.self) == 2)
    for change in ["require('caliper').scorecard = nil", "require('caliper').stats.mean = nil"] {
      #expect(throws: LuaError.self) { try state.execute(change, environment: first) }
    }
    #expect(
      try state.load(source, name: "=t", environment: second).call(returning: LuaFunction.self).isSame(as: firstMean))
  }
}
