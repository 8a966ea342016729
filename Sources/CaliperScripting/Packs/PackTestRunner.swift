import CaliperCore
import Foundation
import LuaKit

/// Runs a pack's own tests, `tests/*_test.lua`: each file in a fresh sandboxed state with the
/// `caliper` module, `require` resolving inside the pack (so tests can load `lib/` helpers and
/// the scorecard declarations themselves). A file passes when it runs without error; if it
/// returns a table, each function in it is a test case, run in name order.
public struct PackTestRunner {
  /// One test case's outcome.
  public struct CaseResult: Sendable, Equatable {
    /// `pack/tests/file_test.lua` and, for table-returning files, the case name.
    public var name: String
    /// The error, when it failed.
    public var failure: String?
  }

  /// Limits per test file.
  public var limits = RunLimits(timeout: .seconds(30))

  /// Creates a runner.
  public init() {}

  /// Runs every test file of `pack`.
  public func run(_ pack: Pack) throws -> [CaseResult] {
    var results: [CaseResult] = []
    for file in try pack.folder.luaFiles(in: "tests") where file.hasSuffix("_test.lua") {
      let script = PackScript(pack: pack, file: file)
      let name = script.displayName
      let source = try script.source()
      let state = try LuaState(
        options: LuaOptions(
          memoryLimit: 256 << 20, clock: FixedClock(instant: 0),
          output: { FileHandle.standardError.write(Data($0.utf8)) }))
      try CaliperModule.install(in: state)
      let report = state.run(limits: limits) { () throws -> [CaseResult] in
        let values = try script.call(source, in: state)
        guard case .table(let cases)? = values.first else { return [CaseResult(name: name, failure: nil)] }
        var caseResults: [CaseResult] = []
        let functions = try cases.pairs().compactMap { pair -> (String, LuaFunction)? in
          guard case .string(let caseName) = pair.key, case .function(let body) = pair.value else { return nil }
          return (caseName, body)
        }.sorted { $0.0 < $1.0 }
        for (caseName, body) in functions {
          do {
            _ = try body.callReturningAll()
            caseResults.append(CaseResult(name: "\(name): \(caseName)", failure: nil))
          } catch let error as LuaError where error.limit == nil {
            caseResults.append(CaseResult(name: "\(name): \(caseName)", failure: "\(error)"))
          }
        }
        return caseResults
      }
      switch report.result {
      case .success(let caseResults): results += caseResults
      case .failure(let error): results.append(CaseResult(name: name, failure: "\(error)"))
      }
    }
    return results
  }
}
