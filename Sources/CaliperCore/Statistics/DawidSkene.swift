import Foundation

/// Dawid–Skene consensus: estimates each item's true label and each rater's confusion matrix
/// together by expectation–maximization (Dawid & Skene 1979). It follows crowd-kit's
/// `DawidSkene` step for step (majority-vote initialisation, 1e-10 floors, the evidence lower
/// bound per response as the stopping rule) so results match it to 1e-9.
public enum DawidSkene {
  /// The model after fitting.
  public struct Result: Sendable, Equatable {
    /// The labels, sorted: the order of every probability vector.
    public var labels: [Label]
    /// Units in order of first appearance.
    public var units: [String]
    /// Per unit, the posterior probability of each label.
    public var posteriors: [[Double]]
    /// Raters in order of first appearance.
    public var raters: [String]
    /// Per rater, `errors[r][observed][true]`: the probability that the rater answers `observed`
    /// when the true label is `true` (rows for labels the rater never gave are zero).
    public var errors: [[[Double]]]
    /// The prior probability of each label.
    public var priors: [Double]
    /// EM iterations run.
    public var iterations: Int

    /// The most probable label of unit `u` and its posterior (first label on ties).
    public func consensus(_ u: Int) -> (label: Label, posterior: Double) {
      var best = 0
      for (index, value) in posteriors[u].enumerated() where value > posteriors[u][best] { best = index }
      return (labels[best], posteriors[u][best])
    }

    /// Rater `r`'s modelled accuracy: Σₗ prior(l)·P(answer l | true l).
    public func accuracy(_ r: Int) -> Double {
      labels.indices.reduce(0) { $0 + priors[$1] * errors[r][$1][$1] }
    }
  }

  static let floor = 1e-10

  /// Fits the model. Undefined for no ratings.
  public static func fit(
    _ ratings: [Rating], maxIterations: Int = 100, tolerance: Double = 1e-6
  ) throws
    -> StatResult<Result>
  {
    guard maxIterations >= 0 else {
      throw StatisticsError("dawid_skene", "max_iter", "must not be negative (got \(maxIterations))")
    }
    guard tolerance >= 0 else { throw StatisticsError("dawid_skene", "tol", "must not be negative (got \(tolerance))") }
    guard !ratings.isEmpty else { return .undefined(reason: "no ratings") }
    try Check.labels(ratings, in: "dawid_skene")
    let labels = Array(Set(ratings.map(\.value))).sorted()
    try Check.labelCount(labels.count, "ratings", in: "dawid_skene")
    var labelIndex: [Label: Int] = [:]
    for (index, label) in labels.enumerated() { labelIndex[label] = index }
    var unitIndex: [String: Int] = [:]
    var raterIndex: [String: Int] = [:]
    var units: [String] = []
    var raters: [String] = []
    var responses: [(unit: Int, rater: Int, label: Int)] = []
    for rating in ratings {
      if unitIndex[rating.unit] == nil {
        unitIndex[rating.unit] = units.count
        units.append(rating.unit)
      }
      if raterIndex[rating.rater] == nil {
        raterIndex[rating.rater] = raters.count
        raters.append(rating.rater)
      }
      responses.append((unitIndex[rating.unit]!, raterIndex[rating.rater]!, labelIndex[rating.value]!))
    }
    let k = labels.count
    // One EM iteration touches every response, unit and rater-by-label cell once per label.
    let cells = (responses.count + units.count + raters.count * k) * k
    guard cells <= StatisticsBounds.maximumModelCells else {
      throw StatisticsError(
        "dawid_skene", "ratings",
        "make a model of \(cells) cells ((responses + units + raters × labels) × labels); at most \(StatisticsBounds.maximumModelCells) are allowed"
      )
    }
    guard maxIterations <= 10_000, cells * maxIterations <= StatisticsBounds.maximumModelWork else {
      throw StatisticsError(
        "dawid_skene", "max_iter",
        "× \(cells) model cells exceeds \(StatisticsBounds.maximumModelWork) steps of work (got \(maxIterations) iterations, at most 10,000)"
      )
    }

    // Majority-vote initialisation: each unit's share of votes per label.
    var posteriors = [[Double]](repeating: [Double](repeating: 0, count: k), count: units.count)
    for response in responses { posteriors[response.unit][response.label] += 1 }
    posteriors = posteriors.map { row in
      let total = row.reduce(0, +)
      return row.map { $0 / total }
    }
    var priors = mean(posteriors, k)
    var errors = maximize(responses, posteriors, raters: raters.count, k: k)
    var loss = -Double.infinity
    var iterations = 0
    for _ in 0..<maxIterations {
      iterations += 1
      posteriors = expect(responses, priors, errors, units: units.count, k: k)
      priors = mean(posteriors, k)
      errors = maximize(responses, posteriors, raters: raters.count, k: k)
      let newLoss = evidenceLowerBound(responses, posteriors, priors, errors) / Double(responses.count)
      if newLoss - loss < tolerance { break }
      loss = newLoss
    }
    let fittedErrors = errors.map { rater in rater.map { $0 ?? [Double](repeating: 0, count: k) } }
    return .defined(
      Result(
        labels: labels, units: units, posteriors: posteriors.map { $0.map { Swift.max($0, floor) } }, raters: raters,
        errors: fittedErrors, priors: priors, iterations: iterations))
  }

  private static func mean(_ posteriors: [[Double]], _ k: Int) -> [Double] {
    (0..<k).map { l in posteriors.reduce(0) { $0 + $1[l] } / Double(posteriors.count) }
  }

  /// M-step: errors[r][observed][true] = Σ posteriors over the rater's answers, floored at 1e-10
  /// and normalized per true label over the labels the rater used (`nil`: never answered).
  private static func maximize(
    _ responses: [(unit: Int, rater: Int, label: Int)], _ posteriors: [[Double]], raters: Int, k: Int
  ) -> [[[Double]?]] {
    var sums = [[[Double]?]](repeating: [[Double]?](repeating: nil, count: k), count: raters)
    for response in responses {
      var row = sums[response.rater][response.label] ?? [Double](repeating: 0, count: k)
      for l in 0..<k { row[l] += posteriors[response.unit][l] }
      sums[response.rater][response.label] = row
    }
    return sums.map { rater in
      let floored = rater.map { $0?.map { Swift.max($0, floor) } }
      let totals = (0..<k).map { l in floored.reduce(0) { $0 + ($1?[l] ?? 0) } }
      return floored.map { $0.map { row in (0..<k).map { row[$0] / totals[$0] } } }
    }
  }

  /// E-step in log space: log p(l) + Σ log e[r][answer][l], shifted by the row maximum.
  private static func expect(
    _ responses: [(unit: Int, rater: Int, label: Int)], _ priors: [Double], _ errors: [[[Double]?]], units: Int, k: Int
  ) -> [[Double]] {
    let logPriors = priors.map { log2(Swift.max($0, floor)) }
    var logLikelihood = [[Double]](repeating: logPriors, count: units)
    for response in responses {
      let row = errors[response.rater][response.label]!
      for l in 0..<k { logLikelihood[response.unit][l] += log2(row[l]) }
    }
    return logLikelihood.map { row in
      let top = row.max()!
      let scaled = row.map { exp2($0 - top) }
      let total = scaled.reduce(0, +)
      return scaled.map { $0 / total }
    }
  }

  /// crowd-kit's stopping criterion: the expected joint log-likelihood (the prior counted once
  /// per response, as crowd-kit does) plus the posteriors' entropy.
  private static func evidenceLowerBound(
    _ responses: [(unit: Int, rater: Int, label: Int)], _ posteriors: [[Double]], _ priors: [Double],
    _ errors: [[[Double]?]]
  ) -> Double {
    let logPriors = priors.map { log(Swift.max($0, floor)) }
    var joint = 0.0
    for response in responses {
      let row = errors[response.rater][response.label]!
      for l in logPriors.indices { joint += posteriors[response.unit][l] * (log(row[l]) + logPriors[l]) }
    }
    var entropy = 0.0
    for row in posteriors {
      for value in row {
        let clipped = Swift.max(value, floor)
        entropy -= log(clipped) * clipped
      }
    }
    return joint + entropy
  }
}
