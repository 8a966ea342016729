// Its own file: yaslab/CSV.swift's `CSVReader` would clash with Caliper's where both are imported.
import CSV

/// Fields of `text` read by yaslab/CSV.swift, each as a `String`.
func fieldCountWithCSVSwift(_ text: String) throws -> Int {
  let reader = try CSVReader(string: text)
  var fields = 0
  while let row = reader.next() { fields += row.count }
  return fields
}
