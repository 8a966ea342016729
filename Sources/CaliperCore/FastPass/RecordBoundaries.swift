/// Where records start and end in a buffer of CSV bytes, found by quote parity: a line feed ends
/// a record exactly when an even number of quote bytes precede it (since the last known record
/// start). Valid CSV has no other reading, so chunks split this way parse independently; in an
/// invalid file the parity may mislead, and the scanner then reports an anomaly.
enum RecordBoundaries {
  /// Number of quote bytes in `bytes`, 16 at a time (every byte of the file goes through this
  /// count before it is scanned, so it must run at memory speed): each lane counts 1 per quote
  /// in a byte for up to 255 vectors, then the lanes widen into the total. `SIMD16<UInt8>` is
  /// one SSE register and compiles to vector instructions (wider `SIMD32` went lane by lane),
  /// about half the instructions per byte of the eight-bytes-a-word count it replaced.
  static func quotes(in bytes: UnsafeRawBufferPointer) -> Int { count(quote, in: bytes) }

  /// Number of line feeds in `bytes` (lines before a position: the exact reader's line numbers).
  static func lineFeeds(in bytes: UnsafeRawBufferPointer) -> Int { count(UInt8(ascii: "\n"), in: bytes) }

  /// Number of bytes `byte` in `bytes`, as ``quotes(in:)`` counts them.
  @inline(__always)
  private static func count(_ byte: UInt8, in bytes: UnsafeRawBufferPointer) -> Int {
    guard let base = bytes.baseAddress else { return 0 }
    typealias Vector = SIMD16<UInt8>
    let width = Vector.scalarCount
    let wanted = Vector(repeating: byte)
    let ones = Vector(repeating: 1)
    var count = 0
    var offset = 0
    while offset + width <= bytes.count {
      var lanes = Vector.zero
      for _ in 0..<min(255, (bytes.count - offset) / width) {  // at most 255 per lane: no byte overflows
        let vector = base.loadUnaligned(fromByteOffset: offset, as: Vector.self)
        // Zero exactly in the lanes that hold the byte; `d | -d` has its top bit set otherwise.
        let difference = vector ^ wanted
        lanes &+= ones ^ ((difference | (Vector.zero &- difference)) &>> 7)
        offset += width
      }
      count += Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
    }
    while offset < bytes.count {
      if bytes[offset] == byte { count += 1 }
      offset += 1
    }
    return count
  }

  /// The offset just past the first record end in `bytes` (which starts at a record start), or
  /// `nil` when no record ends in it.
  static func firstRecordEnd(in bytes: UnsafeRawBufferPointer) -> Int? {
    nextRecordStart(in: bytes, from: 0, quoteParityOdd: false)
  }

  /// The offset just past the first line feed at or after `from` that ends a record, given the
  /// parity of the quotes before `from`.
  private static func nextRecordStart(in bytes: UnsafeRawBufferPointer, from: Int, quoteParityOdd: Bool) -> Int? {
    var odd = quoteParityOdd
    var index = from
    while index < bytes.count {
      let byte = bytes[index]
      if byte == quote { odd.toggle() } else if byte == newline, !odd { return index + 1 }
      index += 1
    }
    return nil
  }

  /// Plans a block from the quote counts (``quotes(in:)``) of `sliceCounts.count` equal slices
  /// of `bytes` (which starts at a record start; see ``slice(_:of:in:)``): the usable length
  /// (just past the last record end, or all of `bytes` at the end of the file; 0 when no record
  /// ends in it) and up to one chunk per slice, each starting at a record start. Only a few
  /// bytes around each cut are read here.
  static func plan(
    _ bytes: UnsafeRawBufferPointer, sliceCounts: [Int], atEnd: Bool
  ) -> (usable: Int, chunks: [Range<Int>]) {
    let slices = sliceCounts.count
    let usable: Int
    if atEnd {
      usable = bytes.count
    } else {
      var odd = sliceCounts.reduce(0, +) % 2 == 1  // parity of the quotes before `index`
      var index = bytes.count - 1
      var found = 0
      while index >= 0 {
        let byte = bytes[index]
        if byte == quote {
          odd.toggle()
        } else if byte == newline, !odd {
          found = index + 1
          break
        }
        index -= 1
      }
      usable = found
    }
    guard usable > 0 else { return (0, []) }
    var starts = [0]
    var quotesBefore = 0
    for slice in 1..<max(1, slices) {
      quotesBefore += sliceCounts[slice - 1]
      let cut = sliceStart(slice, of: slices, in: bytes.count)
      guard cut < usable,
        let start = nextRecordStart(in: bytes, from: cut, quoteParityOdd: quotesBefore % 2 == 1), start < usable
      else { break }
      if start > starts.last! { starts.append(start) }
    }
    starts.append(usable)
    return (usable, zip(starts, starts.dropFirst()).map { $0..<$1 })
  }

  /// Slice `slice` of `slices` equal slices of `count` bytes.
  static func slice(_ slice: Int, of slices: Int, in count: Int) -> Range<Int> {
    sliceStart(slice, of: slices, in: count)..<sliceStart(slice + 1, of: slices, in: count)
  }

  private static func sliceStart(_ slice: Int, of slices: Int, in count: Int) -> Int { count * slice / slices }
}
