import Foundation

/// JSON in the `caliper.report` schema (`docs/report-schema.json`): pretty-printed with sorted
/// keys, so the same inputs give the same bytes.
public struct JSONRenderer: ReportRenderer {
  /// `json`.
  public static let formatName = "json"

  /// Creates the renderer (JSON has no options).
  public init(options: RenderOptions = RenderOptions()) {}

  /// The report as JSON text, with a final newline.
  public func render(_ report: Report) throws -> String {
    String(decoding: try ReportJSONEncoder().encode(report), as: UTF8.self) + "\n"
  }
}

extension Report {
  /// Pretty JSON with sorted keys and snake-case names: the same inputs give the same bytes
  /// (those of Foundation's `JSONEncoder` so configured, written by a faster encoder of our own).
  public func json() throws -> Data { Data(try ReportJSONEncoder().encode(self)) }
}
