/// How closely each QA auditor agrees with internal reference audits of the same decisions, by
/// week, with a trend test: an auditor whose agreement drifts down shows here before their
/// audits skew a vendor's scorecard. The reference of a decision is its first internal audit
/// (file order); every other audit of that decision, by any auditor not from internal QA, is
/// compared with it.
public struct AuditorAgreement: Sendable {
  /// The auditor.
  public var auditor: String
  /// Their organisation.
  public var organisation: Organisation
  /// Share of their audits whose QA label equals the internal reference (Wilson interval).
  public var agreement: Metric
  /// Per ISO week of the audit, in order.
  public var weeks: [(week: String, agreement: Metric)]
  /// The Cochran–Armitage test for a trend in agreement across those weeks (z < 0: falling);
  /// undefined with fewer than two weeks or no variation.
  public var trend: StatResult<(z: Double, p: Double)>

  /// One entry per auditor who audited a decision that internal QA also audited, sorted by id.
  public static func measure(_ audits: [QAAudit]) -> [AuditorAgreement] {
    var reference: [String: String] = [:]
    for audit in audits where audit.auditorOrganisation == .internal && reference[audit.decisionID] == nil {
      reference[audit.decisionID] = audit.qaLabel
    }
    var organisation: [String: Organisation] = [:]
    var byWeek: [String: [String: (agree: Int, total: Int)]] = [:]
    for audit in audits where audit.auditorOrganisation != .internal {
      guard let label = reference[audit.decisionID] else { continue }
      organisation[audit.auditorID] = audit.auditorOrganisation
      let week = PeriodGrain.week.label(of: audit.auditedAt)
      var cell = byWeek[audit.auditorID, default: [:]][week] ?? (0, 0)
      cell.total += 1
      if audit.qaLabel == label { cell.agree += 1 }
      byWeek[audit.auditorID, default: [:]][week] = cell
    }
    return byWeek.keys.sorted().map { auditor in
      let cells = byWeek[auditor]!.sorted { $0.key < $1.key }
      let agree = cells.reduce(0) { $0 + $1.value.agree }
      let total = cells.reduce(0) { $0 + $1.value.total }
      return AuditorAgreement(
        auditor: auditor, organisation: organisation[auditor]!,
        agreement: Metric.proportion(agree, of: total, what: "audits of internally audited decisions"),
        weeks: cells.map { ($0.key, Metric.proportion($0.value.agree, of: $0.value.total, what: "audits")) },
        trend: Trend.cochranArmitage(cells.map { (successes: $0.value.agree, trials: $0.value.total) }))
    }
  }
}

/// Tests for a trend in proportions over ordered groups.
public enum Trend {
  /// The Cochran–Armitage test with scores 0, 1, 2, … (statsmodels
  /// `Table.test_ordinal_association` on a k×2 table gives the same z). Two-sided p.
  public static func cochranArmitage(_ groups: [(successes: Int, trials: Int)]) -> StatResult<(z: Double, p: Double)> {
    let used = groups.enumerated().filter { $0.element.trials > 0 }
    guard used.count >= 2 else { return .undefined(reason: "fewer than two periods with data") }
    let total = Double(used.reduce(0) { $0 + $1.element.trials })
    let successes = Double(used.reduce(0) { $0 + $1.element.successes })
    let pooled = successes / total
    guard pooled > 0, pooled < 1 else {
      return .undefined(reason: "the proportion is \(pooled == 0 ? 0 : 1) in every period: no variation")
    }
    var statistic = 0.0
    var weighted = 0.0
    var weightedSquares = 0.0
    for (score, group) in used {
      let t = Double(score)
      let n = Double(group.trials)
      statistic += t * (Double(group.successes) - n * pooled)
      weighted += n * t
      weightedSquares += n * t * t
    }
    let variance = pooled * (1 - pooled) * (weightedSquares - weighted * weighted / total)
    guard variance > 0 else { return .undefined(reason: "no spread in period scores") }
    let z = statistic / variance.squareRoot()
    return .defined((z, 2 * SpecialFunctions.normalSurvival(abs(z))))
  }
}
