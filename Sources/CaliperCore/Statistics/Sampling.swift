/// Stratified audit sampling: how many items to audit per stratum, and the estimate they give.
public enum Sampling {
  /// A stratum of the population (a queue, a market, a label).
  public struct Stratum: Sendable, Equatable {
    /// Its name, for messages and results.
    public var name: String
    /// Items in the stratum (N_h).
    public var size: Int
    /// Expected error or accuracy rate, for Neyman allocation (S_h = √(p(1−p))).
    public var p: Double?
    /// Items audited (n_h), for estimation.
    public var n: Int?
    /// Items found correct (k_h), for estimation.
    public var k: Int?
    /// The least the allocation may give it.
    public var minimum: Int?

    /// Creates a stratum.
    public init(name: String, size: Int, p: Double? = nil, n: Int? = nil, k: Int? = nil, minimum: Int? = nil) {
      self.name = name
      self.size = size
      self.p = p
      self.n = n
      self.k = k
      self.minimum = minimum
    }
  }

  /// Neyman allocation of `total` audits: n_h ∝ N_h·S_h with S_h = √(p_h(1−p_h)), each stratum
  /// given at least its `minimum` and at most its size, rounded by largest remainders so the
  /// allocations sum to `total` exactly. When every S_h is 0 it falls back to proportional
  /// allocation.
  public static func neymanAllocation(_ strata: [Stratum], total: Int) throws -> [Int] {
    let function = "neyman_allocation"
    guard !strata.isEmpty else { throw StatisticsError(function, "strata", "must not be empty") }
    guard strata.count <= StatisticsBounds.maximumStrata else {
      throw StatisticsError(
        function, "strata", "has \(strata.count) strata; at most \(StatisticsBounds.maximumStrata) are allowed")
    }
    for stratum in strata {
      guard stratum.size > 0 else {
        throw StatisticsError(function, "strata", "'\(stratum.name)' needs a positive size (got \(stratum.size))")
      }
      try Check.count(stratum.size, "strata", in: function)
      guard let p = stratum.p, p >= 0, p <= 1 else {
        throw StatisticsError(function, "strata", "'\(stratum.name)' needs p in [0, 1]")
      }
      if let minimum = stratum.minimum, minimum < 0 || minimum > stratum.size {
        throw StatisticsError(function, "strata", "'\(stratum.name)' has min \(minimum) outside 0...size")
      }
    }
    // Each size is at most 2^53 and there are at most 10,000 strata: the sum cannot overflow.
    let capacity = strata.reduce(0) { $0 + $1.size }
    guard total >= 0, total <= capacity else {
      throw StatisticsError(function, "n", "must lie in 0...\(capacity), the population (got \(total))")
    }
    let minimums = strata.map { $0.minimum ?? 0 }
    guard minimums.reduce(0, +) <= total else {
      throw StatisticsError(function, "n", "is smaller than the strata minimums add up to (\(minimums.reduce(0, +)))")
    }
    var weights = strata.map { Double($0.size) * (($0.p ?? 0) * (1 - ($0.p ?? 0))).squareRoot() }
    if weights.allSatisfy({ $0 == 0 }) { weights = strata.map { Double($0.size) } }
    // Fix strata at their minimum or size until the proportional share of the rest fits.
    var fixed = [Double?](repeating: nil, count: strata.count)
    while true {
      let remaining = Double(total) - fixed.compactMap { $0 }.reduce(0, +)
      let free = strata.indices.filter { fixed[$0] == nil }
      let weightSum = free.reduce(0.0) { $0 + weights[$1] }
      var changed = false
      for i in free {
        let share = weightSum > 0 ? remaining * weights[i] / weightSum : remaining / Double(free.count)
        if share < Double(minimums[i]) {
          fixed[i] = Double(minimums[i])
          changed = true
        } else if share > Double(strata[i].size) {
          fixed[i] = Double(strata[i].size)
          changed = true
        }
      }
      if !changed {
        for i in free { fixed[i] = weightSum > 0 ? remaining * weights[i] / weightSum : remaining / Double(free.count) }
        break
      }
    }
    let ideal = fixed.map { $0 ?? 0 }
    var allocation = ideal.map { Int($0.rounded(.down)) }
    var shortfall = total - allocation.reduce(0, +)
    let order = ideal.indices.sorted { (ideal[$0] - ideal[$0].rounded(.down)) > (ideal[$1] - ideal[$1].rounded(.down)) }
    for i in order where shortfall > 0 && allocation[i] < strata[i].size {
      allocation[i] += 1
      shortfall -= 1
    }
    return allocation
  }

  /// The stratified estimate of a proportion: p = Σ W_h p̂_h with W_h = N_h/N, and its standard
  /// error √(Σ W_h² (1 − n_h/N_h) p̂_h(1−p̂_h)/(n_h − 1)) with the finite population correction.
  /// Undefined when a stratum has fewer than two audited items.
  public static func stratifiedEstimate(_ strata: [Stratum]) throws -> StatResult<(p: Double, se: Double)> {
    let function = "stratified_estimate"
    guard !strata.isEmpty else { throw StatisticsError(function, "strata", "must not be empty") }
    var population = 0.0
    for stratum in strata {
      guard let n = stratum.n, let k = stratum.k, stratum.size > 0, n >= 0, k >= 0, k <= n, n <= stratum.size else {
        throw StatisticsError(
          function, "strata", "'\(stratum.name)' needs size > 0 and 0 <= k <= n <= size (size, n and k)")
      }
      population += Double(stratum.size)
    }
    if let thin = strata.first(where: { $0.n! < 2 }) {
      return .undefined(reason: "stratum '\(thin.name)' has fewer than two audited items: its variance is undefined")
    }
    var estimate = 0.0
    var variance = 0.0
    for stratum in strata {
      let weight = Double(stratum.size) / population
      let n = Double(stratum.n!)
      let rate = Double(stratum.k!) / n
      estimate += weight * rate
      variance += weight * weight * (1 - n / Double(stratum.size)) * rate * (1 - rate) / (n - 1)
    }
    return .defined((estimate, variance.squareRoot()))
  }
}
