/// The built-in measures of a group, derived from its counts (every definition here is the one
/// `docs/lua-api.md` documents for scripts).
extension GroupState where Key == String {
  /// Decisions within their queue's SLA, of those whose queue is known.
  public var slaWithinRate: Metric { .proportion(sla.within, of: sla.measured, what: "decisions with a known SLA") }

  /// Mean handle time in seconds.
  public var handleMean: Metric {
    decisions > 0
      ? Metric(value: Double(handle.millisTotal) / Double(decisions) / 1_000, n: decisions)
      : Metric(undefined: "no decisions (n = 0)", n: 0)
  }

  /// A handle-time quantile in seconds (within 1%).
  public func handleQuantile(_ q: Double) -> Metric {
    guard let millis = handle.sketch.quantile(q) else { return Metric(undefined: "no decisions (n = 0)", n: 0) }
    return Metric(value: millis / 1_000, n: handle.sketch.count)
  }

  /// Golden-set (honeypot) accuracy.
  public var goldenAccuracy: Metric { .proportion(golden.correct, of: golden.seen, what: "golden items decided") }

  /// Vendor-QA and internal-QA accuracy on the decisions both audited, and McNemar's exact p
  /// for their difference.
  public var qaGap: (vendorAccuracy: Metric, internalAccuracy: Metric, pValue: Double?) {
    let paired = qa.paired
    let pairs = paired.pairs
    let vendor = Metric.proportion(paired.bothCorrect + paired.onlyVendorCorrect, of: pairs, what: "paired audits")
    let internalAccuracy = Metric.proportion(
      paired.bothCorrect + paired.onlyInternalCorrect, of: pairs, what: "paired audits")
    let p = (try? Proportions.mcnemar(paired.onlyVendorCorrect, paired.onlyInternalCorrect, exact: true))?.value
    return (vendor, internalAccuracy, pairs > 0 ? p : nil)
  }
}

extension QATally where Key == String {
  /// Audits that found the decision correct.
  public var accuracy: Metric { .proportion(correct, of: audited, what: "audits") }
  /// Audits the vendor disputed.
  public var disputeRate: Metric { .proportion(disputed, of: audited, what: "audits") }
  /// Disputes settled for the moderator.
  public var overturnRate: Metric { .proportion(overturned, of: disputed, what: "disputes") }

  /// Wrong decisions, optionally only of one severity and/or one QA label (the label the item
  /// should have had). Both together need the policy book, which knows each label's severity.
  public func errors(severity: Severity? = nil, label: String? = nil, policy: PolicyBook? = nil) -> Int {
    switch (severity, label) {
    case (nil, nil): audited - correct
    case (let severity?, nil): errorsBySeverity[severity]
    case (nil, let label?): errorsByLabel[label]
    case (let severity?, let label?):
      confusion.values.reduce(0) { total, cell in
        let pair = cell.key
        guard pair.truth == label, pair.predicted != label,
          policy?.errorSeverity(pair.truth, pair.predicted) == severity
        else { return total }
        return total + cell.value
      }
    }
  }

  /// Of the audits whose QA label is `label`, how many decisions had it (the moderators' recall).
  public func recall(_ label: String) -> Metric {
    ConfusionCounts(confusion).recall(label)
  }
}
