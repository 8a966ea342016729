/// A mistake in a pack's declarations, named by pack, file and field path.
public struct PackError: Error, Sendable, CustomStringConvertible {
  /// `pack/file` and the field path, e.g. `jp/scorecards/site.lua: kpis[2].better`.
  public var location: String
  /// What is wrong.
  public var problem: String

  /// `jp/scorecards/site.lua: kpis[2].better: expected "higher" or "lower" (got "up")`.
  public var description: String { "\(location): \(problem)" }
}
