/// What every output format is given besides the report.
public struct RenderOptions: Sendable, Equatable {
  /// Whether to colour bands with terminal escapes (the table format, on a terminal).
  public var colour: Bool
  /// Rows shown per scorecard in formats meant for reading (worst first); `nil`: all.
  public var rowLimit: Int?

  /// Creates options.
  public init(colour: Bool = false, rowLimit: Int? = nil) {
    self.colour = colour
    self.rowLimit = rowLimit
  }
}

/// One output format of a ``Report``: a new format is a new file beside this one, conforming,
/// and one entry in ``ReportFormat/renderers``.
public protocol ReportRenderer: Sendable {
  /// The format's name on the command line (`--format NAME`).
  static var formatName: String { get }
  /// Creates the renderer with the caller's options.
  init(options: RenderOptions)
  /// The whole report in this format.
  func render(_ report: Report) throws -> String
}

/// The report formats, by the name users type.
public enum ReportFormat {
  /// Every renderer, in the order `--help` lists them.
  public static let renderers: [any ReportRenderer.Type] = [
    TableRenderer.self, JSONRenderer.self, CSVRenderer.self, HTMLRenderer.self,
  ]

  /// The names of every format.
  public static var names: [String] { renderers.map { $0.formatName } }

  /// The renderer for `name` with `options`; `nil` for an unknown name.
  public static func renderer(named name: String, options: RenderOptions = RenderOptions()) -> (any ReportRenderer)? {
    renderers.first { $0.formatName == name }.map { $0.init(options: options) }
  }
}
