/// How bad a wrong decision on a label is. Ordered: `none < minor < major < critical`.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
  /// Not a violation (the benign label).
  case none
  /// A minor violation.
  case minor
  /// A major violation.
  case major
  /// A critical violation (child safety, violent extremism, ...).
  case critical

  private var rank: Int {
    switch self {
    case .none: 0
    case .minor: 1
    case .major: 2
    case .critical: 3
    }
  }

  /// Orders by how bad.
  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A policy label (a row of `policies.csv`) in one policy version.
public struct PolicyLabel: Hashable, Sendable, Codable {
  /// The label moderators and models give, e.g. `hate_speech`.
  public var label: String
  /// How bad a wrong decision on it is.
  public var severity: Severity
  /// The policy version that defines it, e.g. `v7`.
  public var policyVersion: String
  /// The first day the version applies.
  public var effectiveFrom: CalendarDate

  /// Creates a policy label.
  public init(label: String, severity: Severity, policyVersion: String, effectiveFrom: CalendarDate) {
    self.label = label
    self.severity = severity
    self.policyVersion = policyVersion
    self.effectiveFrom = effectiveFrom
  }
}

/// The labels in force, by name: what error severities are computed from.
public struct PolicyBook: Sendable {
  private var byLabel: [String: PolicyLabel] = [:]

  /// Builds the book; for a label defined by several versions, the latest effective one wins.
  public init(_ labels: [PolicyLabel]) {
    for label in labels {
      if let existing = byLabel[label.label], existing.effectiveFrom > label.effectiveFrom { continue }
      byLabel[label.label] = label
    }
  }

  /// The label's definition, if known.
  public subscript(_ label: String) -> PolicyLabel? { byLabel[label] }

  /// Every known label, sorted.
  public var labels: [String] { byLabel.keys.sorted() }

  /// The severity of an error between two labels: the higher of the two labels' severities
  /// (`nil` when either label is unknown: a data-integrity finding, not a guess).
  public func errorSeverity(_ first: String, _ second: String) -> Severity? {
    guard let a = byLabel[first]?.severity, let b = byLabel[second]?.severity else { return nil }
    return max(a, b)
  }
}
