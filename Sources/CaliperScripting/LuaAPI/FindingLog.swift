import CaliperCore
import LuaKit

/// Where `caliper.finding` and the detectors of one Lua state put their findings. Each script
/// runs inside ``collect(pack:script:_:)``, which stamps its findings with the pack and script
/// that emitted them and hands them back; when the body throws they are dropped with it, so a
/// failed script leaves nothing behind and no caller rolls anything back by hand. Findings
/// emitted outside any scope (`caliper eval`) are counted and go nowhere.
final class FindingLog {
  /// The most findings one script may emit in one run: findings are held by the host, outside
  /// the Lua memory cap, so a finding in a runaway loop must stop with an error.
  static let maximumPerScript = 10_000

  private var pack = ""
  private var script = ""
  private var collected: [Finding] = []
  /// Findings emitted outside any scope.
  private(set) var unscoped = 0
  private var depth = 0

  /// Records one finding in the current scope; past ``maximumPerScript`` in one scope, an error.
  func emit(_ finding: Finding) throws {
    guard depth > 0 else {
      unscoped += 1
      return
    }
    guard collected.count < Self.maximumPerScript else {
      throw LuaError(
        .runtime,
        "more than \(Self.maximumPerScript) findings from \(pack)/\(script) in one run (a finding inside a loop?)")
    }
    var finding = finding
    finding.pack = pack
    finding.scorecard = script
    collected.append(finding)
  }

  /// Runs `body` as script `script` of `pack` and returns its result with the findings it
  /// emitted. Scopes nest: the outer scope's findings are kept apart and restored after.
  func collect<R>(pack: String, script: String, _ body: () throws -> R) rethrows -> (value: R, findings: [Finding]) {
    let outer = (self.pack, self.script, collected)
    self.pack = pack
    self.script = script
    collected = []
    depth += 1
    defer {
      depth -= 1
      (self.pack, self.script, collected) = outer
    }
    let value = try body()
    return (value, collected)
  }
}
