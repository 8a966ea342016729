import CaliperCore
import Foundation

/// Throughput of the streaming CSV reader on decision-shaped rows (single core), and of the two
/// Swift CSV libraries on the same bytes (yaslab/CSV.swift and SwiftCSV), the figures behind
/// the choice to hand-write the reader (see `CSVReader`).
enum CSVBenchmarks {
  static func run() throws -> Bool {
    let rows = max(1_000, 400_000 / PairedBenchmark.scale)
    var text = "decision_id,item_id,queue,market,vendor,site,moderator_id,enqueued_at,decided_at,handle_seconds,"
    text += "label,ai_label,ai_confidence,ai_assisted,model_version\n"
    for i in 0..<rows {
      text += "d-\(i),i-\(i * 7),jp-video-hate,JP,\"Kaizen BPO, Ltd\",Tokyo-1,m-jp-\(i % 500),"
      text += "2026-07-01T08:01:12Z,2026-07-01T08:15:00Z,41.5,hate_speech,benign,0.62,true,mod-2026.06\n"
    }
    let data = Data(text.utf8)
    var best = Double.infinity
    var fields = 0
    for _ in 0..<5 {
      var reader = CSVReader(data: data, name: "decisions.csv")
      let clock = ContinuousClock()
      let start = clock.now
      fields = 0
      while let record = try reader.next() { fields += record.fields.count }
      let elapsed = clock.now - start
      best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    let megabytes = Double(data.count) / 1_048_576
    print(
      String(
        format:
          "CSV reader: %.1f MB, %d rows, %d fields, best of 5: %.1f MB/s, %.0f rows/s (one core; issue 3 targets 300 MB/s for ingestion on two)",
        megabytes, rows + 1, fields, megabytes / best, Double(rows + 1) / best))
    return try compareLibraries(text, megabytes: megabytes, fields: fields)
  }

  /// The libraries on the same text, best of 3 each, every field read as a `String`; a library
  /// that reads a different number of fields fails the suite.
  static func compareLibraries(_ text: String, megabytes: Double, fields expected: Int) throws -> Bool {
    var agree = true
    func measure(_ name: String, _ read: () throws -> Int) rethrows {
      var best = Double.infinity
      var fields = 0
      for _ in 0..<3 {
        let clock = ContinuousClock()
        let start = clock.now
        fields = try read()
        best = min(best, (clock.now - start).seconds)
      }
      if fields != expected {
        print("\(name): read \(fields) fields, expected \(expected)")
        agree = false
      }
      print(String(format: "%@: best of 3: %.1f MB/s (one core, whole text in memory)", name, megabytes / best))
    }
    try measure("yaslab/CSV.swift 2.5") { try fieldCountWithCSVSwift(text) }
    try measure("SwiftCSV 0.10") { try fieldCountWithSwiftCSV(text) }
    return agree
  }
}
