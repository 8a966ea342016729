import CaliperCore

/// A finding's evidence as labelled fields with units, for people (the JSON keeps the raw
/// name → number map): `lcl = 0.8561` reads `Lower control limit 85.6%`. Names the built-in
/// detectors use have a label and a unit here; any other name (a script's own) is shown with
/// its underscores as spaces and its value as written.
enum EvidenceFields {
  enum Unit {
    case share, count, pValue, number, text
  }

  /// Known evidence names: label and unit.
  static let known: [String: (label: String, unit: Unit)] = [
    "value": ("Value", .share), "n": ("Sample", .count), "centre": ("Centre line", .share),
    "lcl": ("Lower control limit", .share), "ucl": ("Upper control limit", .share), "method": ("Chart", .text),
    "ewma": ("EWMA", .number), "before": ("Before", .share), "now": ("Now", .share),
    "n_before": ("Sample before", .count), "n_now": ("Sample now", .count), "z": ("z", .number),
    "p": ("p-value", .pValue), "p_adjusted": ("p-value (BH-adjusted)", .pValue),
    "vendor_accuracy": ("Vendor QA accuracy", .share), "internal_accuracy": ("Internal QA accuracy", .share),
    "pairs": ("Decisions audited by both", .count), "only_vendor_correct": ("Correct for vendor QA only", .count),
    "only_internal_correct": ("Correct for internal QA only", .count), "group": ("Group", .text),
    "label": ("Label", .text), "recall": ("Recall", .share), "baseline_recall": ("Baseline recall", .share),
    "baseline_n": ("Baseline sample", .count), "baseline": ("Baseline", .text), "share": ("Share", .share),
    "gap": ("Gap", .share), "reported": ("Reported", .share), "measured": ("Measured", .share),
  ]

  /// The evidence in a stable order (known names in table order first), each as label and text.
  static func fields(_ evidence: [String: EvidenceValue]) -> [(label: String, text: String)] {
    evidence.keys.sorted().map { name in
      let value = evidence[name]!
      guard let (label, unit) = known[name] else {
        return (name.replacingOccurrences(of: "_", with: " ").capitalizedFirst, value.description)
      }
      switch (unit, value) {
      case (.share, .number(let number)): return (label, ReadableNumbers.percent(number))
      case (.count, .number(let number)) where number == number.rounded() && abs(number) < 1e15:
        return (label, ReadableNumbers.count(Int(number)))
      case (.pValue, .number(let number)): return (label, ReadableNumbers.pValue(number))
      default: return (label, value.description)
      }
    }
  }
}

extension String {
  /// The text with its first letter upper-cased.
  fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
