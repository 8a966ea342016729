import ArgumentParser
import CaliperCore
import Foundation

/// `--data DIR` and `--quarantine DIR`: the data folder and what happens to its bad rows, shared
/// by every command that reads data.
struct DataOptions: ParsableArguments {
  @Option(help: "The data folder (see docs/data-contract.md).")
  var data: String

  @Option(help: "Write bad rows here instead of stopping at the first.")
  var quarantine: String?

  func validate() throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: data, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw ValidationError("--data \(data) is not a folder")
    }
  }

  /// The bad-row policy the options select.
  var policy: BadRowPolicy {
    quarantine.map { .quarantine(directory: URL(fileURLWithPath: $0)) } ?? .strict
  }

  /// The data folder as a source.
  var source: CSVFolderSource { CSVFolderSource(folder: URL(fileURLWithPath: data), policy: policy) }
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
