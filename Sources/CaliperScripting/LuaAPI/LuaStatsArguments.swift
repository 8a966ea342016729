import CaliperCore
import LuaKit

/// How `caliper.stats` reads its structured arguments from Lua tables.
enum LuaStatsArguments {
  /// A unit or rater id: a string or an integer.
  struct Identifier: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let integer = try? container.decode(Int64.self) {
        text = String(integer)
      } else if let string = try? container.decode(String.self) {
        text = string
      } else {
        throw LuaError(.conversion, "\(codingPathText(decoder)): expected a string or an integer id")
      }
    }
  }

  /// One row of `ratings`: `{unit=, rater=, value=}`.
  struct RatingRow: Decodable {
    var unit: Identifier
    var rater: Identifier
    var value: Label

    var rating: Rating { Rating(unit: unit.text, rater: rater.text, value: value) }
  }

  /// One stratum: `{name=, size=, p=, n=, k=, min=}`.
  struct StratumRow: Decodable {
    var name: String?
    var size: Int
    var p: Double?
    var n: Int?
    var k: Int?
    var min: Int?

    func stratum(_ position: Int) -> Sampling.Stratum {
      Sampling.Stratum(name: name ?? "stratum \(position)", size: size, p: p, n: n, k: k, minimum: min)
    }
  }

  /// Options of `cohen_kappa`.
  struct KappaOptions: Decodable {
    var weights: String?
    var labels: [Label]?
  }

  /// Options of `ewma`.
  struct EWMAOptions: Decodable {
    var lambda: Double?
    var L: Double?
    var target: Double?
    var sigma: Double?
  }

  /// Options of `cusum`.
  struct CUSUMOptions: Decodable {
    var target: Double?
    var sigma: Double?
    var k: Double?
    var h: Double?
  }

  /// Options of `western_electric`.
  struct CenterOptions: Decodable {
    var center: Double
    var sigma: Double
  }

  /// Decodes argument `position` of `call` as `T`, naming the function in errors.
  static func decode<T: Decodable>(_ type: T.Type, _ call: LuaCall, _ position: Int32, _ name: String) throws -> T {
    let root = "\(call.functionName) \(name)"
    do {
      return try LuaDecoder(rootName: root).decode(type, from: call.stack, at: position)
    } catch DecodingError.typeMismatch(_, let context) {
      let path = context.codingPath.map { $0.intValue.map { "[\($0 + 1)]" } ?? ".\($0.stringValue)" }.joined()
      throw LuaError(.conversion, "\(root)\(path): \(context.debugDescription)")
    }
  }

  /// A label argument read directly from the stack (strings and numbers).
  static func label(_ call: LuaCall, _ position: Int32) throws -> Label {
    if let number = call.stack.number(at: position) { return .number(number) }
    if let text = call.stack.string(at: position) { return .name(text) }
    throw LuaError(
      .conversion,
      "bad argument #\(position) to '\(call.functionName)' (expected a label, got \(call.stack.type(at: position).name))"
    )
  }

  private static func codingPathText(_ decoder: any Decoder) -> String {
    decoder.codingPath.map { $0.intValue.map { "[\($0 + 1)]" } ?? ".\($0.stringValue)" }.joined()
  }
}
