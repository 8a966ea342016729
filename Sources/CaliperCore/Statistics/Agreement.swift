import Foundation

/// Agreement between raters: calibration between vendor QA, internal QA and policy.
public enum Agreement {
  /// An agreement coefficient with the observed agreement behind it and, when it applies, a
  /// warning about the kappa paradox.
  public struct Coefficient: Sendable, Equatable {
    /// The coefficient (kappa, alpha or AC1).
    public var value: Double
    /// The observed proportion of agreement.
    public var observedAgreement: Double
    /// Set when observed agreement is high but the coefficient is low because one label
    /// dominates (the kappa paradox); it suggests Gwet's AC1.
    public var warning: String?
  }

  /// Weighting of disagreements for Cohen's kappa.
  public enum Weights: String, Sendable {
    /// Every disagreement counts fully.
    case none
    /// Disagreements count by label distance |i − j| (ordinal labels).
    case linear
    /// Disagreements count by squared distance (i − j)².
    case quadratic
  }

  /// Cohen's kappa between two raters' labels for the same items (scikit-learn
  /// `cohen_kappa_score`). `labels` fixes the label order (which matters for weights); by default
  /// the sorted union of both. Undefined when expected disagreement is zero.
  public static func cohenKappa(
    _ a: [Label], _ b: [Label], weights: Weights = .none, labels: [Label]? = nil
  ) throws
    -> StatResult<Coefficient>
  {
    guard a.count == b.count else {
      throw StatisticsError("cohen_kappa", "b", "must have as many labels as a (\(b.count) vs \(a.count))")
    }
    guard !a.isEmpty else { return .undefined(reason: "no items") }
    try Check.labels(a, "a", in: "cohen_kappa")
    try Check.labels(b, "b", in: "cohen_kappa")
    try Check.labels(labels ?? [], "labels", in: "cohen_kappa")
    let order = labels ?? Array(Set(a).union(b)).sorted()
    try Check.labelCount(order.count, "labels", in: "cohen_kappa")
    var position: [Label: Int] = [:]
    for (index, label) in order.enumerated() { position[label] = index }
    let size = order.count
    var matrix = [[Double]](repeating: [Double](repeating: 0, count: size), count: size)
    var used = 0
    for (x, y) in zip(a, b) {
      // scikit-learn ignores pairs whose labels are outside an explicit label list.
      guard let i = position[x], let j = position[y] else { continue }
      matrix[i][j] += 1
      used += 1
    }
    guard used > 0 else { return .undefined(reason: "no items carry the given labels") }
    let rows = matrix.map { $0.reduce(0, +) }
    let columns = (0..<size).map { j in matrix.reduce(0) { $0 + $1[j] } }
    let total = Double(used)
    var observed = 0.0
    var expected = 0.0
    var agreement = 0.0
    for i in 0..<size {
      agreement += matrix[i][i]
      for j in 0..<size {
        let weight: Double =
          switch weights {
          case .none: i == j ? 0 : 1
          case .linear: Double(abs(i - j))
          case .quadratic: Double((i - j) * (i - j))
          }
        observed += weight * matrix[i][j]
        expected += weight * rows[i] * columns[j] / total
      }
    }
    guard expected > 0 else {
      return .undefined(reason: "expected disagreement is zero (both raters used a single label): kappa is undefined")
    }
    let kappa = 1 - observed / expected
    let observedAgreement = agreement / total
    let prevalence = max(rows.max() ?? 0, columns.max() ?? 0) / total
    return .defined(
      Coefficient(
        value: kappa, observedAgreement: observedAgreement,
        warning: paradoxWarning(kappa, observedAgreement: observedAgreement, prevalence: prevalence)))
  }

  /// Fleiss' kappa for many raters (statsmodels `fleiss_kappa`); every unit needs the same
  /// number of ratings. Undefined when chance agreement is 1 (a single label throughout).
  public static func fleissKappa(_ ratings: [Rating]) throws -> StatResult<Coefficient> {
    try Check.labels(ratings, in: "fleiss_kappa")
    let grouped = RatingsByUnit(ratings)
    guard let raters = grouped.values.first?.count else { return .undefined(reason: "no ratings") }
    if let index = grouped.values.firstIndex(where: { $0.count != raters }) {
      throw StatisticsError(
        "fleiss_kappa", "ratings",
        "needs the same number of ratings for every unit (unit '\(grouped.units[0])' has \(raters), '\(grouped.units[index])' has \(grouped.values[index].count)); use krippendorff_alpha with missing ratings"
      )
    }
    guard raters >= 2 else { return .undefined(reason: "each unit has a single rating: agreement is undefined") }
    let categories = grouped.categories
    let n = Double(raters)
    let units = Double(grouped.units.count)
    var totals = [Label: Double]()
    var agreementSum = 0.0
    for values in grouped.values {
      let counts = RatingsByUnit.counts(values)
      for (label, count) in counts { totals[label, default: 0] += count }
      agreementSum += (counts.values.reduce(0) { $0 + $1 * $1 } - n) / (n * (n - 1))
    }
    let observed = agreementSum / units
    let chance = categories.reduce(0.0) { sum, label in
      let share = (totals[label] ?? 0) / (units * n)
      return sum + share * share
    }
    guard chance < 1 else { return .undefined(reason: "every rating uses the same label: chance agreement is 1") }
    let kappa = (observed - chance) / (1 - chance)
    let prevalence = (totals.values.max() ?? 0) / (units * n)
    return .defined(
      Coefficient(
        value: kappa, observedAgreement: observed,
        warning: paradoxWarning(kappa, observedAgreement: observed, prevalence: prevalence)))
  }

  /// Gwet's AC1 for any number of raters, missing ratings allowed (irrCAC `CAC.gwet()`):
  /// chance agreement is Σπₖ(1−πₖ)/(q−1), which stays small when one label dominates, so AC1
  /// does not suffer the kappa paradox. Undefined with fewer than two categories or no unit
  /// rated twice.
  public static func gwetAC1(_ ratings: [Rating]) throws -> StatResult<Coefficient> {
    try Check.labels(ratings, in: "gwet_ac1")
    let grouped = RatingsByUnit(ratings)
    let categories = grouped.categories
    guard categories.count >= 2 else {
      return .undefined(reason: "fewer than two labels in use: chance-corrected agreement is undefined")
    }
    let q = Double(categories.count)
    var pi = [Label: Double]()
    var agreementSum = 0.0
    var pairedUnits = 0
    for values in grouped.values {
      let r = Double(values.count)
      let counts = RatingsByUnit.counts(values)
      for (label, count) in counts { pi[label, default: 0] += count / r }
      if values.count >= 2 {
        pairedUnits += 1
        agreementSum += counts.values.reduce(0) { $0 + $1 * ($1 - 1) } / (r * (r - 1))
      }
    }
    guard pairedUnits > 0 else { return .undefined(reason: "no unit has two or more ratings") }
    let unitCount = Double(grouped.units.count)
    let observed = agreementSum / Double(pairedUnits)
    let chance =
      pi.values.reduce(0.0) { sum, total in
        let share = total / unitCount
        return sum + share * (1 - share)
      } / (q - 1)
    return .defined(Coefficient(value: (observed - chance) / (1 - chance), observedAgreement: observed, warning: nil))
  }

  /// The kappa paradox: high observed agreement, low kappa, one dominant label.
  static func paradoxWarning(_ kappa: Double, observedAgreement: Double, prevalence: Double) -> String? {
    guard observedAgreement >= 0.8, kappa < 0.6, prevalence >= 0.8 else { return nil }
    let percent = { (value: Double) in String(Int((value * 100).rounded())) + "%" }
    return
      "kappa paradox: observed agreement is \(percent(observedAgreement)) but kappa only \(String(format: "%.2f", kappa)) because one label makes up \(percent(prevalence)) of ratings; consider gwet_ac1"
  }
}
