import Foundation
import Testing

@testable import CaliperCore

/// The decisions pass: fast path = exact reader, mergeable states, errors and reconciliation.
@Suite("Decisions pass and mergeable aggregates")
struct AggregationTests {
  static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Examples/data")

  static let groupings = [
    Grouping(grain: .site, period: .week), Grouping(grain: .vendor, period: .month),
    Grouping(grain: .moderator, period: .day), Grouping(grain: .label, period: .week),
    Grouping(
      grain: .queue, period: .week,
      filter: {
        var f = RowFilter(); f.markets = ["JP", "TH"]; return f
      }()),
    Grouping(
      grain: .market, period: .week,
      filter: {
        var f = RowFilter(); f.linesOfBusiness = ["ads"]; return f
      }()),
  ]

  /// A folder holding Examples/data's reference files and `decisions` as decisions.csv.
  func folder(decisions: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-pass-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for file in try FileManager.default.contentsOfDirectory(atPath: Self.examples.path) where file != "decisions.csv" {
      try FileManager.default.copyItem(
        at: Self.examples.appendingPathComponent(file), to: folder.appendingPathComponent(file))
    }
    try decisions.write(to: folder.appendingPathComponent("decisions.csv"), atomically: true, encoding: .utf8)
    return folder
  }

  func run(
    _ folder: URL, workers: Int = 2, blockSize: Int = 8 << 20, policy: BadRowPolicy = .strict
  ) throws
    -> DecisionPassResult<NoSink>
  {
    var pass = DecisionPass(folder: folder, policy: policy, groupings: Self.groupings)
    pass.workers = workers
    pass.blockSize = blockSize
    return try pass.run(reference: try ReferenceData(folder: folder, policy: policy)) { _ in NoSink() }
  }

  var exampleDecisions: String {
    get throws { try String(contentsOf: Self.examples.appendingPathComponent("decisions.csv"), encoding: .utf8) }
  }

  @Test func fastPathAndExactReaderAgreeOnEveryGroup() throws {
    let fast = try run(Self.examples, workers: 2, blockSize: 4_096)
    var exactPass = DecisionPass(folder: Self.examples, groupings: Self.groupings)
    exactPass.forceExactReader = true
    let exact = try exactPass.run(reference: try ReferenceData(folder: Self.examples, policy: .strict)) { _ in NoSink()
    }
    #expect(fast.usedFastPath)
    #expect(!exact.usedFastPath)
    #expect(fast.reconciliation == exact.reconciliation)
    #expect(fast.reconciliation.rowsRead == 60_000)
    for index in Self.groupings.indices {
      #expect(fast.tables[index] == exact.tables[index], "grouping \(Self.groupings[index].grain)")
      #expect(!fast.tables[index].isEmpty)
    }
    let sites = fast.tables[0]
    #expect(sites.values.reduce(0) { $0 + $1.decisions } == 60_000)
    let filtered = fast.tables[4].values.flatMap(\.context.markets)
    #expect(Set(filtered) == ["JP", "TH"])
  }

  @Test func splittingTheInputAndMergingGivesTheOnePassResult() throws {
    let lines = try exampleDecisions.split(separator: "\n", omittingEmptySubsequences: false)
    let header = lines[0]
    let rows = lines.dropFirst().filter { !$0.isEmpty }
    let firstHalf = try folder(decisions: ([header] + rows.prefix(3_333)).joined(separator: "\n") + "\n")
    let secondHalf = try folder(decisions: ([header] + rows.dropFirst(3_333)).joined(separator: "\n") + "\n")
    defer {
      try? FileManager.default.removeItem(at: firstHalf)
      try? FileManager.default.removeItem(at: secondHalf)
    }
    let whole = try run(Self.examples)
    let parts = [try run(firstHalf, workers: 1), try run(secondHalf, workers: 2)]
    for index in Self.groupings.indices {
      // Serialise each part's states, read them back, and merge: the one-pass result.
      var merged = AggregateTable(grouping: Self.groupings[index], groups: [:])
      for part in parts {
        let table = AggregateTable(grouping: Self.groupings[index], groups: part.tables[index])
        let decoded = try JSONDecoder().decode(AggregateTable.self, from: try table.json())
        #expect(decoded == table)
        try merged.merge(decoded)
      }
      #expect(merged.groups == whole.tables[index])
    }
  }

  @Test func aggregateJSONIsByteStable() throws {
    let first = AggregateTable(grouping: Self.groupings[0], groups: try run(Self.examples, workers: 1).tables[0])
    let second = AggregateTable(grouping: Self.groupings[0], groups: try run(Self.examples, workers: 2).tables[0])
    #expect(try first.json() == second.json())
    let text = String(decoding: try first.json(), as: UTF8.self)
    #expect(text.contains("\"grain\" : \"site\""))
  }

  @Test func mergingDifferentGroupingsIsAnError() throws {
    var table = AggregateTable(grouping: Self.groupings[0], groups: [:])
    let other = AggregateTable(grouping: Self.groupings[1], groups: [:])
    let error = #expect(throws: AggregationError.self) { try table.merge(other) }
    #expect(error?.description.contains("site") == true)
  }

  @Test func quotedFieldsAndCRLFTakeTheFastPathWithTheSameValues() throws {
    let text = """
      decision_id,item_id,queue,market,vendor,site,moderator_id,enqueued_at,decided_at,handle_seconds,label,ai_label,ai_confidence,ai_assisted,model_version\r
      d-1,i-1,jp-video,JP,"Kaizen ""BPO"", Ltd","Osaka
      2",m-1,2026-07-01T08:00:00Z,2026-07-01T08:10:00Z,12.25,spam,spam,0.5,true,m1\r
      d-2,i-2,jp-video,JP,Kaizen BPO,Tokyo-1,m-2,2026-07-01T08:00:00Z,2026-07-01T10:00:00Z,1e1,spam,,,false,\r

      """
    let folder = try folder(decisions: text)
    defer { try? FileManager.default.removeItem(at: folder) }
    let fast = try run(folder, workers: 2, blockSize: 64)
    var exactPass = DecisionPass(folder: folder, groupings: Self.groupings)
    exactPass.forceExactReader = true
    let exact = try exactPass.run(reference: try ReferenceData(folder: folder, policy: .strict)) { _ in NoSink() }
    #expect(fast.usedFastPath)
    #expect(fast.reconciliation.rowsRead == 2)
    #expect(fast.tables == exact.tables)
    let vendors = Set(fast.tables[1].keys.map(\.group))
    #expect(vendors == ["Kaizen \"BPO\", Ltd", "Kaizen BPO"])
    #expect(fast.tables[0].keys.contains { $0.group == "Osaka\n2" })
    let jp = fast.tables[0].values.reduce(into: GroupAggregate()) { $0.merge($1) }
    #expect(jp.handle.millisTotal == 22_250)
    #expect(jp.sla.measured == 2)
    #expect(jp.sla.within == 1)  // jp-video's SLA is 3600 s
  }

  @Test func multibyteTextTakesTheFastPathAndInvalidBytesOrStrayQuotesGiveTheExactError() throws {
    let header =
      "decision_id,item_id,queue,market,vendor,site,moderator_id,enqueued_at,decided_at,handle_seconds,label,ai_label,ai_confidence,ai_assisted,model_version\n"
    let row = { (vendor: String, site: String) in
      "d-1,i-1,jp-video,JP,\(vendor),\(site),m-1,2026-07-01T08:00:00Z,2026-07-01T08:10:00Z,12.25,spam,spam,0.5,true,m1\n"
    }
    // Names long enough that the 16-bytes-at-a-time scan sees the multibyte characters.
    let good = try folder(decisions: header + row("Kaizen BPO 株式会社 Ōsaka", "大阪第二サイト-2") + row("Kaizen BPO", "Tokyo-1"))
    defer { try? FileManager.default.removeItem(at: good) }
    let fast = try run(good, workers: 2, blockSize: 64)
    #expect(fast.usedFastPath)
    #expect(Set(fast.tables[0].keys.map(\.group)) == ["大阪第二サイト-2", "Tokyo-1"])
    #expect(Set(fast.tables[1].keys.map(\.group)) == ["Kaizen BPO 株式会社 Ōsaka", "Kaizen BPO"])

    var invalid = Data((header + row("Kaizen BPO", "Tokyo-1")).utf8)
    invalid += Data("d-2,i-2,jp-video,JP,Kaizen BPO Limited".utf8) + Data([0xFF])
    invalid += Data(",Tokyo-1,m-1,2026-07-01T08:00:00Z,2026-07-01T08:10:00Z,1,spam,,,false,\n".utf8)
    let bad = try folder(decisions: "")
    defer { try? FileManager.default.removeItem(at: bad) }
    try invalid.write(to: bad.appendingPathComponent("decisions.csv"))
    let utf8 = #expect(throws: (any Error).self) { try run(bad) }
    #expect("\(utf8.map { "\($0)" } ?? "")".contains("decisions.csv:3:"), "\(String(describing: utf8))")
    #expect("\(utf8.map { "\($0)" } ?? "")".contains("invalid UTF-8"), "\(String(describing: utf8))")

    let quoted = try folder(decisions: header + row("Kaizen BPO Limited\"x", "Tokyo-1"))
    defer { try? FileManager.default.removeItem(at: quoted) }
    let stray = #expect(throws: (any Error).self) { try run(quoted) }
    #expect("\(stray.map { "\($0)" } ?? "")".contains("decisions.csv:2:"), "\(String(describing: stray))")
  }

  /// Runs `folder` with the fast path and with the exact reader: the same tables, or the
  /// same error. Returns whether the runs succeeded.
  @discardableResult
  func expectFastEqualsExact(_ folder: URL, _ note: String) throws -> Bool {
    var exactPass = DecisionPass(folder: folder, groupings: Self.groupings)
    exactPass.forceExactReader = true
    let reference = try ReferenceData(folder: folder, policy: .strict)
    let exact = Result { try exactPass.run(reference: reference) { _ in NoSink() } }
    let fast = Result { try run(folder, workers: 2, blockSize: 256) }
    switch (fast, exact) {
    case (.success(let fast), .success(let exact)):
      #expect(fast.usedFastPath, "\(note)")
      #expect(fast.reconciliation == exact.reconciliation, "\(note)")
      for index in Self.groupings.indices { #expect(fast.tables[index] == exact.tables[index], "\(note)") }
      return true
    case (.failure(let fast), .failure(let exact)):
      #expect("\(fast)" == "\(exact)", "\(note)")
      return false
    default:
      Issue.record("fast \(fast) but exact \(exact): \(note)")
      return false
    }
  }

  @Test(arguments: 0..<12)
  func randomNamesAroundTheScanWidthGiveTheExactReadersResult(seed: Int) throws {
    var generator = SeededGenerator(seed: UInt64(200 + seed))
    let header =
      "decision_id,item_id,queue,market,vendor,site,moderator_id,enqueued_at,decided_at,handle_seconds,label,ai_label,ai_confidence,ai_assisted,model_version\n"
    // ASCII, two- and three-byte characters, and (in odd seeds) one invalid byte somewhere.
    let pieces: [[UInt8]] = [Array("a".utf8), Array("Z".utf8), Array(" ".utf8), Array("é".utf8), Array("大".utf8)]
    func name() -> [UInt8] {
      let length = [0, 1, 7, 14, 15, 16, 17, 31, 32, 33, 40][generator.index(below: 11)]
      var bytes: [UInt8] = []
      while bytes.count < length { bytes += pieces[generator.index(below: pieces.count)] }
      return bytes.isEmpty ? Array("x".utf8) : bytes
    }
    var text = Data(header.utf8)
    for row in 0..<60 {
      var vendor = name()
      if seed % 2 == 1, row == 41 { vendor.insert(0xFF, at: generator.index(below: vendor.count + 1)) }
      text += Data("d-\(row),i-\(row),jp-video,JP,".utf8) + Data(vendor) + Data(",".utf8) + Data(name())
      text += Data(",m-1,2026-07-01T08:00:00Z,2026-07-01T08:10:00Z,12.25,spam,spam,0.5,true,m1\n".utf8)
    }
    let folder = try folder(decisions: "")
    defer { try? FileManager.default.removeItem(at: folder) }
    try text.write(to: folder.appendingPathComponent("decisions.csv"))
    let succeeded = try expectFastEqualsExact(folder, "seed \(seed)")
    #expect(succeeded == (seed % 2 == 0), "an invalid byte fails the run, and only that")
  }

  @Test func aBadRowStopsStrictRunsWithTheExactReadersErrorAndIsQuarantinedOtherwise() throws {
    var lines = try exampleDecisions.split(separator: "\n").map(String.init)
    lines[5_000] = lines[5_000].replacingOccurrences(of: "T", with: " ")
    let folder = try folder(decisions: lines.joined(separator: "\n") + "\n")
    defer { try? FileManager.default.removeItem(at: folder) }
    let error = #expect(throws: IngestionError.self) { try run(folder) }
    #expect(error?.description.hasPrefix("decisions.csv:5001:") == true)
    #expect(error?.description.contains("expected an ISO 8601 UTC timestamp") == true)

    let rejects = folder.appendingPathComponent("rejects")
    let quarantined = try run(folder, policy: .quarantine(directory: rejects))
    #expect(quarantined.usedFastPath)  // the row is quarantined in place (InPlaceQuarantineTests)
    #expect(quarantined.reconciliation.rowsRead == 60_000)
    #expect(quarantined.reconciliation.rowsAccepted == 59_999)
    #expect(quarantined.reconciliation.rowsRejected == 1)
    #expect(quarantined.tables[0].values.reduce(0) { $0 + $1.decisions } == 59_999)
    let rejected = try String(contentsOf: rejects.appendingPathComponent("decisions.csv.rejects.csv"), encoding: .utf8)
    #expect(rejected.contains(lines[5_000]))
  }

  @Test func headerOnlyAndMissingColumns() throws {
    let header = try exampleDecisions.split(separator: "\n")[0]
    let headerOnly = try folder(decisions: header + "\n")
    defer { try? FileManager.default.removeItem(at: headerOnly) }
    let result = try run(headerOnly)
    #expect(result.reconciliation.rowsRead == 0)
    #expect(result.tables.allSatisfy { $0.isEmpty })

    let missing = try folder(decisions: "decision_id,item_id\nd1,i1\n")
    defer { try? FileManager.default.removeItem(at: missing) }
    let error = #expect(throws: IngestionError.self) { try run(missing) }
    #expect(error?.description == "decisions.csv:1: missing required column 'queue' (got \"decision_id,item_id\")")
  }
}

@Suite("Fast field parsing and record boundaries")
struct FastParsingTests {
  @Test func numbersMatchDoubleParsingExactly() {
    var generator = SeededGenerator(seed: 7)
    var cases = ["0", "-0", "1.", ".5", "-.5", "36.5", "1e3", "+1", "-", ".", "", "0x1p3", "nan", "inf", "1.2.3"]
    cases += ["123456789012345", "1234567890123456", "0.1", "0.000000000000001", "99999999999999.9"]
    for _ in 0..<2_000 {
      let digits = Int(generator.index(below: 12)) + 1
      let point = Int(generator.index(below: digits + 1))
      var text = (0..<digits).map { _ in String(generator.index(below: 10)) }.joined()
      text.insert(".", at: text.index(text.startIndex, offsetBy: point))
      cases.append(generator.index(below: 4) == 0 ? "-" + text : text)
    }
    for text in cases {
      // Double(String) for every decimal; the contract's grammar refuses hex floats, NaN and
      // infinities (and anything after a NUL) on both paths.
      let expected = text.contains("x") ? nil : Double(text).flatMap { $0.isFinite ? $0 : nil }
      var copy = text
      let got = copy.withUTF8 { FieldParsing.number(UnsafeRawBufferPointer($0)) }
      #expect(got?.bitPattern == expected?.bitPattern, "\(text)")
    }
  }

  @Test func rememberedDatesGiveTheExactReadersTimestamps() {
    // Thousands of distinct days (many sharing a slot of the table), leap days, and impossible
    // dates read right after a valid one, in random order and each many times.
    var generator = SeededGenerator(seed: 29)
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    var texts = ["2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "1900-02-29T12:00:00Z", "2000-02-29T23:59:59Z"]
    texts += ["2026-04-31T08:00:00Z", "2026-13-01T08:00:00Z", "2026-07-01T24:00:00Z", "0000-01-01T00:00:00Z"]
    texts += ["9999-12-31T23:59:59Z", "2026-07-01T08:15:00z", "2026-07-01 08:15:00Z", "2026-07-0aT08:15:00Z"]
    // Every day of every month of 40 years (impossible ones such as 02-30 included): the same
    // day of years two apart shares a slot of the table, and is read in between.
    for year in 2_000..<2_040 {
      for month in 1...12 {
        for day in 1...31 {
          let (hour, minute, second) = (
            generator.index(below: 24), generator.index(below: 60), generator.index(below: 60)
          )
          texts.append("\(year)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))Z")
        }
      }
    }
    var dates = DateCache()
    var checked = 0
    for _ in 0..<60_000 {
      var text = texts[generator.index(below: texts.count)]
      let expected = text.withUTF8 { FieldParsing.timestamp(UnsafeRawBufferPointer($0))?.secondsSinceEpoch }
      let got = text.withUTF8 { dates.timestamp(UnsafeRawBufferPointer($0)) }
      #expect(got == expected, "\(text)")
      if expected != nil { checked += 1 }
    }
    #expect(checked > 50_000)  // most of the generated dates exist
  }

  @Test func internedIdsMatchADictionaryForStringsThatShareWords() {
    // Strings of every length up to 20 over a two-letter alphabet: many share their first and
    // last words, which is where the short-string cache could confuse them.
    var generator = SeededGenerator(seed: 13)
    var interner = ByteInterner(capacity: 16)
    var expected: [[UInt8]: Int32] = [:]
    for _ in 0..<40_000 {
      let length = Int(generator.index(below: 21))
      let bytes = (0..<length).map { _ in generator.index(below: 2) == 0 ? UInt8(ascii: "a") : UInt8(ascii: "b") }
      let id = bytes.withUnsafeBytes { interner.intern($0) }
      if let known = expected[bytes] {
        #expect(id == known, "\(String(decoding: bytes, as: UTF8.self))")
      } else {
        #expect(Int(id) == expected.count)
        expected[bytes] = id
      }
    }
    #expect(interner.count == expected.count)
    for (bytes, id) in expected { #expect(interner.string(id) == String(decoding: bytes, as: UTF8.self)) }
  }

  @Test func splitsFallOnRecordEndsOutsideQuotes() {
    let text = Array("a,\"x\ny\"\nb,\"p\"\"\nq\"\nc,d\ne,f\n".utf8)
    text.withUnsafeBytes { bytes in
      #expect(RecordBoundaries.firstRecordEnd(in: bytes) == 8)
      // Planning a block from per-slice quote counts: the usable part ends at the last record
      // end (all of it at the end of the file), and chunks start at record starts.
      for end in [12, 20, bytes.count] {
        let region = UnsafeRawBufferPointer(rebasing: bytes[0..<end])
        for slices in 1...5 {
          let counts = (0..<slices).map {
            RecordBoundaries.quotes(
              in: UnsafeRawBufferPointer(rebasing: region[RecordBoundaries.slice($0, of: slices, in: end)]))
          }
          let plan = RecordBoundaries.plan(region, sliceCounts: counts, atEnd: false)
          #expect(plan.usable == [12: 8, 20: 18, bytes.count: bytes.count][end], "end \(end)")
          #expect(plan.chunks.first?.lowerBound == 0)
          #expect(plan.chunks.last?.upperBound == plan.usable)
          #expect(plan.chunks.count <= slices)
          for chunk in plan.chunks.dropFirst() { #expect([8, 18, 22].contains(chunk.lowerBound), "\(chunk)") }
          #expect(RecordBoundaries.plan(region, sliceCounts: counts, atEnd: true).usable == end)
        }
      }
      let open = Array("a,\"x\ny".utf8)  // no record ends: nothing usable until more is read
      open.withUnsafeBytes {
        #expect(RecordBoundaries.plan($0, sliceCounts: [RecordBoundaries.quotes(in: $0)], atEnd: false).usable == 0)
      }
    }
  }

  @Test func quantileSketchStaysWithinOnePercent() {
    var generator = SeededGenerator(seed: 3)
    var values: [Int64] = []
    var sketch = QuantileSketch()
    for _ in 0..<20_000 {
      let value = Int64(1_000 + generator.index(below: 600_000))
      values.append(value)
      sketch.add(milliseconds: value)
    }
    values.sort()
    for q in [0.0, 0.1, 0.5, 0.9, 0.99, 1.0] {
      let exact = Double(values[Int((q * Double(values.count - 1)).rounded(.down))])
      let estimate = sketch.quantile(q)!
      #expect(abs(estimate - exact) / exact <= 0.0101, "q=\(q): \(estimate) vs \(exact)")
    }
    #expect(QuantileSketch().quantile(0.5) == nil)
  }

  @Test func quantileSketchesMergeToTheOnePassSketchAndRoundTrip() throws {
    var generator = SeededGenerator(seed: 5)
    let values = (0..<3_000).map { _ in Int64(generator.index(below: 4)) * Int64(generator.index(below: 900_000)) }
    var whole = QuantileSketch()
    values.forEach { whole.add(milliseconds: $0) }
    // Parts with disjoint and overlapping ranges, merged in both orders.
    var low = QuantileSketch()
    var high = QuantileSketch()
    for value in values { if value < 200_000 { low.add(milliseconds: value) } else { high.add(milliseconds: value) } }
    var lowFirst = low
    lowFirst.merge(high)
    var highFirst = high
    highFirst.merge(low)
    highFirst.merge(QuantileSketch())
    #expect(lowFirst == whole)
    #expect(highFirst == whole)
    #expect(whole.zeros > 0)
    #expect(whole.count == values.count)

    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let json = try encoder.encode(whole)
    #expect(try JSONDecoder().decode(QuantileSketch.self, from: json) == whole)
    #expect(String(decoding: json, as: UTF8.self).hasPrefix("{\"buckets\":[{\"count\":1,\"key\":150}"))
    for corrupt in [
      #"{"buckets":[{"key":-5,"count":1}],"zeros":0}"#, #"{"buckets":[{"key":40,"count":-1}],"zeros":0}"#,
    ] {
      #expect(throws: DecodingError.self) { try JSONDecoder().decode(QuantileSketch.self, from: Data(corrupt.utf8)) }
    }
  }
}

@Suite("Quote counting")
struct QuoteCountingTests {
  @Test func vectorCountMatchesAByteLoop() {
    var generator = SeededGenerator(seed: 11)
    let alphabet: [UInt8] = [0x22, 0xA2, 0x00, 0x21, 0x23, 0xFF, 0x2C]
    // Around the vector width, and around 255 vectors (where byte lanes are widened).
    for length in [0, 1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 1_000, 8_159, 8_160, 8_161, 8_192, 20_000] {
      let bytes: [UInt8] = (0..<length).map { _ in alphabet[generator.index(below: alphabet.count)] }
      let expected = bytes.filter { $0 == 0x22 }.count
      let counted = bytes.withUnsafeBytes { RecordBoundaries.quotes(in: $0) }
      #expect(counted == expected, "length \(length)")
    }
    // All quotes: every byte lane reaches 255 before it is widened.
    let allQuotes = [UInt8](repeating: 0x22, count: 3 * 8_160 + 5)
    #expect(allQuotes.withUnsafeBytes { RecordBoundaries.quotes(in: $0) } == allQuotes.count)
  }
}

@Suite("Parallel reading of reference files")
struct ParallelFileReaderTests {
  @Test func partsGiveTheSerialRowsAndTheSerialFirstError() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-parallel-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let source = AggregationTests.examples.appendingPathComponent("qa_audits.csv")
    var lines = try String(contentsOf: source, encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(lines.count > 3_000)
    let target = folder.appendingPathComponent("qa_audits.csv")
    try (lines.joined(separator: "\n") + "\n").write(to: target, atomically: true, encoding: .utf8)
    let reader = ContractFileReader(folder: folder)
    var serial: [QAAudit] = []
    _ = try reader.read(.qaAudits, decode: QAAudit.init) { serial.append($0) }
    for workers in [1, 2, 3, 8] {
      let parallel = try #require(try reader.readAll(.qaAudits, workers: workers, decode: QAAudit.init))
      #expect(parallel.rows == serial)
      #expect(parallel.tally.rowsRead == serial.count)
    }
    // Two bad rows: both readers stop at the first, with the same text.
    lines[2_500] = lines[2_500].replacingOccurrences(of: "internal", with: "outsourced")
    lines[1_200] = lines[1_200].replacingOccurrences(of: "false", with: "maybe")
    try (lines.joined(separator: "\n") + "\n").write(to: target, atomically: true, encoding: .utf8)
    let serialError = #expect(throws: IngestionError.self) { try reader.read(.qaAudits, decode: QAAudit.init) { _ in } }
    let parallelError = #expect(throws: IngestionError.self) {
      try reader.readAll(.qaAudits, workers: 3, decode: QAAudit.init)
    }
    #expect(serialError?.description.hasPrefix("qa_audits.csv:1201:") == true)
    #expect(parallelError?.description == serialError?.description)
  }
}
