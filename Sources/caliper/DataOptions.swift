import ArgumentParser
import CaliperCore
import CaliperSQLite
import Foundation

/// `--data DIR|FILE.sqlite` and `--quarantine DIR`: the data (a folder of CSV files, or an
/// SQLite file made by `caliper import`) and what happens to a folder's bad rows, shared by
/// every command that reads data.
struct DataOptions: ParsableArguments {
  @Option(help: "The data: a folder of CSV files (see docs/data-contract.md) or an SQLite file from `caliper import`.")
  var data: String

  @Option(help: "Write bad rows here instead of stopping at the first (a data folder only).")
  var quarantine: String?

  func validate() throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: data, isDirectory: &isDirectory) else {
      throw ValidationError("--data \(data): no such folder or file")
    }
    if !isDirectory.boolValue {
      guard Self.isSQLite(data) else {
        throw ValidationError("--data \(data) is neither a folder nor an SQLite file")
      }
      if quarantine != nil {
        throw ValidationError("--quarantine applies to a data folder; an SQLite file's rows were checked on import")
      }
    }
  }

  /// Whether the file at `path` starts with SQLite's header.
  static func isSQLite(_ path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    return (try? handle.read(upToCount: 16)) == Data("SQLite format 3\u{0}".utf8)
  }

  /// Whether `--data` names a folder.
  var isFolder: Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: data, isDirectory: &isDirectory) && isDirectory.boolValue
  }

  /// The bad-row policy the options select.
  var policy: BadRowPolicy {
    quarantine.map { .quarantine(directory: URL(fileURLWithPath: $0)) } ?? .strict
  }

  /// The data as a source; a folder's file hashes go through `digestCache`, if any.
  func source(digestCache: FileDigestCache? = nil) throws -> any DecisionSource {
    if isFolder {
      return CSVFolderSource(folder: URL(fileURLWithPath: data), policy: policy, digestCache: digestCache)
    }
    return try SQLiteSource(file: URL(fileURLWithPath: data))
  }
}

/// `--pack PACK...`: the packs to run, shared by every command that runs packs.
struct PackOptions: ParsableArguments {
  @Option(name: .customLong("pack"), help: "A pack folder; repeat for several.")
  var packs: [String]

  func validate() throws {
    guard !packs.isEmpty else { throw ValidationError("give at least one --pack") }
  }

  /// The pack folders.
  var urls: [URL] { packs.map { URL(fileURLWithPath: $0) } }
}
