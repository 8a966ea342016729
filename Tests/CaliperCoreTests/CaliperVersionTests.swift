import Testing

@testable import CaliperCore

@Suite struct CaliperVersionTests {
  @Test func versionIsSemantic() {
    let parts = CaliperVersion.toolkit.split(separator: ".")
    #expect(parts.count == 3)
    #expect(parts.allSatisfy { Int($0) != nil })
    #expect(CaliperVersion.luaAPI >= 1)
  }
}
