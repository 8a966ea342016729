/// Red-team results (`redteam.csv`): how often each model version labels adversarial cases
/// correctly per technique and market, and where a newer version does worse than the one
/// before it.
public struct RedTeamResults: Sendable {
  /// One technique × market × model version.
  public struct Cell: Sendable, Equatable {
    /// The evasion technique.
    public var technique: String
    /// The market.
    public var market: String
    /// The model version.
    public var model: String
    /// Share of cases the model labelled as expected (Wilson interval).
    public var caught: Metric
  }

  /// A newer model version against the version before it, on one technique (in one market, or
  /// in all markets together when `market` is `nil`).
  public struct Comparison: Sendable, Equatable {
    /// The technique.
    public var technique: String
    /// The market, or `nil` for every market pooled.
    public var market: String?
    /// The earlier version.
    public var before: String
    /// The later version.
    public var after: String
    /// Catch rate of the earlier version.
    public var caughtBefore: Metric
    /// Catch rate of the later version.
    public var caughtAfter: Metric
    /// Two-proportion z (before − after: positive when the later version is worse).
    public var z: Double?
    /// Two-sided p-value.
    public var p: Double?
    /// Benjamini–Hochberg adjusted p across every comparison of the run.
    public var adjustedP: Double?
    /// Why the test is undefined.
    public var reason: String?
    /// Whether the later version is significantly worse (adjusted p ≤ 0.05, z > 0).
    public var regressed: Bool
  }

  /// Every cell, by technique, market and model.
  public var cells: [Cell]
  /// Every consecutive pair of model versions (versions ordered by name), by technique and
  /// market, then pooled over markets.
  public var comparisons: [Comparison]

  /// Measures `cases`.
  public init(_ cases: [RedTeamCase]) {
    struct Key: Hashable, Comparable {
      var technique: String
      var market: String?
      var model: String
      static func < (lhs: Key, rhs: Key) -> Bool {
        (lhs.technique, lhs.market ?? "", lhs.model) < (rhs.technique, rhs.market ?? "", rhs.model)
      }
    }
    var tallies: [Key: (caught: Int, total: Int)] = [:]
    for item in cases {
      for market in [item.market, nil] as [String?] {
        let key = Key(technique: item.technique, market: market, model: item.modelVersion)
        var tally = tallies[key] ?? (0, 0)
        tally.total += 1
        if item.caught { tally.caught += 1 }
        tallies[key] = tally
      }
    }
    let metric = { (tally: (caught: Int, total: Int)) in Metric.proportion(tally.caught, of: tally.total, what: "cases")
    }
    cells = tallies.keys.filter { $0.market != nil }.sorted().map {
      Cell(technique: $0.technique, market: $0.market!, model: $0.model, caught: metric(tallies[$0]!))
    }
    let models = Set(cases.map(\.modelVersion)).sorted()
    var comparisons: [Comparison] = []
    let scopes = Set(tallies.keys.map { Key(technique: $0.technique, market: $0.market, model: "") }).sorted()
    for scope in scopes {
      let present = models.filter {
        tallies[Key(technique: scope.technique, market: scope.market, model: $0)] != nil
      }
      for (before, after) in zip(present, present.dropFirst()) {
        let first = tallies[Key(technique: scope.technique, market: scope.market, model: before)]!
        let second = tallies[Key(technique: scope.technique, market: scope.market, model: after)]!
        let test =
          (try? Proportions.twoProportionZ(first.caught, first.total, second.caught, second.total))
          ?? .undefined(reason: "no test")
        comparisons.append(
          Comparison(
            technique: scope.technique, market: scope.market, before: before, after: after,
            caughtBefore: metric(first), caughtAfter: metric(second), z: test.value?.z, p: test.value?.p,
            adjustedP: nil, reason: test.reason, regressed: false))
      }
    }
    let tested = comparisons.indices.filter { comparisons[$0].p != nil }
    if let adjusted = try? MultipleTesting.benjaminiHochberg(tested.map { comparisons[$0].p! }).adjusted {
      for (index, value) in zip(tested, adjusted) {
        comparisons[index].adjustedP = value
        comparisons[index].regressed = value <= 0.05 && (comparisons[index].z ?? 0) > 0
      }
    }
    self.comparisons = comparisons
  }
}
