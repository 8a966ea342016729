/// A mistake in a pack's declarations or a file it may not read, named by pack, file and field
/// path.
public struct PackError: Error, Sendable, CustomStringConvertible {
  /// `pack/file` and the field path, e.g. `jp/scorecards/site.lua: kpis[2].better`.
  public var location: String
  /// What is wrong.
  public var problem: String
  /// Why a file or a reference was refused under the pack-file rule, when that is the mistake
  /// (`nil` for mistakes in what a script declares).
  public var refusal: PackRefusal?

  /// An error at `location` saying `problem`, refused for `refusal` if given.
  public init(location: String, problem: String, refusal: PackRefusal? = nil) {
    self.location = location
    self.problem = problem
    self.refusal = refusal
  }

  /// `jp/scorecards/site.lua: kpis[2].better: expected "higher" or "lower" (got "up")`.
  public var description: String { "\(location): \(problem)" }
}

/// Why the pack-file rule (docs/sandbox.md, "Pack files") refused a file or a reference.
public enum PackRefusal: String, Sendable, Equatable {
  /// The file, or a folder on its path inside the pack, is a symbolic link.
  case symbolicLink
  /// The file is a directory, FIFO, device or socket where a regular file was expected.
  case notRegularFile
  /// The path given does not name a place inside the pack (`..`, absolute, empty segments).
  case outsidePack
  /// There is no such file in the pack.
  case missing
  /// The file is there and regular but could not be opened or read, or is not UTF-8 text.
  case unreadable
  /// The file, or the pack, is past a size bound (`PackFolder.maximumFileBytes`,
  /// `maximumPackBytes`, `maximumEntries`, `maximumDepth`).
  case tooLarge
  /// `extends` is not a plain pack name (it holds `/`, `\`, `..`, or starts with `.` or `~`).
  case extendsNotAName
}
