import Foundation
import Testing

@testable import CaliperCore

/// `golden.csv` scanned in place gives the golden items the exact reader gives, and bad rows
/// the exact reader's errors and quarantine.
@Suite("Golden scanner")
struct GoldenScannerTests {
  private let header = "item_id,gold_label,policy_version"

  /// Every item as "id label".
  private func flattened(_ parts: [GoldenPart]) -> [String] {
    parts.flatMap { part in
      (0..<part.count).map { index in
        let item = part.withItemID(index) { String(decoding: $0, as: UTF8.self) }
        return "\(item) \(part.labels[Int(part.labelOfItem[index])])"
      }
    }
  }

  private func folder(_ golden: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-golden-scan-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try golden.write(to: folder.appendingPathComponent("golden.csv"), atomically: true, encoding: .utf8)
    return folder
  }

  /// The items as the exact reader decodes them.
  private func exact(
    _ folder: URL, policy: BadRowPolicy = .strict
  ) throws -> (
    items: [String], tally: FileReconciliation
  ) {
    let read = try #require(
      try ContractFileReader(folder: folder, policy: policy).readParts(.golden, decode: GoldenItem.init))
    return (flattened(read.parts.map(GoldenScanner.part)), read.tally)
  }

  @Test(arguments: [1, 2, 3])
  func scannedItemsEqualTheExactReadersWhateverTheSplit(workers: Int) throws {
    // Columns in another order than the contract's, an extra one, quoted fields with commas,
    // quotes and line ends, non-ASCII ids, an item given twice, CRLF line ends for 2 workers.
    var lines = ["policy_version,note,gold_label,item_id"]
    let labels = ["spam", "hate_speech", "benign", "\"scam,fraud\""]
    for index in 0..<600 {
      let id = index % 17 == 0 ? "\"it\"\"em-\(index)\"" : index % 19 == 0 ? "項目-\(index)" : "item-\(index % 550)"
      let note = index % 11 == 0 ? "\"two\nlines\"" : "n\(index)"
      lines.append("v\(1 + index % 3),\(note),\(labels[index % 4]),\(id)")
    }
    let folder = try folder(lines.joined(separator: workers == 2 ? "\r\n" : "\n") + "\n")
    defer { try? FileManager.default.removeItem(at: folder) }
    let read = try #require(try ContractFileReader(folder: folder).goldenParts(workers: workers))
    let expected = try exact(folder)
    #expect(flattened(read.parts) == expected.items)
    #expect(read.tally == expected.tally)
    #expect(read.tally.rowsAccepted == 600 && read.tally.extraColumns == ["note"])
    // The scanner read every part itself (the exact reader did not stand in for it).
    let parts = try #require(try ContractFileReader(folder: folder).recordParts(.golden, parts: workers))
    let scanner = GoldenScanner(header: parts.header)
    let scanned = try parts.parts.map { part in
      try #require(parts.data.withUnsafeBytes { scanner.scan(UnsafeRawBufferPointer(rebasing: $0[part.range])) })
    }
    #expect(flattened(scanned) == expected.items)
  }

  /// The join keeps the last label of an item given twice, as it did from the exact reader's
  /// items, and the same items whichever reader read them.
  @Test func theJoinKeepsTheLastLabelOfAnItem() throws {
    let folder = try folder(header + "\ni1,spam,v1\ni2,benign,v1\ni1,hate_speech,v2\n")
    defer { try? FileManager.default.removeItem(at: folder) }
    try "label,severity,policy_version,effective_from\nspam,minor,v1,2026-06-01\nhate_speech,critical,v1,2026-06-01\n"
      .write(to: folder.appendingPathComponent("policies.csv"), atomically: true, encoding: .utf8)
    let reference = try ReferenceData(folder: folder, policy: .strict)
    let gold = { (id: String) -> String? in
      var id = id
      return id.withUTF8 { reference.goldLabel(of: UnsafeRawBufferPointer($0)) }.map { reference.joinLabels[Int($0)] }
    }
    #expect(gold("i1") == "hate_speech")
    #expect(gold("i2") == "benign")
    #expect(gold("i3") == nil)
  }

  @Test(arguments: [
    (",spam,v1", "golden.csv:2:1: item_id"),
    ("i1,,v1", "golden.csv:2:2: gold_label"),
    ("i1,spam,", "golden.csv:2:3: policy_version"),
  ])
  func aBadItemGetsTheExactReadersError(line: String, error: String) throws {
    let folder = try folder(header + "\n" + line + "\n")
    defer { try? FileManager.default.removeItem(at: folder) }
    let parts = try #require(try ContractFileReader(folder: folder).recordParts(.golden, parts: 1))
    let scanned = parts.data.withUnsafeBytes {
      GoldenScanner(header: parts.header).scan(UnsafeRawBufferPointer(rebasing: $0[parts.parts[0].range]))
    }
    #expect(scanned == nil)
    let thrown = #expect(throws: IngestionError.self) { try ContractFileReader(folder: folder).goldenParts() }
    #expect(thrown?.description.hasPrefix(error) == true, "\(thrown?.description ?? "")")
  }

  /// Under a quarantine, items with empty values are quarantined in place: the same items,
  /// reconciliation and rejects file as the exact reader's, whatever the split; a stray quote
  /// (a syntax error) goes to the exact reader, with the same outcome.
  @Test(arguments: [1, 2, 3])
  func badItemsAreQuarantinedInPlaceAsTheExactReaderDoes(workers: Int) throws {
    var lines = [header]
    for index in 0..<300 { lines.append("item-\(index),spam,v1") }
    for (offset, line) in [",spam,v1", "i1,,v1", "i1,spam,", "i1,spam,v1,extra", ""].enumerated() {
      lines[10 + offset * 50] = line
    }
    let clean = lines.joined(separator: "\n") + "\n"
    lines[280] = "item-x,sp\"am,v1"
    let stray = lines.joined(separator: "\n") + "\n"
    for text in [clean, stray] {
      let folder = try folder(text)
      defer { try? FileManager.default.removeItem(at: folder) }
      let (fastRejects, exactRejects) = (folder.appendingPathComponent("fast"), folder.appendingPathComponent("exact"))
      let fast = try #require(
        try ContractFileReader(folder: folder, policy: .quarantine(directory: fastRejects)).goldenParts(
          workers: workers))
      let expected = try exact(folder, policy: .quarantine(directory: exactRejects))
      #expect(flattened(fast.parts) == expected.items)
      #expect(fast.tally == expected.tally)
      #expect(fast.tally.rowsRejected == (text == clean ? 5 : 6))
      let name = "golden.csv.rejects.csv"
      let fastFile = try String(contentsOf: fastRejects.appendingPathComponent(name), encoding: .utf8)
      #expect(fastFile == (try String(contentsOf: exactRejects.appendingPathComponent(name), encoding: .utf8)))
    }
  }
}
