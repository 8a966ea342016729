/// Ratings reduced to what nominal and ordinal agreement coefficients need: for each item, how
/// many raters gave each label. Coefficients computed here equal the reference implementations
/// in ``Agreement`` and ``Krippendorff`` on the same ratings (a test holds them together), and
/// are cheap enough to recompute for every bootstrap resample of items.
public struct ItemLabelCounts: Sendable {
  /// The labels, in the order that ordinal distances use.
  public var labels: [String]
  /// Per item, the count of each label (indexed like ``labels``).
  public var counts: [[Int]]

  /// Groups `ratings` (item, label) by item in first-seen order; `order` fixes the label order
  /// (labels it does not list follow, sorted).
  public init(_ ratings: [(item: String, label: String)], order: [String] = []) {
    let used = Set(ratings.map(\.label))
    var labels = order.filter { used.contains($0) }
    labels += used.subtracting(labels).sorted()
    var labelIndex: [String: Int] = [:]
    for (index, label) in labels.enumerated() { labelIndex[label] = index }
    var itemIndex: [String: Int] = [:]
    var counts: [[Int]] = []
    for rating in ratings {
      let item =
        itemIndex[rating.item]
        ?? {
          itemIndex[rating.item] = counts.count
          counts.append([Int](repeating: 0, count: labels.count))
          return counts.count - 1
        }()
      counts[item][labelIndex[rating.label]!] += 1
    }
    self.labels = labels
    self.counts = counts
  }

  /// The coefficients this type computes.
  public enum Coefficient: String, Sendable, CaseIterable {
    /// Mean pairwise percent agreement over items rated at least twice.
    case percent
    /// Fleiss' kappa (every item needs the same number of ratings).
    case fleiss
    /// Gwet's AC1.
    case gwet
    /// Krippendorff's alpha, nominal.
    case krippendorff
    /// Krippendorff's alpha, ordinal (labels ordered as ``labels``).
    case krippendorffOrdinal
  }

  /// `coefficient` over the items `sample` (indices into ``counts``, repeats allowed, as in a
  /// bootstrap resample); `nil` with a reason when it is undefined.
  public func value(_ coefficient: Coefficient, sample: [Int]) -> StatResult<Double> {
    switch coefficient {
    case .percent: percent(sample)
    case .fleiss: fleiss(sample)
    case .gwet: gwet(sample)
    case .krippendorff: krippendorff(sample, ordinal: false)
    case .krippendorffOrdinal: krippendorff(sample, ordinal: true)
    }
  }

  /// Every item once.
  public var allItems: [Int] { Array(counts.indices) }

  private func pairAgreement(_ item: [Int]) -> (agreeing: Double, raters: Int) {
    let raters = item.reduce(0, +)
    let agreeing = item.reduce(0.0) { $0 + Double($1 * ($1 - 1)) }
    return (agreeing, raters)
  }

  private func percent(_ sample: [Int]) -> StatResult<Double> {
    var sum = 0.0
    var items = 0
    for index in sample {
      let (agreeing, raters) = pairAgreement(counts[index])
      guard raters >= 2 else { continue }
      sum += agreeing / Double(raters * (raters - 1))
      items += 1
    }
    guard items > 0 else { return .undefined(reason: "no item has two or more ratings") }
    return .defined(sum / Double(items))
  }

  private func fleiss(_ sample: [Int]) -> StatResult<Double> {
    guard let first = sample.first else { return .undefined(reason: "no ratings") }
    let raters = counts[first].reduce(0, +)
    guard sample.allSatisfy({ counts[$0].reduce(0, +) == raters }) else {
      return .undefined(reason: "Fleiss' kappa needs the same number of ratings for every item")
    }
    guard raters >= 2 else { return .undefined(reason: "each item has a single rating: agreement is undefined") }
    var totals = [Double](repeating: 0, count: labels.count)
    var agreement = 0.0
    for index in sample {
      let item = counts[index]
      for (label, count) in item.enumerated() { totals[label] += Double(count) }
      agreement += pairAgreement(item).agreeing / Double(raters * (raters - 1))
    }
    let units = Double(sample.count)
    let observed = agreement / units
    let chance = totals.reduce(0.0) { $0 + ($1 / (units * Double(raters))) * ($1 / (units * Double(raters))) }
    guard chance < 1 else { return .undefined(reason: "every rating uses the same label: chance agreement is 1") }
    return .defined((observed - chance) / (1 - chance))
  }

  private func gwet(_ sample: [Int]) -> StatResult<Double> {
    var pi = [Double](repeating: 0, count: labels.count)
    var used = [Bool](repeating: false, count: labels.count)
    var agreement = 0.0
    var paired = 0
    for index in sample {
      let item = counts[index]
      let raters = item.reduce(0, +)
      guard raters > 0 else { continue }
      for (label, count) in item.enumerated() where count > 0 {
        pi[label] += Double(count) / Double(raters)
        used[label] = true
      }
      if raters >= 2 {
        paired += 1
        agreement += pairAgreement(item).agreeing / Double(raters * (raters - 1))
      }
    }
    let categories = used.filter { $0 }.count
    guard categories >= 2 else {
      return .undefined(reason: "fewer than two labels in use: chance-corrected agreement is undefined")
    }
    guard paired > 0 else { return .undefined(reason: "no item has two or more ratings") }
    let units = Double(sample.count)
    let observed = agreement / Double(paired)
    let chance = pi.reduce(0.0) { $0 + ($1 / units) * (1 - $1 / units) } / Double(categories - 1)
    return .defined((observed - chance) / (1 - chance))
  }

  private func krippendorff(_ sample: [Int], ordinal: Bool) -> StatResult<Double> {
    let size = labels.count
    var coincidences = [Double](repeating: 0, count: size * size)
    for index in sample {
      let item = counts[index]
      let raters = item.reduce(0, +)
      guard raters >= 2 else { continue }
      let weight = 1 / Double(raters - 1)
      for c in 0..<size where item[c] > 0 {
        for k in 0..<size where item[k] > 0 {
          let pairs = c == k ? item[c] * (item[c] - 1) : item[c] * item[k]
          coincidences[c * size + k] += Double(pairs) * weight
        }
      }
    }
    var marginals = [Double](repeating: 0, count: size)
    for c in 0..<size { for k in 0..<size { marginals[c] += coincidences[c * size + k] } }
    let total = marginals.reduce(0, +)
    guard total > 1 else { return .undefined(reason: "no item has two or more ratings") }
    // Categories no rating of this sample uses have no marginal and drop out of the ordinal
    // distances, as they do in the reference (which only knows the categories in use).
    var cumulative = [0.0]
    for marginal in marginals { cumulative.append(cumulative.last! + marginal) }
    var observed = 0.0
    var expected = 0.0
    for c in 0..<size where marginals[c] > 0 {
      for k in 0..<size where marginals[k] > 0 && k != c {
        var distance = 1.0
        if ordinal {
          let between = cumulative[max(c, k) + 1] - cumulative[min(c, k)] - (marginals[c] + marginals[k]) / 2
          distance = between * between
        }
        observed += coincidences[c * size + k] * distance
        expected += marginals[c] * marginals[k] * distance
      }
    }
    observed /= total
    expected /= total * (total - 1)
    guard expected > 0 else { return .undefined(reason: "no expected disagreement (a single label in use)") }
    return .defined(1 - observed / expected)
  }
}
