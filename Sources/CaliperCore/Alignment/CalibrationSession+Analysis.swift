/// What a calibration session measures: agreement with a bootstrap interval, each rater's
/// accuracy against the reference labels, the most disputed items and agreement per label.
extension CalibrationSession {
  /// An agreement coefficient.
  public enum AgreementMetric: String, Sendable, CaseIterable {
    /// Mean pairwise percent agreement.
    case percent
    /// Cohen's kappa averaged over rater pairs (Light's kappa).
    case cohen
    /// Fleiss' kappa.
    case fleiss
    /// Krippendorff's alpha.
    case krippendorff
    /// Gwet's AC1.
    case gwet
  }

  /// How an agreement is asked for.
  public struct AgreementRequest: Sendable {
    /// The coefficient.
    public var metric: AgreementMetric
    /// Whose ratings count.
    public var among: Set<Organisation>
    /// Ordinal orders labels by `order` (policy severity); Krippendorff's alpha only.
    public var ordinal: Bool
    /// Label order for ordinal agreement.
    public var order: [String]
    /// Bootstrap resamples of items for the interval (0: no interval).
    public var resamples: Int
    /// Seed of the resampling.
    public var seed: UInt64

    /// Creates a request.
    public init(
      metric: AgreementMetric, among: Set<Organisation> = Set(Organisation.allCases), ordinal: Bool = false,
      order: [String] = [], resamples: Int = 1000, seed: UInt64 = 0
    ) {
      self.metric = metric
      self.among = among
      self.ordinal = ordinal
      self.order = order
      self.resamples = resamples
      self.seed = seed
    }
  }

  /// The most bootstrap resamples one agreement may ask for.
  public static let maximumResamples = 100_000

  /// The coefficient over the session's items with a 95% percentile bootstrap interval over
  /// items (reproducible from the request's seed and the session id). `n` is the number of
  /// items rated by the chosen raters.
  public func agreement(_ request: AgreementRequest) throws -> Metric {
    guard (0...Self.maximumResamples).contains(request.resamples) else {
      throw StatisticsError(
        "agreement", "reps", "must lie in [0, \(Self.maximumResamples)] (got \(request.resamples))")
    }
    if request.ordinal, request.metric != .krippendorff {
      throw StatisticsError("agreement", "level", "ordinal agreement is Krippendorff's alpha only")
    }
    let chosen = ratings(among: request.among)
    let counts = ItemLabelCounts(chosen.map { ($0.itemID, $0.label) }, order: request.order)
    let items = counts.counts.count
    guard items > 0 else { return Metric(undefined: "no ratings from \(Self.describe(request.among))", n: 0) }
    let estimate: (([Int]) -> StatResult<Double>)
    switch request.metric {
    case .percent: estimate = { counts.value(.percent, sample: $0) }
    case .fleiss: estimate = { counts.value(.fleiss, sample: $0) }
    case .gwet: estimate = { counts.value(.gwet, sample: $0) }
    case .krippendorff:
      estimate = { counts.value(request.ordinal ? .krippendorffOrdinal : .krippendorff, sample: $0) }
    case .cohen:
      let pairs = CohenPairs(chosen)
      estimate = { pairs.lightsKappa(items: $0) }
    }
    let all = counts.allItems
    guard let value = estimate(all).value else {
      return Metric(undefined: estimate(all).reason ?? "undefined", n: items)
    }
    var metric = Metric(value: value, n: items)
    guard request.resamples > 0 else { return metric }
    var generator = SeededGenerator(seed: request.seed ^ Self.stableHash(id))
    var draws: [Double] = []
    draws.reserveCapacity(request.resamples)
    var sample = [Int](repeating: 0, count: items)
    for _ in 0..<request.resamples {
      for position in 0..<items { sample[position] = generator.index(below: items) }
      if let draw = estimate(sample).value { draws.append(draw) }
    }
    // An interval only when most resamples define the coefficient.
    if draws.count * 2 > request.resamples {
      draws.sort()
      metric.lo = Self.percentile(draws, 0.025)
      metric.hi = Self.percentile(draws, 0.975)
    }
    return metric
  }

  /// One rater's accuracy against the items' reference labels.
  public struct RaterAccuracy: Sendable, Equatable {
    /// The rater.
    public var rater: String
    /// Their organisation.
    public var organisation: Organisation
    /// Share of their ratings of referenced items that equal the reference (Wilson interval).
    public var accuracy: Metric
  }

  /// Every rater's accuracy against the reference labels (policy raters of items the policy
  /// team labelled agree with themselves: they are reported, and read as the reference).
  public func raterAccuracy() -> [RaterAccuracy] {
    let references = referenceLabels
    var tallies: [String: (organisation: Organisation, correct: Int, rated: Int)] = [:]
    for rating in ratings {
      guard let reference = references[rating.itemID] else { continue }
      var tally = tallies[rating.raterID] ?? (rating.raterOrganisation, 0, 0)
      tally.rated += 1
      if rating.label == reference.label { tally.correct += 1 }
      tallies[rating.raterID] = tally
    }
    return raters.map { rater in
      let tally = tallies[rater.id] ?? (rater.organisation, 0, 0)
      return RaterAccuracy(
        rater: rater.id, organisation: rater.organisation,
        accuracy: Metric.proportion(tally.correct, of: tally.rated, what: "referenced items rated"))
    }
  }

  /// An item and how its raters split.
  public struct ItemDisagreement: Sendable, Equatable {
    /// The item.
    public var item: String
    /// Its reference label, if it has one.
    public var reference: String?
    /// Share of its ratings that give the most common label.
    public var modalShare: Double
    /// Ratings per label, most first (ties by label).
    public var labelCounts: [(label: String, count: Int)]

    /// Compares every field.
    public static func == (lhs: ItemDisagreement, rhs: ItemDisagreement) -> Bool {
      lhs.item == rhs.item && lhs.reference == rhs.reference && lhs.modalShare == rhs.modalShare
        && lhs.labelCounts.map(\.label) == rhs.labelCounts.map(\.label)
        && lhs.labelCounts.map(\.count) == rhs.labelCounts.map(\.count)
    }
  }

  /// Items ranked by disagreement: lowest modal share first, then by item id.
  public func disagreements() -> [ItemDisagreement] {
    let references = referenceLabels
    var byItem: [String: [String: Int]] = [:]
    for rating in ratings { byItem[rating.itemID, default: [:]][rating.label, default: 0] += 1 }
    return items.map { item in
      let counts = byItem[item]!.map { (label: $0.key, count: $0.value) }.sorted {
        ($1.count, $0.label) < ($0.count, $1.label)
      }
      let total = counts.reduce(0) { $0 + $1.count }
      return ItemDisagreement(
        item: item, reference: references[item]?.label, modalShare: Double(counts[0].count) / Double(total),
        labelCounts: counts)
    }.sorted { ($0.modalShare, $0.item) < ($1.modalShare, $1.item) }
  }

  /// Agreement on the items whose reference label is one label.
  public struct LabelAgreement: Sendable, Equatable {
    /// The reference label.
    public var label: String
    /// Items with it as reference.
    public var items: Int
    /// Share of the vendor and internal ratings of those items that give it (Wilson interval).
    public var agreement: Metric
  }

  /// Per reference label, how often vendor and internal raters give it, by label name.
  public func byLabel() -> [LabelAgreement] {
    let references = referenceLabels
    var tallies: [String: (items: Set<String>, agreeing: Int, rated: Int)] = [:]
    for rating in ratings where rating.raterOrganisation != .policy {
      guard let reference = references[rating.itemID] else { continue }
      var tally = tallies[reference.label] ?? ([], 0, 0)
      tally.items.insert(rating.itemID)
      tally.rated += 1
      if rating.label == reference.label { tally.agreeing += 1 }
      tallies[reference.label] = tally
    }
    return tallies.keys.sorted().map { label in
      let tally = tallies[label]!
      return LabelAgreement(
        label: label, items: tally.items.count,
        agreement: Metric.proportion(tally.agreeing, of: tally.rated, what: "ratings"))
    }
  }

  static func describe(_ organisations: Set<Organisation>) -> String {
    organisations.map(\.rawValue).sorted().joined(separator: ", ") + " raters"
  }

  /// FNV-1a of the text: a seed offset that does not change between runs or platforms.
  static func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
  }

  /// Linear-interpolation percentile of sorted values (NumPy's default).
  static func percentile(_ sorted: [Double], _ q: Double) -> Double {
    let position = q * Double(sorted.count - 1)
    let low = Int(position.rounded(.down))
    let high = min(low + 1, sorted.count - 1)
    return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
  }
}

/// Cohen's kappa for every pair of raters over the items both rated, averaged (Light's kappa),
/// on any resample of items.
struct CohenPairs {
  private var raterLabels: [[Int: String]] = []
  private var itemIndex: [String: Int] = [:]

  init(_ ratings: [CalibrationRating]) {
    var raterIndex: [String: Int] = [:]
    for rating in ratings {
      let item =
        itemIndex[rating.itemID]
        ?? {
          itemIndex[rating.itemID] = itemIndex.count
          return itemIndex.count - 1
        }()
      let rater =
        raterIndex[rating.raterID]
        ?? {
          raterIndex[rating.raterID] = raterLabels.count
          raterLabels.append([:])
          return raterLabels.count - 1
        }()
      raterLabels[rater][item] = rating.label
    }
  }

  func lightsKappa(items: [Int]) -> StatResult<Double> {
    var sum = 0.0
    var pairs = 0
    for first in raterLabels.indices {
      for second in raterLabels.indices where second > first {
        var a: [Label] = []
        var b: [Label] = []
        for item in items {
          if let x = raterLabels[first][item], let y = raterLabels[second][item] {
            a.append(.name(x))
            b.append(.name(y))
          }
        }
        guard !a.isEmpty, let kappa = (try? Agreement.cohenKappa(a, b))?.value else { continue }
        sum += kappa.value
        pairs += 1
      }
    }
    guard pairs > 0 else { return .undefined(reason: "no pair of raters with a defined kappa on shared items") }
    return .defined(sum / Double(pairs))
  }
}
