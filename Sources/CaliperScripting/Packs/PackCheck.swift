import Foundation

/// A mistake a pack has before any data is seen: a manifest that cannot be read, a script that
/// does not compile or does not declare what it must. Located at a file (and line when known).
public struct PackProblem: Sendable, Equatable, CustomStringConvertible {
  /// The file, when the problem names one that exists.
  public var file: URL?
  /// The line in `file`, when known.
  public var line: Int?
  /// What is wrong, as the engine reports it (`pack/file:line: ...`).
  public var message: String

  /// `path:line: error: message`, the form compilers print and build tools and editors read.
  public var description: String {
    guard let file else { return "error: \(message)" }
    return "\(file.path):\(line.map { "\($0):" } ?? "") error: \(message)"
  }
}

/// Loads packs as the engine does and lists every problem they have without data: the checks a
/// build runs on bundled packs (`CaliperPackValidator`) and `caliper check` runs by hand.
/// Checks that need data (names a filter uses, a market the data lacks) run with each report.
public enum PackCheck {
  /// Every problem of `roots` and the packs they extend; empty when they all load.
  public static func problems(packs roots: [URL]) -> [PackProblem] {
    let packs: PackSet
    do { packs = try PackSet(roots: roots) } catch {
      return [locate("\(error)", location: (error as? PackError)?.location, in: nil, roots: roots)]
    }
    let host: ScriptHost
    do { host = try ScriptHost(packs: packs, memoryLimit: 512 << 20) } catch {
      return [PackProblem(file: nil, line: nil, message: "the packs could not be loaded: \(error)")]
    }
    var seen = Set<String>()
    return host.loadFailures.compactMap { failure in
      // A base's failure shows once per pack that extends it: report it once.
      guard seen.insert(failure.message).inserted else { return nil }
      return locate(failure.message, location: failure.message, in: packs, roots: roots)
    }
  }

  /// The problem with its file and line: the file from the `pack/file` its message starts with,
  /// the line from the first `pack/file:LINE:` in it (Lua's own position of a syntax or runtime
  /// error follows the location).
  private static func locate(_ message: String, location: String?, in packs: PackSet?, roots: [URL]) -> PackProblem {
    guard let location, let match = location.firstMatch(of: /^([^\/:\s]+)\/([^:\s]+\.lua)/) else {
      return PackProblem(file: nil, line: nil, message: message)
    }
    let (pack, path) = (String(match.1), String(match.2))
    let root = packs?.all[pack]?.root ?? roots.first { $0.lastPathComponent == pack }
    guard let file = root?.appendingPathComponent(path), FileManager.default.fileExists(atPath: file.path) else {
      return PackProblem(file: nil, line: nil, message: message)
    }
    var line: Int?
    var rest = message[...]
    while line == nil, let found = rest.range(of: "\(pack)/\(path):") {
      let digits = rest[found.upperBound...].prefix { $0.isASCII && $0.isNumber }
      if !digits.isEmpty, rest[found.upperBound...].dropFirst(digits.count).first == ":" { line = Int(digits) }
      rest = rest[found.upperBound...]
    }
    return PackProblem(file: file, line: line, message: message)
  }
}
