import Foundation

/// Intervals, sample sizes and tests for proportions (QA accuracy, golden-set hit rates, SLA).
public enum Proportions {
  /// The Wilson score interval for `k` successes in `n` trials (statsmodels `proportion_confint`,
  /// method `wilson`). Undefined for n = 0.
  public static func wilson(
    successes k: Int, trials n: Int, confidence: Double = 0.95
  ) throws
    -> StatResult<ClosedRange<Double>>
  {
    try checkCounts(k, n, confidence, in: "wilson")
    guard n > 0 else { return .undefined(reason: "no trials (n = 0)") }
    let z = SpecialFunctions.normalQuantile(1 - (1 - confidence) / 2)
    let nn = Double(n)
    let p = Double(k) / nn
    let z2 = z * z
    let denominator = 1 + z2 / nn
    let center = (p + z2 / (2 * nn)) / denominator
    let half = z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot() / denominator
    return .defined(max(0, center - half)...min(1, center + half))
  }

  /// The exact Clopper–Pearson interval (statsmodels method `beta`). Undefined for n = 0.
  public static func clopperPearson(
    successes k: Int, trials n: Int, confidence: Double = 0.95
  ) throws
    -> StatResult<ClosedRange<Double>>
  {
    try checkCounts(k, n, confidence, in: "clopper_pearson")
    guard n > 0 else { return .undefined(reason: "no trials (n = 0)") }
    let alpha = 1 - confidence
    let low = k == 0 ? 0 : SpecialFunctions.betaQuantile(alpha / 2, Double(k), Double(n - k + 1))
    let high = k == n ? 1 : SpecialFunctions.betaQuantile(1 - alpha / 2, Double(k + 1), Double(n - k))
    return .defined(low...high)
  }

  /// The sample size to estimate a proportion within ±`margin`: n₀ = z²p(1−p)/margin², with the
  /// finite population correction n = n₀ / (1 + (n₀ − 1)/N) when `population` is given; rounded up.
  public static func sampleSize(
    margin: Double, confidence: Double = 0.95, p: Double = 0.5, population: Int? = nil
  )
    throws -> Int
  {
    try Check.confidence(confidence, in: "sample_size")
    guard margin > 0, margin < 1 else {
      throw StatisticsError("sample_size", "margin", "must lie in (0, 1) (got \(margin))")
    }
    guard p >= 0, p <= 1 else { throw StatisticsError("sample_size", "p", "must lie in [0, 1] (got \(p))") }
    if let population, population <= 0 {
      throw StatisticsError("sample_size", "population", "must be positive (got \(population))")
    }
    try Check.count(population ?? 0, "population", in: "sample_size")
    let z = SpecialFunctions.normalQuantile(1 - (1 - confidence) / 2)
    var n = z * z * p * (1 - p) / (margin * margin)
    if let population { n = n / (1 + (n - 1) / Double(population)) }
    // Guard against a ceiling pushed up by rounding error in the last place.
    return max(1, try Check.wholeCount((n - 1e-9).rounded(.up), "margin", in: "sample_size"))
  }

  /// The smallest n such that seeing zero failures in n items shows, at `confidence`, that the
  /// failure rate is below `maxRate`: n ≥ ln(1 − confidence) / ln(1 − maxRate).
  public static func zeroFailureSampleSize(maxRate: Double, confidence: Double = 0.95) throws -> Int {
    try Check.confidence(confidence, in: "zero_failure_sample_size")
    guard maxRate > 0, maxRate < 1 else {
      throw StatisticsError("zero_failure_sample_size", "max_rate", "must lie in (0, 1) (got \(maxRate))")
    }
    let n = log1p(-confidence) / log1p(-maxRate)
    return try Check.wholeCount((n - 1e-9).rounded(.up), "max_rate", in: "zero_failure_sample_size")
  }

  /// The pooled two-proportion z test (statsmodels `proportions_ztest`, two-sided). Undefined
  /// when a group is empty or the pooled proportion is 0 or 1.
  public static func twoProportionZ(
    _ k1: Int, _ n1: Int, _ k2: Int, _ n2: Int
  ) throws -> StatResult<(z: Double, p: Double)> {
    try checkCounts(k1, n1, 0.5, in: "two_proportion_z", names: ("k1", "n1"))
    try checkCounts(k2, n2, 0.5, in: "two_proportion_z", names: ("k2", "n2"))
    guard n1 > 0, n2 > 0 else { return .undefined(reason: "a group has no trials") }
    let pooled = Double(k1 + k2) / Double(n1 + n2)
    guard pooled > 0, pooled < 1 else {
      return .undefined(reason: "the pooled proportion is \(pooled == 0 ? 0 : 1): no variance to test against")
    }
    let se = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))).squareRoot()
    let z = (Double(k1) / Double(n1) - Double(k2) / Double(n2)) / se
    return .defined((z, 2 * SpecialFunctions.normalSurvival(abs(z))))
  }

  /// McNemar's test on the discordant counts `b` and `c` of paired outcomes (statsmodels
  /// `mcnemar`): exact binomial by default, else chi-square with continuity correction.
  /// Undefined when there are no discordant pairs.
  public static func mcnemar(_ b: Int, _ c: Int, exact: Bool = true) throws -> StatResult<Double> {
    try Check.count(b, "b", in: "mcnemar")
    try Check.count(c, "c", in: "mcnemar")
    guard b + c > 0 else { return .undefined(reason: "no discordant pairs (b + c = 0)") }
    if exact {
      guard b + c <= StatisticsBounds.maximumExactPairs else {
        throw StatisticsError(
          "mcnemar", "b + c",
          "is \(b + c) discordant pairs; the exact test takes at most \(StatisticsBounds.maximumExactPairs) (use exact = false)"
        )
      }
      return .defined(min(1, 2 * SpecialFunctions.binomialCDF(min(b, c), b + c, 0.5)))
    }
    let statistic = pow(max(0, Double(abs(b - c)) - 1), 2) / Double(b + c)
    return .defined(SpecialFunctions.chiSquareSurvival(statistic, dof: 1))
  }

  private static func checkCounts(
    _ k: Int, _ n: Int, _ confidence: Double, in function: String, names: (String, String) = ("k", "n")
  ) throws {
    try Check.confidence(confidence, in: function)
    try Check.count(k, names.0, in: function)
    try Check.count(n, names.1, in: function)
    guard k <= n else { throw StatisticsError(function, names.0, "must not exceed \(names.1) (\(k) > \(n))") }
  }
}
