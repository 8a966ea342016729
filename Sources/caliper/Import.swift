import ArgumentParser
import CaliperCore
import CaliperSQLite
import CaliperScripting
import Foundation

/// `caliper import --data DIR --into FILE.sqlite`: the data contract as SQLite tables.
struct Import: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a data folder into an SQLite file as typed, indexed tables (`--data FILE.sqlite` reads it).",
    discussion: """
      Every row is checked by the data contract first; the first bad row stops the import naming file, \
      line and column, and nothing is written. With --append, a folder of new days adds its decisions, \
      audits and other events to an existing file and replaces its policies, queues and moderators. \
      Exit codes: 0 imported, 1 bad data, 2 usage error.
      """
  )

  @Option(help: "The data folder to import.")
  var data: String

  @Option(help: "The SQLite file to write.")
  var into: String

  @Flag(help: "Add to an existing file instead of making a new one.")
  var append = false

  func validate() throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: data, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw ValidationError("--data \(data) is not a folder")
    }
  }

  func run() throws {
    let tallies = try DataErrors.exitingOnDataError {
      try SQLiteImporter(folder: URL(fileURLWithPath: data), into: URL(fileURLWithPath: into), append: append).run()
    }
    for tally in tallies {
      let extra =
        tally.extraColumns.isEmpty
        ? "" : " (columns not in the contract, not imported: \(tally.extraColumns.joined(separator: ", ")))"
      print("\(tally.file): \(ReadableNumbers.count(tally.rowsAccepted)) rows\(extra)")
    }
    print("\(append ? "appended to" : "wrote") \(into)")
  }
}
