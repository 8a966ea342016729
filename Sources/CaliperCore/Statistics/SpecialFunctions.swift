import Foundation

/// The special functions behind the intervals and tests, written here because no well-kept Swift
/// package provides distribution functions (swift-numerics has no CDFs or quantiles). Each is a
/// published algorithm, cross-checked against SciPy in the test fixtures to 1e-9 or better.
enum SpecialFunctions {
  /// 1 − Φ(x) through the C library's `erfc`, without cancellation for large x.
  static func normalSurvival(_ x: Double) -> Double { 0.5 * erfc(x / 2.0.squareRoot()) }

  /// Φ⁻¹(p) by Wichura's algorithm AS 241 (PPND16), relative accuracy about 1e-16.
  static func normalQuantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "normalQuantile needs p in (0, 1)")
    let q = p - 0.5
    if abs(q) <= 0.425 {
      let r = 0.180625 - q * q
      let numerator =
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
          + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
          + 133.14166789178437745) * r + 3.387132872796366608)
      let denominator =
        (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r
          + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
          + 42.313330701600911252) * r + 1.0)
      return q * numerator / denominator
    }
    var r = q < 0 ? p : 1 - p
    r = (-log(r)).squareRoot()
    var value: Double
    if r <= 5 {
      r -= 1.6
      value =
        (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
          + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r
          + 4.6303378461565452959) * r + 1.42343711074968357734)
        / (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
          + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r
          + 2.05319162663775882187) * r + 1.0)
    } else {
      r -= 5
      value =
        (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
          + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r
          + 5.4637849111641143699) * r + 6.6579046435011037772)
        / (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
          + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
          + 0.59983220655588793769) * r + 1.0)
    }
    return q < 0 ? -value : value
  }

  /// The regularized incomplete beta function I_x(a, b), by the continued fraction evaluated
  /// with the modified Lentz method (Numerical Recipes §6.4), using the symmetry relation for
  /// fast convergence.
  static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
    if x < (a + 1) / (a + b + 2) {
      return exp(logFront) * betaContinuedFraction(x, a, b) / a
    }
    return 1 - exp(logFront) * betaContinuedFraction(1 - x, b, a) / b
  }

  private static func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var result = d
    for m in 1...10_000 {
      let m = Double(m)
      let m2 = 2 * m
      var numerator = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
      d = 1 + numerator * d
      if abs(d) < tiny { d = tiny }
      c = 1 + numerator / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      result *= d * c
      numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
      d = 1 + numerator * d
      if abs(d) < tiny { d = tiny }
      c = 1 + numerator / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      result *= delta
      if abs(delta - 1) < 1e-16 { break }
    }
    return result
  }

  /// The x with I_x(a, b) = p, by bisection on [0, 1] to full double precision (monotone, so
  /// it cannot fail to converge).
  static func betaQuantile(_ p: Double, _ a: Double, _ b: Double) -> Double {
    if p <= 0 { return 0 }
    if p >= 1 { return 1 }
    var low = 0.0
    var high = 1.0
    for _ in 0..<200 {
      let middle = (low + high) / 2
      if middle == low || middle == high { break }
      if regularizedBeta(middle, a, b) < p { low = middle } else { high = middle }
    }
    return (low + high) / 2
  }

  /// The regularized upper incomplete gamma Q(a, x) (Numerical Recipes §6.2: series below
  /// a + 1, continued fraction above).
  static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
    if x <= 0 { return 1 }
    if x < a + 1 {
      var term = 1 / a
      var sum = term
      var n = a
      for _ in 0..<100_000 {
        n += 1
        term *= x / n
        sum += term
        if abs(term) < abs(sum) * 1e-17 { break }
      }
      return 1 - sum * exp(-x + a * log(x) - lgamma(a))
    }
    let tiny = 1e-300
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    for i in 1...100_000 {
      let an = -Double(i) * (Double(i) - a)
      b += 2
      d = an * d + b
      if abs(d) < tiny { d = tiny }
      c = b + an / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-16 { break }
    }
    return exp(-x + a * log(x) - lgamma(a)) * h
  }

  /// The chi-square survival function P(X ≥ x) with `dof` degrees of freedom.
  static func chiSquareSurvival(_ x: Double, dof: Double) -> Double { regularizedGammaQ(dof / 2, x / 2) }

  /// P(X ≤ k) for X ~ Binomial(n, p), summed in log space.
  static func binomialCDF(_ k: Int, _ n: Int, _ p: Double) -> Double {
    if k < 0 { return 0 }
    if k >= n { return 1 }
    var total = 0.0
    let logP = log(p)
    let logQ = log1p(-p)
    for i in 0...k {
      let logTerm =
        lgamma(Double(n) + 1) - lgamma(Double(i) + 1) - lgamma(Double(n - i) + 1) + Double(i) * logP
        + Double(n - i) * logQ
      total += exp(logTerm)
    }
    return min(1, total)
  }
}
