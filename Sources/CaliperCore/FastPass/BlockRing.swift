import Dispatch
import Synchronization

/// The read buffers of the decisions pass and the hand-over of their blocks between one reading
/// thread and the workers. The reader reads a block of the file into a free buffer, plans it
/// (one chunk of whole records per worker) and publishes it; each worker scans its chunk of
/// every block in file order at its own pace, without waiting for the others at the end of a
/// block; a buffer is read into again only once every worker is done with the block it holds.
/// With `slots` buffers, a worker may run up to `slots - 2` blocks ahead of the slowest, so a
/// worker the scheduler preempts for a moment (another process, the thread that hashes the
/// data files) does not leave the other cores idle.
///
/// Unchecked `Sendable`: the buffers are raw memory shared by design, and the protocol keeps
/// writes and reads apart. A buffer is written only by the reader, only between ``acquire()``
/// (which returns it once every worker released its last block) and ``publish(slot:chunks:)``;
/// workers read it only between taking its block from ``next(worker:)`` and ``release(slot:)``.
/// Each hand-over goes through the `Mutex` and a semaphore, which order the memory accesses.
final class BlockRing: @unchecked Sendable {
  /// What a worker takes next: its chunk of a block, or the end of the pass.
  enum Handout {
    /// The worker's chunk (byte offsets in the buffer `slot`), of the block with this index.
    case chunk(slot: Int, range: Range<Int>, block: Int)
    /// No more blocks.
    case end
  }

  private struct State {
    var queues: [[Handout]]
    var pending: [Int]
    var bytes: [Int]
    var published = 0
    var acquired = 0
    var bytesDone = 0
    var stoppedAfter: Int?
  }

  private let buffers: [UnsafeMutableRawBufferPointer]
  private let state: Mutex<State>
  private let ready: [DispatchSemaphore]
  private let free: DispatchSemaphore

  /// `slots` buffers of `capacity` bytes each (uninitialized), handed to `workers` workers.
  init(slots: Int, capacity: Int, workers: Int) {
    precondition(slots >= 2 && workers >= 1)
    buffers = (0..<slots).map { _ in .allocate(byteCount: capacity, alignment: 16) }
    state = Mutex(
      State(
        queues: Array(repeating: [], count: workers), pending: Array(repeating: 0, count: slots),
        bytes: Array(repeating: 0, count: slots)))
    ready = (0..<workers).map { _ in DispatchSemaphore(value: 0) }
    // Made at 0 and raised: libdispatch traps when a semaphore goes away below its initial
    // value, and a pass that stops early leaves buffers taken.
    free = DispatchSemaphore(value: 0)
    for _ in 0..<slots { free.signal() }
  }

  deinit {
    for buffer in buffers { buffer.deallocate() }
  }

  /// The capacity of each buffer.
  var capacity: Int { buffers[0].count }

  /// Reader: waits until the next buffer in turn is free and returns its slot; the reader may
  /// write it until it publishes it.
  func acquire() -> Int {
    free.wait()
    return state.withLock { state in
      defer { state.acquired += 1 }
      return state.acquired % buffers.count
    }
  }

  /// Reader: the buffer of `slot` to write (between ``acquire()`` and publishing it).
  func writable(_ slot: Int) -> UnsafeMutableRawBufferPointer { buffers[slot] }

  /// The bytes of `slot` to read: a worker between taking its chunk and releasing it, or the
  /// reader, which also reads a published block (to copy the record it cut into the next one).
  func readable(_ slot: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(buffers[slot]) }

  /// Reader: hands the block in `slot` to the workers, `chunks[i]` to worker `i` (an empty
  /// range to a worker without a chunk); `bytes` is what the block adds to the progress.
  func publish(slot: Int, chunks: [Range<Int>], bytes: Int) {
    state.withLock { state in
      state.pending[slot] = state.queues.count
      state.bytes[slot] = bytes
      for worker in state.queues.indices {
        let range = worker < chunks.count ? chunks[worker] : 0..<0
        state.queues[worker].append(.chunk(slot: slot, range: range, block: state.published))
      }
      state.published += 1
    }
    for semaphore in ready { semaphore.signal() }
  }

  /// Reader: tells every worker that no block follows. Before it returns, a buffer may still
  /// be in use; the reader waits for the workers themselves before the ring goes away.
  func end() {
    state.withLock { state in
      for worker in state.queues.indices { state.queues[worker].append(.end) }
    }
    for semaphore in ready { semaphore.signal() }
  }

  /// Worker: waits for its next hand-out.
  func next(worker: Int) -> Handout {
    ready[worker].wait()
    return state.withLock { $0.queues[worker].removeFirst() }
  }

  /// Worker: done with its chunk of the block in `slot`; the bytes of blocks every worker has
  /// finished when this completes one (`nil` otherwise), for progress.
  func release(slot: Int) -> Int? {
    let done: Int? = state.withLock { state in
      state.pending[slot] -= 1
      guard state.pending[slot] == 0 else { return nil }
      state.bytesDone += state.bytes[slot]
      return state.bytesDone
    }
    if done != nil { free.signal() }
    return done
  }

  /// Asks everyone to stop after the block with index `block` (a worker met an anomaly or an
  /// error there): the reader publishes no more blocks, and workers skip later ones. Blocks up
  /// to the earliest such block are still scanned by every worker, so which event ends the
  /// pass does not depend on timing.
  func stop(after block: Int) {
    state.withLock { $0.stoppedAfter = min($0.stoppedAfter ?? block, block) }
  }

  /// Whether a worker should scan the block with index `block`.
  func scans(_ block: Int) -> Bool { state.withLock { $0.stoppedAfter.map { block <= $0 } ?? true } }

  /// Whether a worker stopped the ring (the reader then publishes no more blocks).
  var isStopped: Bool { state.withLock { $0.stoppedAfter != nil } }
}
