import ArgumentParser
import CaliperCore
import CaliperScripting
import Foundation

/// `caliper validate --data DIR`: read a data folder against the contract and report.
struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check a data folder against the data contract: bad rows, reconciliation, references.",
    discussion: """
      Strict by default: the first bad row stops the run with file:line:column. With --quarantine DIR, \
      bad rows go to DIR/<file>.rejects.csv with a reason and the run goes on. Exit codes: 0 valid, \
      1 a bad row (strict) or a file error, 2 usage error.
      """
  )

  @OptionGroup var dataOptions: DataOptions

  @Option(help: "Output format: table or json.")
  var format: OutputFormat = .table

  enum OutputFormat: String, ExpressibleByArgument {
    case table, json
  }

  func validate() throws {
    guard dataOptions.isFolder else {
      throw ValidationError(
        "validate reads a data folder: an SQLite file's rows were checked by `caliper import` as they were written")
    }
  }

  func run() throws {
    let report = try DataErrors.exitingOnDataError {
      try DataFolderValidator(folder: URL(fileURLWithPath: dataOptions.data), policy: dataOptions.policy).validate()
    }
    switch format {
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      print(String(decoding: try encoder.encode(report), as: UTF8.self))
    case .table:
      print(ValidationTable.render(report))
    }
  }
}

/// The plain-text summary of a validation report.
enum ValidationTable {
  static func render(_ report: ValidationReport) -> String {
    var lines = ["file                 read  accepted  rejected  extra columns"]
    for file in report.files {
      lines.append(
        file.file.padding(toLength: 18, withPad: " ", startingAt: 0)
          + String(format: "%7d %9d %9d  ", file.rowsRead, file.rowsAccepted, file.rowsRejected)
          + (file.extraColumns.isEmpty ? "-" : file.extraColumns.joined(separator: ", ")))
    }
    if !report.absentFiles.isEmpty { lines.append("absent (optional): " + report.absentFiles.joined(separator: ", ")) }
    lines.append(report.reconciles ? "every file reconciles: read = accepted + rejected" : "RECONCILIATION FAILED")
    if report.findingCounts.isEmpty {
      lines.append("no integrity findings")
    } else {
      lines.append("integrity findings:")
      for (kind, count) in report.findingCounts.sorted(by: { $0.key < $1.key }) {
        lines.append("  \(kind): \(count)")
        for finding in report.findings where finding.kind.rawValue == kind {
          lines.append("    \(finding.location): \(finding.message)")
        }
      }
    }
    return lines.joined(separator: "\n")
  }
}
