/// A confusion matrix of actual against predicted labels (QA label vs moderator label, QA label
/// vs AI suggestion), with the per-label and averaged metrics of scikit-learn.
public struct ConfusionMatrix: Sendable, Equatable {
  /// The labels, in matrix order.
  public let labels: [Label]
  /// `counts[i][j]`: items whose actual label is `labels[i]` and predicted label `labels[j]`.
  public let counts: [[Int]]
  private let index: [Label: Int]

  /// Builds the matrix; `labels` fixes the order (pairs with other labels are left out, as
  /// scikit-learn does), by default the sorted union of both sides.
  public init(actual: [Label], predicted: [Label], labels: [Label]? = nil) throws {
    guard actual.count == predicted.count else {
      throw StatisticsError(
        "confusion", "predicted", "must have as many labels as actual (\(predicted.count) vs \(actual.count))")
    }
    try Check.labels(actual, "actual", in: "confusion")
    try Check.labels(predicted, "predicted", in: "confusion")
    try Check.labels(labels ?? [], "labels", in: "confusion")
    let order = labels ?? Array(Set(actual).union(predicted)).sorted()
    try Check.labelCount(order.count, "labels", in: "confusion")
    var index: [Label: Int] = [:]
    for (position, label) in order.enumerated() {
      guard index[label] == nil else { throw StatisticsError("confusion", "labels", "lists '\(label)' twice") }
      index[label] = position
    }
    var counts = [[Int]](repeating: [Int](repeating: 0, count: order.count), count: order.count)
    for (a, p) in zip(actual, predicted) {
      if let i = index[a], let j = index[p] { counts[i][j] += 1 }
    }
    self.labels = order
    self.counts = counts
    self.index = index
  }

  /// A matrix from counts already tallied (`counts[i][j]`: actual `labels[i]`, predicted
  /// `labels[j]`); `labels` must be distinct and `counts` square in their number.
  public init(labels: [Label], counts: [[Int]]) {
    precondition(counts.count == labels.count && counts.allSatisfy { $0.count == labels.count })
    self.labels = labels
    self.counts = counts
    self.index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
  }

  /// The metrics available per label and as averages.
  public enum Metric: String, Sendable, CaseIterable {
    /// TP / (TP + FP).
    case precision
    /// TP / (TP + FN).
    case recall
    /// Harmonic mean of precision and recall.
    case f1
    /// FP / (FP + TN): the false positive rate.
    case fpr
    /// FN / (FN + TP): the false negative rate.
    case fnr
  }

  /// Items in total.
  public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

  /// Items whose actual label is `actual` and predicted label `predicted`.
  public func count(actual: Label, predicted: Label) -> Int {
    guard let i = index[actual], let j = index[predicted] else { return 0 }
    return counts[i][j]
  }

  /// Items whose actual label is `label`.
  public func support(_ label: Label) -> Int {
    guard let i = index[label] else { return 0 }
    return counts[i].reduce(0, +)
  }

  /// The share of items on the diagonal. Undefined for no items.
  public func accuracy() -> StatResult<Double> {
    guard total > 0 else { return .undefined(reason: "no items") }
    return .defined(Double((0..<labels.count).reduce(0) { $0 + counts[$1][$1] }) / Double(total))
  }

  /// A metric for one label, one-vs-rest. Undefined when its denominator is zero.
  public func metric(_ metric: Metric, for label: Label) throws -> StatResult<Double> {
    guard let i = index[label] else {
      throw StatisticsError("confusion", "label", "'\(label)' is not among the labels \(labels.map(\.description))")
    }
    let (tp, fp, fn, tn) = outcomes(i)
    return Self.rate(metric, tp: tp, fp: fp, fn: fn, tn: tn, label: label.description)
  }

  /// The unweighted mean of a metric over labels (scikit-learn `average="macro"`; a label whose
  /// metric is undefined counts as 0, as scikit-learn's `zero_division=0` does). Undefined for
  /// no labels.
  public func macro(_ metric: Metric) -> StatResult<Double> {
    guard !labels.isEmpty else { return .undefined(reason: "no labels") }
    let values = labels.indices.map { perLabel(metric, $0) }
    return .defined(values.reduce(0, +) / Double(values.count))
  }

  /// The support-weighted mean of a metric (`average="weighted"`). Undefined for no items.
  public func weighted(_ metric: Metric) -> StatResult<Double> {
    guard total > 0 else { return .undefined(reason: "no items") }
    let sum = labels.indices.reduce(0.0) { $0 + perLabel(metric, $1) * Double(counts[$1].reduce(0, +)) }
    return .defined(sum / Double(total))
  }

  /// The metric from counts pooled over labels (`average="micro"`).
  public func micro(_ metric: Metric) -> StatResult<Double> {
    var tp = 0
    var fp = 0
    var fn = 0
    var tn = 0
    for i in labels.indices {
      let outcome = outcomes(i)
      tp += outcome.tp
      fp += outcome.fp
      fn += outcome.fn
      tn += outcome.tn
    }
    return Self.rate(metric, tp: tp, fp: fp, fn: fn, tn: tn, label: "all labels")
  }

  /// Matthews' correlation coefficient, multiclass (scikit-learn `matthews_corrcoef`). Undefined
  /// when either side uses a single label.
  public func mcc() -> StatResult<Double> {
    let t = labels.indices.map { Double(counts[$0].reduce(0, +)) }
    let p = labels.indices.map { j in Double(counts.reduce(0) { $0 + $1[j] }) }
    let c = Double((0..<labels.count).reduce(0) { $0 + counts[$1][$1] })
    let s = Double(total)
    let covariance = c * s - zip(t, p).reduce(0) { $0 + $1.0 * $1.1 }
    let predictedSpread = s * s - p.reduce(0) { $0 + $1 * $1 }
    let actualSpread = s * s - t.reduce(0) { $0 + $1 * $1 }
    guard predictedSpread > 0, actualSpread > 0 else {
      return .undefined(reason: "one side uses a single label: the correlation is undefined")
    }
    return .defined(covariance / (predictedSpread * actualSpread).squareRoot())
  }

  private func outcomes(_ i: Int) -> (tp: Int, fp: Int, fn: Int, tn: Int) {
    let tp = counts[i][i]
    let fn = counts[i].reduce(0, +) - tp
    let fp = counts.reduce(0) { $0 + $1[i] } - tp
    return (tp, fp, fn, total - tp - fn - fp)
  }

  private func perLabel(_ metric: Metric, _ i: Int) -> Double {
    let (tp, fp, fn, tn) = outcomes(i)
    return Self.rate(metric, tp: tp, fp: fp, fn: fn, tn: tn, label: "").value ?? 0
  }

  private static func rate(_ metric: Metric, tp: Int, fp: Int, fn: Int, tn: Int, label: String) -> StatResult<Double> {
    func ratio(_ numerator: Int, _ denominator: Int, _ reason: String) -> StatResult<Double> {
      denominator == 0 ? .undefined(reason: reason) : .defined(Double(numerator) / Double(denominator))
    }
    switch metric {
    case .precision: return ratio(tp, tp + fp, "'\(label)' was never predicted")
    case .recall: return ratio(tp, tp + fn, "'\(label)' never occurs")
    case .fpr: return ratio(fp, fp + tn, "every item is '\(label)': no negatives")
    case .fnr: return ratio(fn, fn + tp, "'\(label)' never occurs")
    case .f1:
      guard 2 * tp + fp + fn > 0 else { return .undefined(reason: "'\(label)' neither occurs nor is predicted") }
      return .defined(Double(2 * tp) / Double(2 * tp + fp + fn))
    }
  }
}
