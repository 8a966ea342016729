import Foundation
import Testing

@testable import CaliperCore

/// Tables built in memory advised for huge pages hold exactly what plain arrays hold, and on
/// Linux the advice reaches the kernel for the aligned part of a large table.
@Suite("Huge pages")
struct HugePagesTests {
  @Test func tablesHoldWhatPlainArraysHold() {
    let large = [UInt64](hugePagesRepeating: 7, count: 1 << 20)
    #expect(large == [UInt64](repeating: 7, count: 1 << 20))
    #expect([Int32](hugePagesRepeating: -1, count: 3) == [-1, -1, -1])
    #expect([Int8](hugePagesRepeating: 0, count: 0).isEmpty)

    var grown: [Int] = []
    var expected: [Int] = []
    for value in 0..<3_000_000 {
      grown.appendHugePages(value)
      expected.append(value)
    }
    grown.appendHugePages(repeating: -5, count: 1_000_001)
    expected += repeatElement(-5, count: 1_000_001)
    #expect(grown == expected)

    var reserved = [1, 2, 3]
    reserved.reserveHugePages(2_000_000)
    #expect(reserved == [1, 2, 3])
    #expect(reserved.capacity >= 2_000_000)
    reserved.reserveHugePages(10)  // less than the room it has: nothing changes
    #expect(reserved == [1, 2, 3] && reserved.capacity >= 2_000_000)
  }

  #if os(Linux)
    @Test(
      .enabled(
        if: FileManager.default.fileExists(atPath: "/sys/kernel/mm/transparent_hugepage/enabled"),
        "the kernel has transparent huge pages"))
    func theKernelIsAdvisedForTheAlignedPartOfALargeTable() throws {
      let table = [UInt64](hugePagesRepeating: 0, count: 16 << 17)  // 16 MiB
      let middle = table.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress! + $0.count / 2) }
      let flags = try #require(try Self.vmFlags(containing: middle))
      #expect(flags.contains("hg"), "VmFlags of the table's middle: \(flags)")
      withExtendedLifetime(table) {}
    }

    /// The `VmFlags` of the mapping of this process that holds `address`, from `/proc/self/smaps`.
    private static func vmFlags(containing address: UInt) throws -> [String]? {
      // Read to the end: the file's size says 0.
      let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/smaps"))
      defer { try? handle.close() }
      let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
      var inside = false
      for line in smaps.split(separator: "\n") {
        if let dash = line.firstIndex(of: "-"), let space = line.firstIndex(of: " "), dash < space,
          let low = UInt(line[..<dash], radix: 16), let high = UInt(line[line.index(after: dash)..<space], radix: 16)
        {
          inside = (low..<high).contains(address)
        } else if inside, line.hasPrefix("VmFlags:") {
          return line.dropFirst("VmFlags:".count).split(separator: " ").map(String.init)
        }
      }
      return nil
    }
  #endif
}
