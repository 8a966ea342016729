import Foundation

/// Something a report must draw attention to: from a built-in detector or a script's own rule.
public struct Finding: Sendable, Codable, Equatable {
  /// How urgent: `critical`, `high`, `medium`, `low` or `info`.
  public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case critical, high, medium, low, info

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    /// More urgent first.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
  }

  /// How urgent.
  public var severity: Severity
  /// What it is about: a site, a vendor, a moderator, a market and label.
  public var subject: String
  /// The KPI concerned, if any.
  public var kpi: String?
  /// The period concerned, if any.
  public var period: String?
  /// One sentence for people.
  public var message: String
  /// The numbers behind it (name → value), for the report's evidence column.
  public var evidence: [String: EvidenceValue]
  /// The detector that raised it (`control_chart`, ...), or `script`.
  public var detector: String
  /// The pack and scorecard whose script raised it (filled in by the runner).
  public var pack: String
  /// See `pack`.
  public var scorecard: String
  /// The pack whose code raised it, when that is a hook the running pack inherited from a base
  /// (`nil`: the running pack's own code). Findings of one hook from several packs merge.
  public var origin: String?
  /// The same finding as other packs' runs of the same inherited hook raised it (see
  /// ``FindingMerge``); `nil` when no other pack did.
  public var also: [FindingSource]?

  /// Creates a finding.
  public init(
    severity: Severity, subject: String, kpi: String? = nil, period: String? = nil, message: String,
    evidence: [String: EvidenceValue] = [:], detector: String, pack: String = "", scorecard: String = ""
  ) {
    self.severity = severity
    self.subject = subject
    self.kpi = kpi
    self.period = period
    self.message = message
    self.evidence = evidence
    self.detector = detector
    self.pack = pack
    self.scorecard = scorecard
  }
}

/// A number or a text in a finding's evidence.
public enum EvidenceValue: Sendable, Codable, Equatable, CustomStringConvertible {
  case number(Double)
  case text(String)

  /// Decodes a JSON number or string.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let number = try? container.decode(Double.self) {
      self = .number(number)
    } else {
      self = .text(try container.decode(String.self))
    }
  }

  /// Encodes as a JSON number or string.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .number(let value): try container.encode(value)
    case .text(let value): try container.encode(value)
    }
  }

  /// For tables: numbers with up to 4 decimals.
  public var description: String {
    switch self {
    case .number(let value):
      value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : formatDecimal(value, places: 4)
    case .text(let value): value
    }
  }
}

/// `value` with at most `places` decimals, trailing zeros dropped (no locale).
public func formatDecimal(_ value: Double, places: Int) -> String {
  var text = String(format: "%.\(places)f", value)
  if text.contains(".") {
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
  }
  return text == "-0" ? "0" : text
}

/// Where else a merged finding was raised, with what that run said.
public struct FindingSource: Sendable, Codable, Equatable {
  /// The pack that ran it.
  public var pack: String
  /// Its scorecard or script.
  public var scorecard: String
  /// Its severity there.
  public var severity: Finding.Severity
  /// Its message there (the numbers can differ: a market pack sees only its markets' data).
  public var message: String
  /// Its evidence there.
  public var evidence: [String: EvidenceValue]
}
