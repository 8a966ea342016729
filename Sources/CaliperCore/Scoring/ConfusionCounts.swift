/// Per-label rates from confusion counts keyed by (truth, predicted): the moderators' labels
/// against QA, or the model's suggestions against QA. Each rate is a `Metric` (a proportion
/// with its Wilson interval), undefined when its denominator is empty.
public struct ConfusionCounts: Sendable {
  /// Counts by (truth, predicted).
  public let cells: Counts<LabelPair<String>>

  /// Wraps counts.
  public init(_ cells: Counts<LabelPair<String>>) { self.cells = cells }

  /// Items counted.
  public var total: Int { cells.total }

  /// Every label seen on either side, sorted.
  public var labels: [String] {
    Array(Set(cells.values.keys.flatMap { [$0.truth, $0.predicted] })).sorted()
  }

  private func sum(_ include: (LabelPair<String>) -> Bool) -> Int {
    cells.values.reduce(0) { include($1.key) ? $0 + $1.value : $0 }
  }

  /// Predicted equals truth, over all items.
  public var accuracy: Metric { .proportion(sum { $0.truth == $0.predicted }, of: total, what: "items") }

  /// Of the items whose truth is `label`, the share predicted `label`.
  public func recall(_ label: String) -> Metric {
    .proportion(
      cells[LabelPair(truth: label, predicted: label)], of: sum { $0.truth == label }, what: "items of \(label)")
  }

  /// Of the items predicted `label`, the share whose truth is `label`.
  public func precision(_ label: String) -> Metric {
    .proportion(
      cells[LabelPair(truth: label, predicted: label)], of: sum { $0.predicted == label },
      what: "items predicted \(label)")
  }

  /// Of the items whose truth is not `label`, the share predicted `label`.
  public func falsePositiveRate(_ label: String) -> Metric {
    .proportion(
      sum { $0.truth != label && $0.predicted == label }, of: sum { $0.truth != label },
      what: "items not of \(label)")
  }

  /// Of the items whose truth is `label`, the share predicted otherwise.
  public func falseNegativeRate(_ label: String) -> Metric {
    .proportion(
      sum { $0.truth == label && $0.predicted != label }, of: sum { $0.truth == label }, what: "items of \(label)")
  }

  /// The harmonic mean of precision and recall (no interval).
  public func f1(_ label: String) -> Metric {
    let p = precision(label)
    let r = recall(label)
    guard let pv = p.value, let rv = r.value else {
      return Metric(undefined: p.reason ?? r.reason ?? "undefined", n: r.n)
    }
    guard pv + rv > 0 else { return Metric(value: 0, n: r.n) }
    return Metric(value: 2 * pv * rv / (pv + rv), n: r.n)
  }

  /// The unweighted mean of a per-label rate over the labels where it is defined.
  public func macro(_ rate: (String) -> Metric) -> Metric {
    let values = labels.compactMap { rate($0).value }
    guard !values.isEmpty else { return Metric(undefined: "no label has a defined value", n: total) }
    return Metric(value: values.reduce(0, +) / Double(values.count), n: total)
  }

  /// The matrix for `caliper.stats` (rows truth, columns predicted, sorted labels).
  public var matrix: ConfusionMatrix {
    let order = labels
    return ConfusionMatrix(
      labels: order.map(Label.name),
      counts: order.map { truth in order.map { cells[LabelPair(truth: truth, predicted: $0)] } })
  }
}
