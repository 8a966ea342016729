/// One finding per problem: a hook a market pack inherits from its base runs in the base's
/// scorecard and again in the market's, and both can raise the same finding. Findings with the
/// same scorecard, originating pack, detector, subject, KPI and period merge into one, which
/// keeps the most urgent severity and the originating pack's own run as its text, and lists
/// the other runs in `also` (with their messages and evidence: nothing is dropped). A finding
/// from a pack's own hook has no origin of another pack and never merges with another pack's.
public enum FindingMerge {
  private struct Key: Hashable {
    let scorecard: String
    let origin: String
    let detector: String
    let subject: String
    let kpi: String?
    let period: String?
  }

  /// The findings with duplicates from inherited hooks merged, in their first occurrence's order.
  public static func merged(_ findings: [Finding]) -> [Finding] {
    var order: [Key] = []
    var groups: [Key: [Finding]] = [:]
    var result: [Finding] = []
    var positions: [Key: Int] = [:]
    for finding in findings {
      let key = Key(
        scorecard: finding.scorecard, origin: finding.origin ?? finding.pack, detector: finding.detector,
        subject: finding.subject, kpi: finding.kpi, period: finding.period)
      if groups[key] == nil {
        order.append(key)
        positions[key] = result.count
        result.append(finding)
      }
      groups[key, default: []].append(finding)
    }
    for key in order where groups[key]!.count > 1 {
      let runs = groups[key]!
      // The originating pack's own run leads; otherwise the first.
      let lead = runs.firstIndex { $0.pack == key.origin } ?? 0
      var merged = runs[lead]
      merged.severity = runs.map(\.severity).min()!
      merged.also = runs.indices.filter { $0 != lead }.map { index in
        let run = runs[index]
        return FindingSource(
          pack: run.pack, scorecard: run.scorecard, severity: run.severity, message: run.message,
          evidence: run.evidence)
      }
      result[positions[key]!] = merged
    }
    return result
  }
}
