import Foundation

/// The read buffers of the decisions pass and the hand-over of their blocks between workers.
/// Reading is a turn the workers take: the worker with the least work queued reads the next
/// block of the file into a free buffer, plans it (one chunk of whole records per worker) and
/// publishes it; each worker scans its chunk of every block in file order at its own pace,
/// without waiting for the others at the end of a block; a buffer is read into again only once
/// every worker is done with the block it holds. So the reading goes to whichever worker is
/// ahead, and a worker the scheduler preempts for a moment (another process, the thread that
/// hashes the data files) does not leave the other cores idle. With `slots` buffers, up to
/// `slots` blocks are in flight.
///
/// `Cursor` is what the reading turn carries from block to block (where the file was left, the
/// record a block cut); only the worker holding the turn touches it, or the carry buffer.
///
/// Unchecked `Sendable`: the buffers are raw memory shared by design, and the protocol keeps
/// writes and reads apart. A buffer is written only by the holder of the reading turn, between
/// getting it from ``next(worker:)`` as `.read` and ``publish(slot:chunks:bytes:last:)``;
/// workers read it only between getting their chunk of it and ``release(slot:)``. Every
/// hand-over goes through one `NSCondition`, whose lock orders the memory accesses.
final class BlockRing<Cursor>: @unchecked Sendable {
  /// What a worker does next.
  enum Work {
    /// Scan its chunk (byte offsets in the buffer `slot`) of the block with this index.
    case chunk(slot: Int, range: Range<Int>, block: Int)
    /// Read the next block into the free buffer `slot`: the worker holds the reading turn
    /// until it publishes a block or calls ``finishReading()``.
    case read(slot: Int)
    /// No more blocks.
    case end
  }

  private let buffers: [UnsafeMutableRawBufferPointer]
  /// Where each buffer's first byte is in the stream: written and read as the buffer's bytes are.
  private let bases: UnsafeMutableBufferPointer<Int>
  private let carryBuffer: UnsafeMutableRawBufferPointer
  private let condition = NSCondition()
  // Guarded by `condition`:
  private var queues: [[Work]]
  private var pending: [Int]
  private var bytes: [Int]
  private var free: Int
  private var acquired = 0
  private var published = 0
  private var bytesDone = 0
  private var reading = false
  private var ended = false
  private var stoppedAfter: Int?
  // Held by the reading turn:
  private var cursorValue: Cursor

  /// `slots` buffers of `capacity` bytes each (uninitialized), and a carry buffer as large,
  /// handed to `workers` workers; the reading starts from `cursor`.
  init(slots: Int, capacity: Int, workers: Int, cursor: Cursor) {
    precondition(slots >= 2 && workers >= 1)
    buffers = (0..<slots).map { _ in .allocate(byteCount: capacity, alignment: 16) }
    carryBuffer = .allocate(byteCount: capacity, alignment: 16)
    bases = .allocate(capacity: slots)
    bases.initialize(repeating: 0)
    queues = Array(repeating: [], count: workers)
    pending = Array(repeating: 0, count: slots)
    bytes = Array(repeating: 0, count: slots)
    free = slots
    cursorValue = cursor
  }

  deinit {
    for buffer in buffers { buffer.deallocate() }
    carryBuffer.deallocate()
    bases.deallocate()
  }

  /// The capacity of each buffer.
  var capacity: Int { buffers[0].count }

  /// The buffer of `slot` to write: by the holder of the reading turn it was given for.
  func writable(_ slot: Int) -> UnsafeMutableRawBufferPointer { buffers[slot] }

  /// The bytes of `slot` to read: by a worker between taking its chunk and releasing it, or
  /// by the holder of the reading turn that writes it.
  func readable(_ slot: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(buffers[slot]) }

  /// Sets where the first byte of `slot` is in the stream: by the holder of the reading turn
  /// that writes it, before it publishes it.
  func setBase(_ offset: Int, of slot: Int) { bases[slot] = offset }

  /// Where the first byte of `slot` is in the stream: read when its bytes may be.
  func base(of slot: Int) -> Int { bases[slot] }

  /// The buffer where the reading turn keeps the record a block cut, for the next block.
  var carry: UnsafeMutableRawBufferPointer { carryBuffer }

  /// The reading turn's cursor: only by the worker holding the turn (or before the workers
  /// start, or after they all returned).
  var cursor: Cursor {
    get { cursorValue }
    set { cursorValue = newValue }
  }

  /// Waits for worker `worker`'s next work. A worker with fewer than two chunks queued takes
  /// the reading turn when it is free and so is a buffer, so blocks are read ahead of need.
  func next(worker: Int) -> Work {
    condition.lock()
    defer { condition.unlock() }
    while true {
      if !reading, !ended, stoppedAfter == nil, free > 0, queues[worker].count < 2 {
        reading = true
        free -= 1
        defer { acquired += 1 }
        return .read(slot: acquired % buffers.count)
      }
      if !queues[worker].isEmpty { return queues[worker].removeFirst() }
      if ended || (stoppedAfter != nil && !reading) { return .end }
      condition.wait()
    }
  }

  /// The reading turn hands the block in `slot` to the workers, `chunks[i]` to worker `i` (an
  /// empty range to a worker without a chunk), and gives the turn up; `bytes` is what the block
  /// adds to the progress; `last` when no block follows.
  func publish(slot: Int, chunks: [Range<Int>], bytes: Int, last: Bool) {
    condition.lock()
    pending[slot] = queues.count
    self.bytes[slot] = bytes
    for worker in queues.indices {
      queues[worker].append(.chunk(slot: slot, range: worker < chunks.count ? chunks[worker] : 0..<0, block: published))
    }
    published += 1
    reading = false
    if last || stoppedAfter != nil { ended = true }
    condition.broadcast()
    condition.unlock()
  }

  /// The reading turn ends the reading without a block (end of the file, a failure, a record
  /// longer than a buffer: the cursor says which) and gives the turn up.
  func finishReading() {
    condition.lock()
    reading = false
    ended = true
    condition.broadcast()
    condition.unlock()
  }

  /// Worker: done with its chunk of the block in `slot`; the bytes of blocks every worker has
  /// finished when this completes one (`nil` otherwise), for progress. Blocks complete in
  /// order, since each worker takes them in order, so buffers free up in turn; and the worker
  /// that completes a block must release the next one too before that one completes, so what
  /// it does with the value (a progress call) is over before the next value exists.
  func release(slot: Int) -> Int? {
    condition.lock()
    defer { condition.unlock() }
    pending[slot] -= 1
    guard pending[slot] == 0 else { return nil }
    free += 1
    bytesDone += bytes[slot]
    condition.broadcast()
    return bytesDone
  }

  /// Asks everyone to stop after the block with index `block` (a worker met an anomaly or an
  /// error there): no more blocks are read, and workers skip later ones. Blocks up to the
  /// earliest such block are still scanned by every worker, so which event ends the pass does
  /// not depend on timing.
  func stop(after block: Int) {
    condition.lock()
    stoppedAfter = min(stoppedAfter ?? block, block)
    condition.broadcast()
    condition.unlock()
  }

  /// Whether a worker should scan the block with index `block`.
  func scans(_ block: Int) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    return stoppedAfter.map { block <= $0 } ?? true
  }
}
