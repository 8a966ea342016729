import Foundation

/// Numbers as people read them in messages, tables and HTML (JSON keeps the raw numbers): one
/// place, so a p-value or a percentage reads the same in every finding and format.
public enum ReadableNumbers {
  /// The smallest p-value written as a number; below it, `< 1e-12` (a p-value is never 0, and
  /// double precision says nothing finer about tails this thin).
  public static let pValueFloor = 1e-12

  /// `0.0078`, `0.45`, `3.1e-07`, `< 1e-12`: two significant figures, scientific below 1e-4.
  public static func pValue(_ p: Double) -> String {
    guard p.isFinite else { return "undefined" }
    if p < pValueFloor { return "< 1e-12" }
    if p >= 1e-4 {
      // Two significant figures as a decimal: 0.0078 has 4 places, 0.45 has 2, 1 has 0.
      let places = max(0, 1 - Int(floor(log10(p))))
      return formatDecimal(Double(String(format: "%.1e", p))!, places: places)
    }
    let parts = String(format: "%.1e", p).split(separator: "e")
    let exponent = Int(parts[1])!
    return "\(parts[0])e\(exponent < 0 ? "-" : "")\(abs(exponent) < 10 ? "0" : "")\(abs(exponent))"
  }

  /// `p = 0.0078` or `p < 1e-12`, for sentences.
  public static func pClause(_ p: Double) -> String {
    let text = pValue(p)
    return text.hasPrefix("<") ? "p \(text)" : "p = \(text)"
  }

  /// `95.5%`, `100.0%`: a share as a percentage with one decimal.
  public static func percent(_ share: Double) -> String {
    String(format: "%.1f", share * 100).replacingOccurrences(of: "-0.0", with: "0.0") + "%"
  }

  /// `1,204`, `-3,789,000`: a whole number with thousands separators (no locale).
  public static func count(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var grouped = ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
      grouped.append(digit)
    }
    return value < 0 ? "-" + grouped : grouped
  }
}
