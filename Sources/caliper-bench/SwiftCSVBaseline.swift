// Its own file: SwiftCSV's `CSV` would clash with yaslab/CSV.swift's module name where both are imported.
import SwiftCSV

/// Fields of `text` (header included) read by SwiftCSV, each as a `String`.
func fieldCountWithSwiftCSV(_ text: String) throws -> Int {
  let csv = try CSV<Enumerated>(string: text, delimiter: .comma, loadColumns: false)
  return csv.header.count + csv.rows.reduce(0) { $0 + $1.count }
}
