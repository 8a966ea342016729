import Crypto
import Dispatch
import Foundation
import Synchronization

/// Receives every decision of a pass on one worker; one sink per worker, never shared between
/// threads at once. Custom measures (Lua predicates in CaliperScripting) are sinks.
/// (`SendableMetatype`: a conformance may not be isolated to an actor, since workers call it.)
public protocol DecisionRowSink: AnyObject, SendableMetatype {
  /// Takes one row; ids resolve in `dictionary`. A thrown error stops the pass.
  func consume(_ row: DecisionRow, dictionary: RowDictionary) throws
  /// Takes a batch of rows in file order, as ``consume(_:dictionary:)`` would one by one (the
  /// default does just that); the fast pass hands rows over this way.
  func consume(_ rows: UnsafeBufferPointer<DecisionRow>, dictionary: RowDictionary) throws
  /// Forgets every row taken so far, as if just made: after an anomaly the pass reads the file
  /// again from its first row with the exact reader, through the same sinks (ids already in
  /// the dictionary keep their meaning).
  func restart()
  /// Wraps the scan of one block of rows (a sink that runs scripts runs them under its limits
  /// here); the default just calls `body`.
  func scan(_ body: () throws -> Void) throws
}

extension DecisionRowSink {
  /// Calls `body`.
  public func scan(_ body: () throws -> Void) throws { try body() }

  /// Calls ``consume(_:dictionary:)`` for each row.
  public func consume(_ rows: UnsafeBufferPointer<DecisionRow>, dictionary: RowDictionary) throws {
    for row in rows { try consume(row, dictionary: dictionary) }
  }
}

/// What a decisions pass produced.
public struct DecisionPassResult<Sink: DecisionRowSink> {
  /// Per grouping (in request order), the merged state of every group.
  public var tables: [[GroupKey: GroupAggregate]]
  /// How `decisions.csv` reconciled.
  public var reconciliation: FileReconciliation
  /// Bytes of `decisions.csv`.
  public var bytes: Int
  /// Whether the fast path read the whole file (false: the exact reader did, after an anomaly).
  public var usedFastPath: Bool
  /// Each worker's sink with its dictionary, to merge partial results from.
  public var sinks: [(sink: Sink, dictionary: RowDictionary)]
  /// The days the accepted decisions cover (`nil` when there are none): which periods are
  /// complete.
  public var span: DataSpan?
  /// Time spent reading and scanning the file.
  public var scanTime: Duration
  /// Time spent rolling cells up into groups and merging workers.
  public var rollUpTime: Duration
  /// The file's hash, when the pass was asked for it (``DecisionPass/digest``) and its fast
  /// path read the whole file.
  var contentDigest: PassContentDigest? = nil
}

/// The SHA-256 of `decisions.csv` the fast path worked out from its read buffers, with the
/// file's stamps before and after, for the digest cache (``FileDigestCache``).
struct PassContentDigest {
  /// The hash, as lowercase hex.
  var hex: String
  /// The file's stamp when the pass opened it, and when it had read it.
  var before: FileStamp?
  var after: FileStamp?
  /// When the reading started (``FileDigestCache/now()``).
  var startedAt: Int64
}

/// One streaming pass over `decisions.csv`, split across cores: the file is read in blocks,
/// each block is cut at record boundaries into one chunk per worker, and each worker scans its
/// chunk in place, aggregating into its own per-group states (and feeding its own sink). At the
/// end, states are translated to strings and merged. Memory stays flat in the number of rows.
///
/// Clean files take the fast path; the first anomaly (bad row, syntax error) makes the pass
/// start over with the exact reader, which gives the positioned error (strict) or quarantines
/// (with a quarantine directory), so results and errors never depend on the path taken.
public struct DecisionPass {
  /// The data folder.
  public var folder: URL
  /// Bad-row policy.
  public var policy: BadRowPolicy
  /// Groupings to build.
  public var groupings: [Grouping]
  /// Workers (defaults to the active cores).
  public var workers = ProcessInfo.processInfo.activeProcessorCount
  /// Bytes read per block.
  public var blockSize = 4 << 20
  /// Skips the fast path (tests compare the two paths).
  var forceExactReader = false
  /// Rejects a worker keeps in memory under a quarantine before the pass starts over with the
  /// exact reader (see ``InPlaceQuarantine``).
  var rejectsKeptInPlace = 10_000
  /// Whether rows are aggregated (false: they only go to the sinks, as in validation).
  var aggregates = true
  /// Throws ``ExactReaderNeeded`` instead of starting over with the exact reader when the fast
  /// path cannot read the file (validation, whose own exact reading would read it again).
  var fastPathOnly = false
  /// When set, the fast path hashes the file as it reads it: the reading turn hashes each
  /// block's fresh bytes in file order, right after reading them, so the file is not read a
  /// second time for its hash. The pass delivers the hash once it read the whole file, and
  /// declines as soon as it knows it will not (the exact reader takes over, or an error).
  var digest: DigestFromPass?

  /// The fast path could not read the file and ``fastPathOnly`` was set.
  struct ExactReaderNeeded: Error {}
  /// Called after each block with (bytes done, bytes in all): one call at a time, with bytes
  /// done rising, from the worker that finished the block last.
  public var progress: (@Sendable (Int, Int) -> Void)?

  /// Creates a pass.
  public init(folder: URL, policy: BadRowPolicy = .strict, groupings: [Grouping]) {
    self.folder = folder
    self.policy = policy
    self.groupings = groupings
  }

  /// Runs the pass with a sink per worker made by `makeSink(workerIndex)`, each apart from the
  /// others (`sending`), since the workers use them at once.
  public func run<Sink: DecisionRowSink>(
    reference: ReferenceData, makeSink: (Int) throws -> sending Sink
  ) throws -> sending DecisionPassResult<Sink> {
    let url = folder.appendingPathComponent(ContractFile.decisions.fileName)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw IngestionError(file: "decisions.csv", problem: "required file is missing from \(folder.path)")
    }
    let size = try RegularFile.size(of: url, name: ContractFile.decisions.fileName)
    var headerReader = try CSVReader(url: url)
    guard let headerRecord = try headerReader.next() else {
      throw IngestionError(file: "decisions.csv", problem: "file is empty: a header row is required")
    }
    let header = try ContractFile.decisions.header(headerRecord)
    let workerCount = max(1, workers)
    let (groupings, aggregates) = (groupings, aggregates)
    let lanes = try WorkerSlots(count: workerCount) {
      PassLane(try makeSink($0), groupings, reference, aggregates: aggregates)
    }
    let started = ContinuousClock.now
    defer { digest?.decline() }  // nothing, once delivered
    var quarantine: InPlaceQuarantine?
    if case .quarantine(let directory) = policy {
      quarantine = InPlaceQuarantine(
        file: .decisions, header: header, headerBytes: headerRecord.raw, directory: directory,
        limit: rejectsKeptInPlace, decode: { _ = try Decision($0) })
    }
    if !forceExactReader,
      let (rows, rejects, content) = try fastPass(
        url: url, size: size, header: header, lanes: lanes, quarantine: quarantine)
    {
      if let content { digest?.deliver(content.hex) }
      if let quarantine, !rejects.isEmpty { try quarantine.write(rejects, of: url) }
      var result: DecisionPassResult<Sink> = Self.finish(
        lanes,
        FileReconciliation(
          file: "decisions.csv", rowsRead: rows + rejects.count, rowsAccepted: rows, rowsRejected: rejects.count,
          extraColumns: header.extraColumns),
        bytes: size, fast: true, scanTime: ContinuousClock.now - started)
      result.contentDigest = content
      return result
    }
    digest?.decline()  // now, so the run's hashes read the file while the exact reader does
    if fastPathOnly { throw ExactReaderNeeded() }
    // Start over with the exact reader, on the first lane (the others stay empty).
    for index in 0..<lanes.count { lanes.withSlot(index) { $0.restart() } }
    let (folder, policy) = (folder, policy)
    let tally = try lanes.withSlot(0) { lane in
      var tally: FileReconciliation?
      try lane.sink.scan {
        tally = try ContractFileReader(folder: folder, policy: policy).read(
          .decisions, decode: Decision.init, accept: lane.add)
      }
      return tally!
    }
    return Self.finish(lanes, tally, bytes: size, fast: false, scanTime: ContinuousClock.now - started)
  }

  /// Aggregates decisions a source reads itself (a database's rows, decoded as the contract's
  /// ``Decision``s): each goes through one lane exactly as the exact reader's rows do, so the
  /// states, the rows sinks see and the span equal a pass over the same decisions in a file.
  /// `feed` calls its argument once per decision, in source order, and returns how the
  /// decisions reconciled.
  public static func aggregate<Sink: DecisionRowSink>(
    groupings: [Grouping], reference: ReferenceData, makeSink: (Int) throws -> sending Sink,
    feed: sending ((Decision) throws -> Void) throws -> FileReconciliation
  ) throws -> sending DecisionPassResult<Sink> {
    let lane = PassLane(try makeSink(0), groupings, reference)
    let started = ContinuousClock.now
    var tally: FileReconciliation?
    try lane.sink.scan { tally = try feed { try lane.add($0) } }
    let scanTime = ContinuousClock.now - started
    return assemble([lane], [lane.aggregator.rollUps()], tally!, bytes: 0, fast: false, scanTime: scanTime, at: .now)
  }

  private static func finish<Sink>(
    _ lanes: WorkerSlots<PassLane>, _ tally: FileReconciliation, bytes: Int, fast: Bool, scanTime: Duration
  )
    -> sending DecisionPassResult<Sink>
  {
    let rollUpStarted = ContinuousClock.now
    // Each lane rolls its cells up on its own core, in its own ids; the lanes are then merged
    // in one id space and translated to strings once, each core taking a share of every grouping.
    let partials = ConcurrentSlots<LaneRollUps?>(count: lanes.count, initial: nil)
    DispatchQueue.concurrentPerform(iterations: lanes.count) { index in
      partials.set(index, lanes.withSlot(index) { $0.aggregator.rollUps() })
    }
    return assemble(
      lanes.takeAll(), partials.all.map { $0! }, tally, bytes: bytes, fast: fast, scanTime: scanTime,
      at: rollUpStarted)
  }

  /// The result from the lanes and their roll-ups, which began at `rollUpStarted`.
  private static func assemble<Sink>(
    _ lanes: sending [PassLane], _ partials: [LaneRollUps], _ tally: FileReconciliation, bytes: Int, fast: Bool,
    scanTime: Duration, at rollUpStarted: ContinuousClock.Instant
  ) -> sending DecisionPassResult<Sink> {
    let tables = LaneMerge(partials, policy: lanes[0].aggregator.policyBook)
      .tables(shards: lanes.count)
    let spans = lanes.compactMap(\.aggregator.daySpan)
    let span =
      spans.isEmpty
      ? nil
      : DataSpan(
        first: CalendarDate(daysSinceEpoch: spans.map(\.lowerBound).min()!),
        last: CalendarDate(daysSinceEpoch: spans.map(\.upperBound).max()!))
    return DecisionPassResult(
      tables: tables, reconciliation: tally, bytes: bytes, usedFastPath: fast,
      sinks: lanes.map { ($0.sink as! Sink, $0.dictionary) }, span: span, scanTime: scanTime,
      rollUpTime: ContinuousClock.now - rollUpStarted)
  }

  /// The parallel in-place scan: the rows taken, under a quarantine the rows rejected in file
  /// order (``InPlaceQuarantine``), and the file's hash when ``digest`` asks for it; `nil`
  /// after an anomaly. Each worker, on a thread of its own,
  /// scans its chunk of every block in file order, and takes its turn at reading the next block
  /// into a ring of buffers and cutting it at record boundaries into one chunk per worker
  /// (``BlockRing``); no worker waits for the others at the end of a block. Which worker scans
  /// which rows depends only on the file, as before: results never depend on timing.
  private func fastPass(
    url: URL, size: Int, header: CSVHeader, lanes: WorkerSlots<PassLane>, quarantine: InPlaceQuarantine?
  ) throws -> (rows: Int, rejects: [InPlaceQuarantine.Reject], content: PassContentDigest?)? {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    let descriptor = handle.fileDescriptor
    let (startedAt, stampBefore) = (FileDigestCache.now(), digest.flatMap { _ in FileStamp(descriptor: descriptor) })
    let scanner = DecisionScanner(header: header)
    let ring = BlockRing(
      slots: Self.ringSlots, capacity: blockSize + (16 << 20), workers: lanes.count,
      cursor: ReadCursor(offset: 0, extra: 0))
    guard let dataStart = try Self.dataStart(of: descriptor, size: size, buffer: ring.writable(0)) else {
      return (0, [], nil)  // a header only, without a line end
    }
    var cursor = ReadCursor(offset: dataStart, extra: dataStart)
    if digest != nil {
      cursor.hash = SHA256()
      cursor.hash!.update(bufferPointer: UnsafeRawBufferPointer(rebasing: ring.writable(0)[0..<dataStart]))
    }
    ring.cursor = cursor
    let outcomes = ConcurrentSlots(count: lanes.count, initial: LaneOutcome())
    let finished = DispatchGroup()
    let (progress, reader) = (progress, BlockReader(descriptor: descriptor, size: size, blockSize: blockSize))
    // Progress is reported by the worker that completes a block, one call at a time and in
    // order without a lock: that worker must release the next block too before it completes.
    let report = { @Sendable (done: Int) -> Void in progress?(done, size) }
    for worker in 0..<lanes.count {
      finished.enter()
      Thread.detachNewThread {
        outcomes.set(
          worker,
          Self.work(
            ring, worker: worker, lanes: lanes, scanner: scanner, reader: reader, quarantine: quarantine,
            progress: report))
        finished.leave()
      }
    }
    finished.wait()
    let lanes = outcomes.all
    // The earliest block's event decides (every worker scanned every block up to it); in one
    // block, an error before an anomaly, as the exact reader would meet the error's row too.
    let events = lanes.enumerated().compactMap { lane, outcome in outcome.event.map { (lane, $0) } }
    if let (_, event) = events.min(by: { ($0.1.block, $0.1.rank, $0.0) < ($1.1.block, $1.1.rank, $1.0) }) {
      if let error = event.error { throw error }
      return nil
    }
    switch ring.cursor.stop {
    case .longRecord?: return nil  // a record longer than a buffer: the exact reader judges
    case .failed(let error)?: throw error
    case nil:
      let rejects = lanes.flatMap(\.rejects).sorted { $0.offset < $1.offset }
      let content = ring.cursor.hash.flatMap { hash in
        ring.cursor.offset == size
          ? PassContentDigest(
            hex: ContentHash.hex(hash.finalize()), before: stampBefore, after: FileStamp(descriptor: descriptor),
            startedAt: startedAt)
          : nil
      }
      return (lanes.reduce(0) { $0 + $1.rows }, rejects, content)
    }
  }

  /// Buffers in the ring: up to four blocks in flight.
  private static let ringSlots = 4

  /// What one worker's chunks gave: rows, rows quarantined in place, and the first anomaly or
  /// error it met.
  private struct LaneOutcome: Sendable {
    var rows = 0
    var rejects: [InPlaceQuarantine.Reject] = []
    var event: LaneEvent?
  }

  /// An anomaly (no error) or an error, in the block with this index.
  private struct LaneEvent: Sendable {
    var block: Int
    var error: (any Error)?
    /// Errors come before anomalies in one block.
    var rank: Int { error == nil ? 1 : 0 }
  }

  /// A worker's loop: scans its chunk of each block in turn, and reads blocks when the ring
  /// gives it the turn, until the end; after an anomaly or an error (its own or another
  /// worker's) it scans no later block.
  private static func work(
    _ ring: BlockRing<ReadCursor>, worker: Int, lanes: WorkerSlots<PassLane>, scanner: DecisionScanner,
    reader: BlockReader, quarantine: InPlaceQuarantine?, progress: @Sendable (Int) -> Void
  ) -> LaneOutcome {
    lanes.withSlot(worker) { lane in
      var outcome = LaneOutcome()
      while true {
        switch ring.next(worker: worker) {
        case .end:
          return outcome
        case .read(let slot):
          reader.read(into: slot, of: ring, workers: lanes.count)
        case .chunk(let slot, let range, let block):
          if outcome.event == nil, !range.isEmpty, ring.scans(block) {
            let buffer = ring.readable(slot)
            let base = ring.base(of: slot) - Int(bitPattern: buffer.baseAddress!)
            // Under a quarantine, a record the exact reader rejects as it is is kept aside.
            let refused = quarantine.map { quarantine in
              { (record: UnsafeRawBufferPointer) -> Bool in
                quarantine.keep(record, at: base + Int(bitPattern: record.baseAddress!), in: &outcome.rejects)
              }
            }
            do {
              try lane.sink.scan {
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[range])
                switch try scanner.scan(chunk, dictionary: lane.dictionary, refused: refused, lane.add) {
                case .rows(let count): outcome.rows += count
                case .anomaly: outcome.event = LaneEvent(block: block)
                }
              }
            } catch {
              outcome.event = LaneEvent(block: block, error: error)
            }
            if let event = outcome.event { ring.stop(after: event.block) }
          }
          if let done = ring.release(slot: slot) { progress(done) }
        }
      }
    }
  }

  /// Where the reading turn left the file, from block to block.
  struct ReadCursor {
    /// The file offset of the first byte not read yet.
    var offset: Int
    /// Bytes the next block adds to the progress besides its records (the header's).
    var extra: Int
    /// Bytes in the ring's carry buffer: the record the last block cut, first in the next.
    var carried = 0
    /// Why the reading ended before the end of the file.
    var stop: ReadStop?
    /// The hash of every byte before ``offset``, when the pass hashes the file.
    var hash: SHA256?
  }

  /// Why the reading ended early: a record longer than a buffer, or a failed read.
  enum ReadStop {
    case longRecord
    case failed(any Error)
  }

  /// Reads one block of `decisions.csv` for the worker holding the ring's reading turn.
  struct BlockReader: Sendable {
    let descriptor: Int32
    let size: Int
    let blockSize: Int

    /// Reads the next block into the buffer `slot` after the record the last one cut, plans it
    /// (quote counts of one slice per worker, then the cuts) and publishes it; or, at the end
    /// of the file or on a failure (kept in the cursor), ends the reading.
    func read(into slot: Int, of ring: BlockRing<ReadCursor>, workers: Int) {
      var cursor = ring.cursor
      let buffer = ring.writable(slot)
      ring.setBase(cursor.offset - cursor.carried, of: slot)
      buffer.baseAddress!.copyMemory(from: ring.carry.baseAddress!, byteCount: cursor.carried)
      var count = cursor.carried
      while true {
        let fresh = min(blockSize, ring.capacity - count, size - cursor.offset)
        do {
          try PositionalRead.readExactly(
            descriptor, into: buffer.baseAddress! + count, count: fresh, at: cursor.offset, file: "decisions.csv",
            size: size)
        } catch {
          cursor.stop = .failed(error)
          break
        }
        // Hashed while the bytes are still in the cache: a second read for the run's hashes
        // copied the 1.4 GB of 10M decisions out of the page cache again.
        cursor.hash?.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[count..<(count + fresh)]))
        cursor.offset += fresh
        count += fresh
        if count == 0 { break }  // no records after the header
        let atEnd = cursor.offset == size
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        let quotes = (0..<workers).map { slice in
          RecordBoundaries.quotes(
            in: UnsafeRawBufferPointer(rebasing: bytes[RecordBoundaries.slice(slice, of: workers, in: count)]))
        }
        let (usable, chunks) = RecordBoundaries.plan(bytes, sliceCounts: quotes, atEnd: atEnd)
        guard usable > 0 || atEnd else {  // no record ends in the block: read more after it
          if count == ring.capacity {
            cursor.stop = .longRecord
            break
          }
          continue
        }
        // The record the block cut waits in the carry buffer for the next block.
        cursor.carried = count - usable
        ring.carry.baseAddress!.copyMemory(from: bytes.baseAddress! + usable, byteCount: cursor.carried)
        let progress = usable + cursor.extra
        cursor.extra = 0
        ring.cursor = cursor
        ring.publish(slot: slot, chunks: chunks, bytes: progress, last: atEnd)
        return
      }
      ring.cursor = cursor
      ring.finishReading()
    }
  }

  /// The file offset of the first data record (see `dataStart(_:)`), reading as much of the
  /// file's start into `buffer` as the header takes; `nil` when the header has no line end.
  private static func dataStart(
    of descriptor: Int32, size: Int, buffer: UnsafeMutableRawBufferPointer
  ) throws -> Int? {
    var filled = 0
    while true {
      let wanted = min(max(filled, 64 << 10), buffer.count - filled, size - filled)
      switch PositionalRead.read(descriptor, into: buffer.baseAddress! + filled, count: wanted, at: filled) {
      case .success(let got): filled += got
      case .failure(let failure):
        throw IngestionError(file: "decisions.csv", problem: "read failed (errno \(failure.code))")
      }
      if let start = dataStart(UnsafeRawBufferPointer(rebasing: buffer[0..<filled])) { return start }
      guard filled < size, filled < buffer.count, wanted > 0 else { return nil }
    }
  }

  /// The offset of the first data record: past an optional byte-order mark and the header
  /// record (quote-aware); `nil` when the header's line end is not in `bytes`.
  static func dataStart(_ bytes: UnsafeRawBufferPointer) -> Int? {
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    let offset = bytes.starts(with: bom) ? 3 : 0
    return RecordBoundaries.firstRecordEnd(in: UnsafeRawBufferPointer(rebasing: bytes[offset...])).map { offset + $0 }
  }
}

/// A worker's lane: its dictionary, built-in aggregator and sink. Workers reach their lanes
/// through ``WorkerSlots``, one thread at a time.
final class PassLane {
  let dictionary = RowDictionary()
  /// Unchecked: one thread at a time uses a lane, and a checked class property cost a
  /// dynamic exclusivity check (two runtime calls) per row.
  @exclusivity(unchecked) var aggregator: WorkerAggregator
  let sink: any DecisionRowSink
  private let aggregates: Bool
  private let groupings: [Grouping]
  private let reference: ReferenceData

  init(_ sink: any DecisionRowSink, _ groupings: [Grouping], _ reference: ReferenceData, aggregates: Bool = true) {
    self.sink = sink
    self.aggregates = aggregates
    self.groupings = groupings
    self.reference = reference
    aggregator = WorkerAggregator(groupings: groupings, reference: reference, dictionary: dictionary)
  }

  /// Forgets every row (the dictionary stays): the pass starts over.
  func restart() {
    aggregator = WorkerAggregator(groupings: groupings, reference: reference, dictionary: dictionary)
    sink.restart()
  }

  /// Feeds a batch of rows from the scanner.
  func add(_ rows: UnsafeBufferPointer<DecisionRow>) throws {
    if aggregates { aggregator.add(rows) }
    try sink.consume(rows, dictionary: dictionary)
  }

  /// Feeds a decision read by the exact reader.
  func add(_ decision: Decision) throws {
    var decisionID = decision.decisionID
    var itemID = decision.itemID
    try decisionID.withUTF8 { decisionBytes in
      try itemID.withUTF8 { itemBytes in
        let row = DecisionRow(
          decisionID: UnsafeRawBufferPointer(decisionBytes), itemID: UnsafeRawBufferPointer(itemBytes),
          queue: dictionary.id(decision.queue), market: dictionary.id(decision.market),
          vendor: dictionary.id(decision.vendor), site: dictionary.id(decision.site),
          moderator: dictionary.id(decision.moderatorID), label: dictionary.id(decision.label),
          aiLabel: decision.aiLabel.map(dictionary.id) ?? RowDictionary.missing,
          modelVersion: decision.modelVersion.map(dictionary.id) ?? RowDictionary.missing,
          enqueuedAt: decision.enqueuedAt.secondsSinceEpoch, decidedAt: decision.decidedAt.secondsSinceEpoch,
          handleSeconds: decision.handleSeconds, aiConfidence: decision.aiConfidence,
          aiAssisted: decision.aiAssisted)
        try withUnsafePointer(to: row) { try add(UnsafeBufferPointer(start: $0, count: 1)) }
      }
    }
  }
}

/// One value per index, filled in concurrently (workers' outcomes and roll-ups, merged parts).
final class ConcurrentSlots<Value: Sendable>: Sendable {
  private let values: Mutex<[Value]>

  init(count: Int, initial: Value) { values = Mutex(Array(repeating: initial, count: count)) }

  func set(_ index: Int, _ value: Value) {
    values.withLock { $0[index] = value }
  }

  var all: [Value] { values.withLock { $0 } }
}

/// A sink that takes nothing, for passes that need only the built-in aggregates.
public final class NoSink: DecisionRowSink {
  /// Creates one.
  public init() {}
  /// Ignores the row.
  public func consume(_ row: DecisionRow, dictionary: RowDictionary) {}
  /// Has nothing to forget.
  public func restart() {}
}
