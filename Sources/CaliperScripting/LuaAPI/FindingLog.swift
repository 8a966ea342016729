import CaliperCore

/// Where `caliper.finding` and the detectors of one Lua state put their findings. Each script
/// runs inside ``collect(pack:script:_:)``, which stamps its findings with the pack and script
/// that emitted them and hands them back; when the body throws they are dropped with it, so a
/// failed script leaves nothing behind and no caller rolls anything back by hand. Findings
/// emitted outside any scope (`caliper eval`) are counted and go nowhere.
final class FindingLog {
  private var pack = ""
  private var script = ""
  private var collected: [Finding] = []
  /// Findings emitted outside any scope.
  private(set) var unscoped = 0
  private var depth = 0

  /// Records one finding in the current scope.
  func emit(_ finding: Finding) {
    guard depth > 0 else {
      unscoped += 1
      return
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
