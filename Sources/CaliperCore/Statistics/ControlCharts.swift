import Foundation

/// Control charts for KPI series (weekly accuracy per site, daily SLA per queue): they tell
/// drift from noise and say which point raised the alarm.
public enum ControlCharts {
  /// One EWMA point: the smoothed value, its standardized distance from target, the
  /// time-varying limits and whether it is outside them.
  public struct EWMAPoint: Sendable, Equatable, Codable {
    /// The exponentially weighted moving average after this observation.
    public var value: Double
    /// (value − target) / σ of the EWMA at this point.
    public var z: Double
    /// Lower control limit.
    public var lcl: Double
    /// Upper control limit.
    public var ucl: Double
    /// Outside the limits.
    public var alarm: Bool
  }

  /// The EWMA chart with exact time-varying limits: zₜ = λxₜ + (1−λ)zₜ₋₁ from z₀ = target, limits
  /// target ± L·σ·√(λ/(2−λ)·(1−(1−λ)²ᵗ)) (Montgomery, *Statistical Quality Control*, §9.2).
  /// `target` and `sigma` default to the series' mean and sample standard deviation.
  public static func ewma(
    _ series: [Double], lambda: Double = 0.2, width: Double = 3, target: Double? = nil, sigma: Double? = nil
  ) throws -> StatResult<[EWMAPoint]> {
    try Check.finite(series, "series", in: "ewma")
    guard lambda > 0, lambda <= 1 else { throw StatisticsError("ewma", "lambda", "must lie in (0, 1] (got \(lambda))") }
    guard width > 0 else { throw StatisticsError("ewma", "L", "must be positive (got \(width))") }
    let base = try baseline(series, target: target, sigma: sigma, function: "ewma")
    guard let (center, spread) = base.value else { return .undefined(reason: base.reason!) }
    var points: [EWMAPoint] = []
    var smoothed = center
    for (offset, x) in series.enumerated() {
      smoothed = lambda * x + (1 - lambda) * smoothed
      let t = Double(offset + 1)
      let sd = spread * (lambda / (2 - lambda) * (1 - pow(1 - lambda, 2 * t))).squareRoot()
      let lcl = center - width * sd
      let ucl = center + width * sd
      points.append(
        EWMAPoint(
          value: smoothed, z: sd > 0 ? (smoothed - center) / sd : 0, lcl: lcl, ucl: ucl,
          alarm: smoothed < lcl || smoothed > ucl))
    }
    return .defined(points)
  }

  /// One tabular CUSUM point.
  public struct CUSUMPoint: Sendable, Equatable, Codable {
    /// The upper cumulative sum C⁺.
    public var hi: Double
    /// The lower cumulative sum C⁻.
    public var lo: Double
    /// C⁺ or C⁻ above the decision interval h·σ.
    public var alarm: Bool
  }

  /// The tabular CUSUM: C⁺ₜ = max(0, xₜ − (target + kσ) + C⁺ₜ₋₁), C⁻ₜ = max(0, (target − kσ) − xₜ +
  /// C⁻ₜ₋₁), alarm when either exceeds hσ (Montgomery §9.1). Sums are not reset after an alarm.
  public static func cusum(
    _ series: [Double], target: Double? = nil, sigma: Double? = nil, k: Double = 0.5, h: Double = 5
  ) throws -> StatResult<[CUSUMPoint]> {
    try Check.finite(series, "series", in: "cusum")
    guard k >= 0 else { throw StatisticsError("cusum", "k", "must not be negative (got \(k))") }
    guard h > 0 else { throw StatisticsError("cusum", "h", "must be positive (got \(h))") }
    let base = try baseline(series, target: target, sigma: sigma, function: "cusum")
    guard let (center, spread) = base.value else { return .undefined(reason: base.reason!) }
    var hi = 0.0
    var lo = 0.0
    return .defined(
      series.map { x in
        hi = max(0, x - (center + k * spread) + hi)
        lo = max(0, (center - k * spread) - x + lo)
        return CUSUMPoint(hi: hi, lo: lo, alarm: hi > h * spread || lo > h * spread)
      })
  }

  /// One point of a p chart.
  public struct ProportionPoint: Sendable, Equatable, Codable {
    /// The point's proportion kᵢ/nᵢ.
    public var p: Double
    /// The center line p̄ = Σk/Σn.
    public var center: Double
    /// Lower control limit (at least 0).
    public var lcl: Double
    /// Upper control limit (at most 1).
    public var ucl: Double
    /// Outside the limits.
    public var alarm: Bool
  }

  /// The p chart with 3-sigma limits per point: p̄ ± 3√(p̄(1−p̄)/nᵢ).
  public static func pChart(counts: [Int], sizes: [Int]) throws -> StatResult<[ProportionPoint]> {
    try proportionChart(counts: counts, sizes: sizes, function: "p_chart", overdispersion: false)
  }

  /// Laney's p′ chart (Laney 2002): the p chart's limits widened by σ_z, the average moving
  /// range of the standardized points divided by 1.128, so that large samples with
  /// between-period variation do not flag every point. Needs at least two points.
  public static func laneyPChart(counts: [Int], sizes: [Int]) throws -> StatResult<[ProportionPoint]> {
    try proportionChart(counts: counts, sizes: sizes, function: "laney_p_chart", overdispersion: true)
  }

  /// A Western Electric rule violation: the 1-based index of the point that completes it.
  public struct RuleViolation: Sendable, Equatable, Codable {
    /// 1-based position in the series.
    public var index: Int
    /// The rule: 1 (beyond 3σ), 2 (two of three beyond 2σ, same side), 3 (four of five beyond 1σ,
    /// same side), 4 (eight in a row on one side of the center).
    public var rule: Int
  }

  /// The four Western Electric rules. A point is reported for a rule when it completes the
  /// pattern and is itself on the pattern's side (and, for rules 2 and 3, beyond its zone).
  public static func westernElectric(_ series: [Double], center: Double, sigma: Double) throws -> [RuleViolation] {
    try Check.finite(series, "series", in: "western_electric")
    guard sigma > 0 else { throw StatisticsError("western_electric", "sigma", "must be positive (got \(sigma))") }
    let z = series.map { ($0 - center) / sigma }
    var violations: [RuleViolation] = []
    for i in z.indices {
      if abs(z[i]) > 3 { violations.append(RuleViolation(index: i + 1, rule: 1)) }
      for side in [1.0, -1.0] {
        if side * z[i] > 2, i >= 2, z[(i - 2)...i].filter({ side * $0 > 2 }).count >= 2 {
          violations.append(RuleViolation(index: i + 1, rule: 2))
        }
        if side * z[i] > 1, i >= 4, z[(i - 4)...i].filter({ side * $0 > 1 }).count >= 4 {
          violations.append(RuleViolation(index: i + 1, rule: 3))
        }
        if i >= 7, z[(i - 7)...i].allSatisfy({ side * $0 > 0 }) {
          violations.append(RuleViolation(index: i + 1, rule: 4))
        }
      }
    }
    return violations
  }

  // MARK: Internals

  private static func baseline(
    _ series: [Double], target: Double?, sigma: Double?, function: String
  ) throws
    -> StatResult<(Double, Double)>
  {
    if let sigma, !(sigma > 0) { throw StatisticsError(function, "sigma", "must be positive (got \(sigma))") }
    guard !series.isEmpty else { return .undefined(reason: "empty series") }
    if let target { try Check.finite(target, "target", in: function) }
    if let sigma { try Check.finite(sigma, "sigma", in: function) }
    let mean = try Descriptive.mean(series)
    guard let center = target ?? mean.value else { return .undefined(reason: mean.reason ?? "no mean") }
    if let sigma { return .defined((center, sigma)) }
    let spread = try Descriptive.stdev(series)
    guard let estimated = spread.value else {
      return .undefined(reason: "sigma not given and it cannot be estimated: \(spread.reason ?? "undefined")")
    }
    guard estimated > 0 else { return .undefined(reason: "sigma not given and the series is constant") }
    return .defined((center, estimated))
  }

  private static func proportionChart(
    counts: [Int], sizes: [Int], function: String, overdispersion: Bool
  ) throws
    -> StatResult<[ProportionPoint]>
  {
    guard counts.count == sizes.count else {
      throw StatisticsError(
        function, "sizes", "must have as many entries as counts (\(sizes.count) vs \(counts.count))")
    }
    for (i, (k, n)) in zip(counts, sizes).enumerated() {
      guard n > 0 else { throw StatisticsError(function, "sizes", "must be positive (entry \(i + 1) is \(n))") }
      guard k >= 0, k <= n else {
        throw StatisticsError(function, "counts", "must lie in 0...size (entry \(i + 1) is \(k) of \(n))")
      }
    }
    guard !counts.isEmpty else { return .undefined(reason: "empty series") }
    let center = Double(counts.reduce(0, +)) / Double(sizes.reduce(0, +))
    let sigmas = sizes.map { (center * (1 - center) / Double($0)).squareRoot() }
    let proportions = zip(counts, sizes).map { Double($0) / Double($1) }
    var factor = 1.0
    if overdispersion {
      guard counts.count >= 2 else { return .undefined(reason: "Laney's chart needs at least two points") }
      guard center > 0, center < 1 else {
        return .undefined(reason: "the center line is \(center == 0 ? 0 : 1): no variation to standardize")
      }
      let z = zip(proportions, sigmas).map { ($0 - center) / $1 }
      let ranges = zip(z.dropFirst(), z).map { abs($0 - $1) }
      factor = ranges.reduce(0, +) / Double(ranges.count) / 1.128
    }
    return .defined(
      zip(proportions, sigmas).map { p, sigma in
        let lcl = max(0, center - 3 * sigma * factor)
        let ucl = min(1, center + 3 * sigma * factor)
        return ProportionPoint(p: p, center: center, lcl: lcl, ucl: ucl, alarm: p < lcl || p > ucl)
      })
  }
}
