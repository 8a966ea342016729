import Foundation
import Testing

@testable import CaliperCore

@Suite("Positional read")
struct PositionalReadTests {
  /// A file of `bytes`, opened with `flags`; the descriptor and a clean-up.
  private func open(_ bytes: [UInt8], flags: Int32 = O_RDONLY) throws -> (Int32, () -> Void) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-pread-\(UUID()).csv")
    try Data(bytes).write(to: url)
    let descriptor = Foundation.open(url.path, flags)
    try #require(descriptor >= 0)
    return (
      descriptor,
      {
        close(descriptor); try? FileManager.default.removeItem(at: url)
      }
    )
  }

  @Test func readsUpToTheEndOfTheFileAndSaysHowMuch() throws {
    let bytes = (0..<10_000).map { UInt8($0 % 251) }
    let (descriptor, cleanUp) = try open(bytes)
    defer { cleanUp() }
    var target = [UInt8](repeating: 0, count: 4_000)
    let tail = target.withUnsafeMutableBytes {
      PositionalRead.read(descriptor, into: $0.baseAddress!, count: 4_000, at: 7_000)
    }
    #expect(try tail.get() == 3_000)
    #expect(target[..<3_000].elementsEqual(bytes[7_000...]))
    #expect(target[3_000...].allSatisfy { $0 == 0 })
    try target.withUnsafeMutableBytes {
      try PositionalRead.readExactly(
        descriptor, into: $0.baseAddress!, count: 4_000, at: 100, file: "x.csv", size: 10_000)
    }
    #expect(target.elementsEqual(bytes[100..<4_100]))
  }

  @Test func aFileThatEndsTooSoonOrCannotBeReadIsNamed() throws {
    let (descriptor, cleanUp) = try open(Array(repeating: 65, count: 100))
    defer { cleanUp() }
    var target = [UInt8](repeating: 0, count: 200)
    let short = #expect(throws: IngestionError.self) {
      try target.withUnsafeMutableBytes {
        try PositionalRead.readExactly(descriptor, into: $0.baseAddress!, count: 200, at: 0, file: "x.csv", size: 200)
      }
    }
    #expect(short?.file == "x.csv")
    #expect(short?.problem == "the file changed while it was read (it was 200 bytes; it ends before byte 200)")

    let (writeOnly, cleanUpWriteOnly) = try open([1, 2, 3], flags: O_WRONLY)
    defer { cleanUpWriteOnly() }
    let failed = #expect(throws: IngestionError.self) {
      try target.withUnsafeMutableBytes {
        try PositionalRead.readExactly(writeOnly, into: $0.baseAddress!, count: 3, at: 0, file: "y.csv", size: 3)
      }
    }
    #expect(failed?.file == "y.csv")
    #expect(failed?.problem == "read failed (errno \(EBADF))")
  }
}
