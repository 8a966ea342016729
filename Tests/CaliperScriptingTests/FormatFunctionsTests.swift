import Testing

@testable import CaliperScripting

@Suite("caliper.format writes numbers as the reports do")
struct FormatFunctionsTests {
  @Test func rulesCanWriteTheirNumbersLikeTheDetectors() throws {
    let (outcome, printed) = try evaluateScript(
      """
      local f = require("caliper").format
      print(f.p(0), f.p(0.00781), f.p(3.14e-7), f.percent(0.96), f.count(1234567))
      print(pcall(f.p, 2))
      print(pcall(f.count, 1.5))
      """, chunkName: "@format.lua")
    #expect(outcome.exitCode == 0)
    let lines = printed.split(separator: "\n").map(String.init)
    #expect(lines.first == "p < 1e-12\tp = 0.0078\tp = 3.1e-07\t96.0%\t1,234,567")
    #expect(lines.count == 3)
    #expect(lines[1].hasPrefix("false\t") && lines[1].contains("is not a p-value"))
    #expect(lines[2].hasPrefix("false\t") && lines[2].contains("bad argument #1 to 'count'"))
  }
}
