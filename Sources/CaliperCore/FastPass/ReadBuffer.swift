import Synchronization

/// A buffer the decisions pass reads blocks of the file into, owned by a `Mutex`: the thread
/// that reads the next block fills one while the workers scan another through a read-only
/// `RawSpan`, and the compiler checks that no raw pointer to it crosses threads.
final class ReadBuffer: Sendable {
  private let storage: Mutex<UnsafeMutableRawBufferPointer>

  /// `capacity` bytes, uninitialized.
  init(capacity: Int) {
    storage = Mutex(.allocate(byteCount: capacity, alignment: 16))
  }

  deinit {
    storage.withLock { $0.deallocate() }
  }

  /// Runs `body` with the bytes, holding the buffer meanwhile.
  func withBytes<Result>(_ body: (inout sending UnsafeMutableRawBufferPointer) throws -> Result) rethrows -> Result {
    try storage.withLock { try body(&$0) }
  }
}
