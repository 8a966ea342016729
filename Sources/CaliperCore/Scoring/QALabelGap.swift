/// Vendor QA against internal QA on one decision label: of the decisions moderators gave the
/// label, the share each QA team passed. A label where vendor QA passes far more than internal
/// QA is one where vendor QA lets through errors internal QA catches.
public struct QALabelGap: Sendable {
  /// The moderators' label.
  public var label: String
  /// Vendor QA audits of decisions with the label that found them correct.
  public var vendorPass: Metric
  /// Internal QA audits of decisions with the label that found them correct.
  public var internalPass: Metric
  /// Vendor pass rate minus internal pass rate, when both are defined.
  public var gap: Double?
  /// Two-proportion z of vendor against internal (undefined when either has no audits).
  public var test: StatResult<(z: Double, p: Double)>
}

extension GroupAggregate {
  /// ``QALabelGap`` for every label either QA team audited, largest gap first (undefined gaps
  /// last, by label). Unpaired: each team's audits of the label's decisions, so it reaches
  /// labels too rare to be audited twice.
  public var qaLabelGaps: [QALabelGap] {
    func passes(_ tally: QATally<String>) -> [String: (k: Int, n: Int)] {
      var byLabel: [String: (k: Int, n: Int)] = [:]
      for pair in tally.confusion.keys {
        let count = tally.confusion[pair]
        var cell = byLabel[pair.predicted] ?? (0, 0)
        cell.n += count
        if pair.truth == pair.predicted { cell.k += count }
        byLabel[pair.predicted] = cell
      }
      return byLabel
    }
    let vendor = passes(qa.vendorQA)
    let internalQA = passes(qa.internalQA)
    let gaps = Set(vendor.keys).union(internalQA.keys).sorted().map { label -> QALabelGap in
      let v = vendor[label] ?? (0, 0)
      let i = internalQA[label] ?? (0, 0)
      let vendorPass = Metric.proportion(v.k, of: v.n, what: "vendor audits of decisions with this label")
      let internalPass = Metric.proportion(i.k, of: i.n, what: "internal audits of decisions with this label")
      let test: StatResult<(z: Double, p: Double)> =
        v.n > 0 && i.n > 0
        ? (try? Proportions.twoProportionZ(v.k, v.n, i.k, i.n)) ?? .undefined(reason: "no test")
        : .undefined(reason: "needs audits by both vendor and internal QA")
      let gap = vendorPass.value.flatMap { vendor in internalPass.value.map { vendor - $0 } }
      return QALabelGap(label: label, vendorPass: vendorPass, internalPass: internalPass, gap: gap, test: test)
    }
    return gaps.sorted { ($0.gap ?? -.infinity, $1.label) > ($1.gap ?? -.infinity, $0.label) }
  }
}
