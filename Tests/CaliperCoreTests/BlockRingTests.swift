import Dispatch
import Foundation
import Synchronization
import Testing

@testable import CaliperCore

/// The hand-over of blocks between the pass's reader and its workers, and what it promises the
/// pass: each worker sees every block in order, a buffer is never written while a worker reads
/// it, and which rows a worker scans, and which fault ends a pass, depend only on the file.
@Suite("Block ring and the pass's workers")
struct BlockRingTests {
  /// Blocks seen by each worker, and buffers found changed while a worker read them.
  final class Seen: Sendable {
    let blocks = Mutex<[[Int]]>([])
    let torn = Atomic<Int>(0)
    let progress = Mutex<[Int]>([])
  }

  @Test(arguments: [2, 3, 4])
  func everyWorkerSeesEveryBlockInOrderAndNoBufferChangesUnderIt(slots: Int) throws {
    let workers = 3
    let blocks = 200
    // The cursor is the index of the next block to read.
    let ring = BlockRing(slots: slots, capacity: 256, workers: workers, cursor: 0)
    let seen = Seen()
    seen.blocks.withLock { $0 = Array(repeating: [], count: workers) }
    let reads = Mutex<[Int]>([])
    let finished = DispatchGroup()
    for worker in 0..<workers {
      finished.enter()
      Thread.detachNewThread {
        var generator = SeededGenerator(seed: UInt64(worker + 1))
        loop: while true {
          switch ring.next(worker: worker) {
          case .end:
            break loop
          case .read(let slot):
            let block = ring.cursor
            guard block < blocks else {
              ring.finishReading()
              continue
            }
            reads.withLock { $0.append(worker) }
            ring.writable(slot).initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: block))
            ring.cursor = block + 1
            // Three workers, 64-byte chunks; the third gets none in every fifth block.
            let chunks = block % 5 == 0 ? [0..<64, 64..<128] : [0..<64, 64..<128, 128..<192]
            ring.publish(slot: slot, chunks: chunks, bytes: 10, last: false)
          case .chunk(let slot, let range, let block):
            let bytes = ring.readable(slot)
            let stamp = UInt8(truncatingIfNeeded: block)
            let before = bytes[range].allSatisfy { $0 == stamp }
            // Workers go at uneven speeds, so some run ahead while others refill buffers.
            if Int.random(in: 0..<4, using: &generator) == 0 {
              usleep(UInt32.random(in: 0..<300, using: &generator))
            }
            let after = bytes[range].allSatisfy { $0 == stamp }
            if !before || !after { seen.torn.add(1, ordering: .relaxed) }
            seen.blocks.withLock { $0[worker].append(block) }
            if let done = ring.release(slot: slot) { seen.progress.withLock { $0.append(done) } }
          }
        }
        finished.leave()
      }
    }
    finished.wait()
    #expect(seen.torn.load(ordering: .relaxed) == 0)
    #expect(seen.blocks.withLock { $0 } == Array(repeating: Array(0..<blocks), count: workers))
    // Progress counts each block once, when its last worker is done, in order.
    #expect(seen.progress.withLock { $0 } == (1...blocks).map { $0 * 10 })
    #expect(ring.cursor == blocks)
    #expect(reads.withLock { $0.count } == blocks)
  }

  @Test func aStopLetsEveryWorkerFinishTheBlocksUpToTheEarliestStop() {
    let ring = BlockRing(slots: 4, capacity: 16, workers: 2, cursor: ())
    #expect(ring.scans(100))
    ring.stop(after: 7)
    ring.stop(after: 9)
    #expect(ring.scans(7))
    #expect(!ring.scans(8))
    ring.stop(after: 3)
    #expect(ring.scans(3))
    #expect(!ring.scans(4))
    // Once stopped, nobody is given the reading turn: a worker with nothing queued ends.
    guard case .end = ring.next(worker: 0) else {
      Issue.record("a stopped ring gave work")
      return
    }
  }

  /// Records the decision ids it is given; throws on `failOn`.
  final class RecordingSink: DecisionRowSink {
    var ids: [String] = []
    let failOn: String?

    struct Failure: Error, CustomStringConvertible {
      var id: String
      var description: String { "sink refused \(id)" }
    }

    init(failOn: String? = nil) { self.failOn = failOn }

    func consume(_ row: DecisionRow, dictionary: RowDictionary) throws {
      let id = String(decoding: row.decisionID, as: UTF8.self)
      if id == failOn { throw Failure(id: id) }
      ids.append(id)
    }

    func restart() { ids = [] }
  }

  func pass(_ folder: URL, blockSize: Int, policy: BadRowPolicy = .strict) -> DecisionPass {
    var pass = DecisionPass(folder: folder, policy: policy, groupings: AggregationTests.groupings)
    pass.workers = 2
    pass.blockSize = blockSize
    return pass
  }

  @Test func whichWorkerScansWhichRowsDependsOnlyOnTheFile() throws {
    let folder = AggregationTests.examples
    let reference = try ReferenceData(folder: folder, policy: .strict)
    var runs: [[[String]]] = []
    for _ in 0..<5 {
      let result = try pass(folder, blockSize: 16 << 10).run(reference: reference) { _ in RecordingSink() }
      #expect(result.usedFastPath)
      runs.append(result.sinks.map(\.sink.ids))
    }
    #expect(runs.allSatisfy { $0 == runs[0] })
    // Both workers took part, and together they saw every row once, each in file order.
    let lines = try String(contentsOf: folder.appendingPathComponent("decisions.csv"), encoding: .utf8)
      .split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
    #expect(runs[0].allSatisfy { !$0.isEmpty })
    #expect(runs[0].flatMap { $0 }.sorted() == lines.sorted())
    for ids in runs[0] {
      let positions = Dictionary(uniqueKeysWithValues: lines.enumerated().map { ($1, $0) })
      let order = ids.map { positions[$0]! }
      #expect(order == order.sorted())
    }
  }

  @Test func progressRisesOneCallAtATimeToTheWholeFile() throws {
    let folder = AggregationTests.examples
    let calls = Mutex<(values: [Int], running: Int, overlapped: Bool)>(([], 0, false))
    var pass = pass(folder, blockSize: 16 << 10)
    pass.progress = { done, total in
      calls.withLock {
        $0.values.append(done)
        $0.running += 1
        if $0.running > 1 { $0.overlapped = true }
      }
      usleep(50)
      calls.withLock { $0.running -= 1 }
      #expect(total > 0)
    }
    _ = try pass.run(reference: try ReferenceData(folder: folder, policy: .strict)) { _ in NoSink() }
    let size =
      try FileManager.default.attributesOfItem(
        atPath: folder.appendingPathComponent("decisions.csv").path)[.size] as! Int
    let seen = calls.withLock { $0 }
    #expect(!seen.overlapped)
    #expect(seen.values.count > 100)
    #expect(seen.values == seen.values.sorted() && Set(seen.values).count == seen.values.count)
    #expect(seen.values.last == size)
  }

  /// Examples/data with a bad row in decisions.csv (line 61) and a sink that fails on a row a
  /// block or two later (4 KB blocks hold about 28 rows, 14 per worker, and a worker may run
  /// ahead of the other), or the other way round: whichever comes first in the file ends the
  /// pass, however the workers' threads are scheduled.
  @Test func theEarliestFaultInTheFileEndsThePassWhateverTheTiming() throws {
    var lines = try String(
      contentsOf: AggregationTests.examples.appendingPathComponent("decisions.csv"), encoding: .utf8
    ).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let early = lines[60].prefix { $0 != "," }
    let late = lines[100].prefix { $0 != "," }
    let badRow = lines[60].replacingOccurrences(of: ",2026-", with: ",20x6-", options: [], range: nil)
    let folder = try AggregationTests().folder(decisions: "")
    defer { try? FileManager.default.removeItem(at: folder) }
    let decisions = folder.appendingPathComponent("decisions.csv")
    let reference = try ReferenceData(folder: folder, policy: .strict)

    // A bad row early, the sink failing late: the exact reader reports the bad row.
    var withBadRow = lines
    withBadRow[60] = badRow
    try withBadRow.joined(separator: "\n").write(to: decisions, atomically: true, encoding: .utf8)
    for _ in 0..<20 {
      let error = #expect(throws: (any Error).self) {
        try pass(folder, blockSize: 4 << 10).run(reference: reference) { _ in RecordingSink(failOn: String(late)) }
      }
      #expect("\(error.map { "\($0)" } ?? "")".contains("decisions.csv:61:"), "\(String(describing: error))")
    }
    // The sink failing early, a bad row late: the sink's error.
    lines[100] = lines[100].replacingOccurrences(of: ",2026-", with: ",20x6-")
    try lines.joined(separator: "\n").write(to: decisions, atomically: true, encoding: .utf8)
    for _ in 0..<20 {
      let error = #expect(throws: RecordingSink.Failure.self) {
        try pass(folder, blockSize: 4 << 10).run(reference: reference) { _ in RecordingSink(failOn: String(early)) }
      }
      #expect(error?.id == String(early))
    }
  }
}
