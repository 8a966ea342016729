import Foundation

/// Positional reads (`pread`) that retry interrupted calls and read on until the count or the
/// end of the file: one loop for the decisions pass's blocks, whole-file reads and the start of
/// a file, whose errors name the file the same way.
enum PositionalRead {
  /// Reads up to `count` bytes at file offset `offset` into `target`: the count read (fewer
  /// only at the end of the file), or the errno of a failed read.
  static func read(
    _ descriptor: Int32, into target: UnsafeMutableRawPointer, count: Int, at offset: Int
  ) -> Result<Int, Failure> {
    var got = 0
    while got < count {
      let result = pread(descriptor, target + got, count - got, off_t(offset + got))
      if result == 0 { break }
      if result < 0 {
        if errno == EINTR { continue }
        return .failure(Failure(code: errno))
      }
      got += result
    }
    return .success(got)
  }

  /// Reads exactly `count` bytes at file offset `offset` into `target`; an error naming `file`
  /// (of `size` bytes when it was opened) when the file ends sooner (it changed while it was
  /// read) or a read fails.
  static func readExactly(
    _ descriptor: Int32, into target: UnsafeMutableRawPointer, count: Int, at offset: Int,
    file: String, size: Int
  ) throws(IngestionError) {
    switch read(descriptor, into: target, count: count, at: offset) {
    case .success(let got) where got == count: return
    case .success:
      throw IngestionError(
        file: file,
        problem: "the file changed while it was read (it was \(size) bytes; it ends before byte \(offset + count))")
    case .failure(let failure):
      throw IngestionError(file: file, problem: "read failed (errno \(failure.code))")
    }
  }

  /// A failed read's errno.
  struct Failure: Error {
    /// The errno.
    var code: Int32
  }
}
