import CaliperCore
import Foundation

/// The exact CSV reader on any bytes: it returns records or throws, and every record it returns
/// has its fields and a line number that never goes backwards.
struct CSVReaderTarget: FuzzTarget {
  mutating func run(_ input: Data) {
    var reader = CSVReader(data: input, name: "fuzz.csv")
    var line = 0
    while true {
      let record: CSVReader.Record?
      do { record = try reader.next() } catch { return }
      guard let record else { return }
      guard record.line >= line else { fatalError("line numbers went backwards: \(record.line) after \(line)") }
      line = record.line
    }
  }
}
