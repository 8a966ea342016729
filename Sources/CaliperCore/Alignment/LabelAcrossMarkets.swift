/// One policy label across markets (cross-region alignment): how accurately each market's
/// moderators apply it (internal QA audits whose reference is the label), how well each
/// market's calibration raters agree with the reference on it, whether markets differ
/// (chi-squared, Benjamini–Hochberg adjusted across labels) and which markets fall below the
/// others.
public struct LabelAcrossMarkets: Sendable {
  /// One market's figures on the label.
  public struct Market: Sendable {
    /// The market.
    public var market: String
    /// Moderator accuracy on audits whose reference is the label.
    public var accuracy: Metric
    /// Calibration ratings that match the reference on items whose reference is the label.
    public var calibration: Metric
    /// Accuracy against every other market pooled (two-proportion z; undefined when either
    /// side has no audits).
    public var againstOthers: StatResult<(z: Double, p: Double)>
  }

  /// The label.
  public var label: String
  /// Markets with audits or calibration items on the label, sorted.
  public var markets: [Market]
  /// Chi-squared of correct/incorrect by market (undefined with fewer than two markets).
  public var test: StatResult<(chi2: Double, p: Double, dof: Int)>
  /// The test's p adjusted across every label's test (Benjamini–Hochberg), when defined.
  public var adjustedP: Double?

  /// Markets whose accuracy lies below the others' (z < 0, p < `alpha`) on a label whose
  /// markets differ (adjusted p < `alpha`).
  public func diverging(alpha: Double) -> [String] {
    guard let adjustedP, adjustedP < alpha else { return [] }
    return markets.filter { market in
      guard let test = market.againstOthers.value else { return false }
      return test.z < 0 && test.p < alpha
    }.map(\.market)
  }

  /// Every label with data, from market aggregates and calibration sessions.
  public static func measure(
    labels: [String], markets: [String: GroupAggregate], sessions: [CalibrationSession]
  ) -> [LabelAcrossMarkets] {
    var calibration: [String: [String: (k: Int, n: Int)]] = [:]
    for session in sessions {
      let references = session.referenceLabels
      for rating in session.ratings where rating.raterOrganisation != .policy {
        guard let reference = references[rating.itemID]?.label else { continue }
        var tally = calibration[reference, default: [:]][session.market] ?? (0, 0)
        tally.n += 1
        if rating.label == reference { tally.k += 1 }
        calibration[reference, default: [:]][session.market] = tally
      }
    }
    var results = labels.compactMap { label -> LabelAcrossMarkets? in
      var audits: [String: (k: Int, n: Int)] = [:]
      for (market, state) in markets {
        let confusion = state.qa.internalQA.confusion
        var tally = (k: 0, n: 0)
        for pair in confusion.keys where pair.truth == label {
          tally.n += confusion[pair]
          if pair.predicted == label { tally.k += confusion[pair] }
        }
        if tally.n > 0 { audits[market] = tally }
      }
      let names = Set(audits.keys).union(calibration[label]?.keys ?? [:].keys).sorted()
      guard !names.isEmpty else { return nil }
      let total = audits.values.reduce((k: 0, n: 0)) { ($0.k + $1.k, $0.n + $1.n) }
      let rows = names.map { market -> Market in
        let own = audits[market] ?? (0, 0)
        let rest = (k: total.k - own.k, n: total.n - own.n)
        let versus: StatResult<(z: Double, p: Double)> =
          own.n > 0 && rest.n > 0
          ? (try? Proportions.twoProportionZ(own.k, own.n, rest.k, rest.n)) ?? .undefined(reason: "no test")
          : .undefined(reason: "needs audits in this market and in another")
        let rated = calibration[label]?[market] ?? (0, 0)
        return Market(
          market: market, accuracy: .proportion(own.k, of: own.n, what: "audits with this reference label"),
          calibration: .proportion(rated.k, of: rated.n, what: "calibration ratings of items with this reference"),
          againstOthers: versus)
      }
      let table = names.compactMap { audits[$0] }.map { [Double($0.k), Double($0.n - $0.k)] }
      let test: StatResult<(chi2: Double, p: Double, dof: Int)> =
        table.count >= 2
        ? (try? Contingency.chiSquare(table)) ?? .undefined(reason: "no test")
        : .undefined(reason: "needs audits in two or more markets")
      return LabelAcrossMarkets(label: label, markets: rows, test: test, adjustedP: nil)
    }
    let tested = results.indices.filter { results[$0].test.value != nil }
    if let adjusted = try? MultipleTesting.benjaminiHochberg(tested.map { results[$0].test.value!.p }).adjusted {
      for (index, p) in zip(tested, adjusted) { results[index].adjustedP = p }
    }
    return results
  }
}
