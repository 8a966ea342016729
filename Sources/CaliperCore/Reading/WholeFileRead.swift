import Dispatch
import Foundation
import Synchronization

/// Reads a whole file into memory on several threads at once, each a share of its bytes,
/// into memory advised for huge pages. `Data(contentsOf:)` read the 118 MB of `qa_audits.csv`
/// at 10M decisions on one core for 0.1 s (the copy out of the page cache and a page fault
/// per 4 KiB of fresh memory), before anything else could start.
enum WholeFileRead {
  /// The bytes of the regular file at `url` (`name` in errors), read by up to `workers`
  /// threads; an error naming the file when a read fails or the file changes size meanwhile.
  static func contents(of url: URL, name: String, workers: Int) throws -> Data {
    let size = try RegularFile.size(of: url, name: name)
    let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw IngestionError(file: name, problem: "cannot be read: \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    guard size > 0 else { return Data() }
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: HugePages.size)
    HugePages.advise(buffer, byteCount: size)
    let shares = max(1, min(workers, size / (1 << 20)))
    let failure = Mutex<IngestionError?>(nil)
    let target = UncheckedPointer(buffer)
    DispatchQueue.concurrentPerform(iterations: shares) { share in
      let range = (size * share / shares)..<(size * (share + 1) / shares)
      do throws(IngestionError) {
        try PositionalRead.readExactly(
          descriptor, into: target.pointer + range.lowerBound, count: range.count, at: range.lowerBound, file: name,
          size: size)
      } catch {
        failure.withLock { $0 = $0 ?? error }
      }
    }
    if let error = failure.withLock({ $0 }) {
      buffer.deallocate()
      throw error
    }
    var more: UInt8 = 0
    guard pread(descriptor, &more, 1, off_t(size)) == 0 else {
      buffer.deallocate()
      throw IngestionError(file: name, problem: "the file grew while it was read (it was \(size) bytes)")
    }
    return Data(bytesNoCopy: buffer, count: size, deallocator: .custom { pointer, _ in pointer.deallocate() })
  }

  /// Gives the whole pages of the bytes `range` of `data` back to the system: `data` must come
  /// from ``contents(of:name:workers:)``, and those bytes must never be read again (they read
  /// as zeros after). A file scanned part by part frees each part once it is scanned: at 10M
  /// decisions the 118 MB of `qa_audits.csv` otherwise stayed resident while the join of its
  /// audits grew, and the run's peak rose from 235 to 265 MB.
  static func release(_ range: Range<Int>, of data: Data) {
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    guard page > 0 else { return }
    data.withUnsafeBytes { bytes in
      guard let base = bytes.baseAddress, range.upperBound <= bytes.count else { return }
      let address = Int(bitPattern: base)
      let first = (address + range.lowerBound + page - 1) / page * page
      let end = (address + range.upperBound) / page * page
      guard end > first, let start = UnsafeMutableRawPointer(bitPattern: first) else { return }
      _ = madvise(start, end - first, MADV_DONTNEED)  // advice: a refusal only keeps the pages
    }
  }

  /// A pointer the reading threads share: each writes only its own share of the bytes.
  private struct UncheckedPointer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
  }
}
