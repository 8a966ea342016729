import Testing

@testable import CaliperCore

@Suite("Numbers as people read them")
struct ReadableNumbersTests {
  @Test(arguments: [
    (0.0, "< 1e-12"), (1e-300, "< 1e-12"), (9.9e-13, "< 1e-12"), (1e-12, "1.0e-12"), (3.14e-7, "3.1e-07"),
    (9.96e-5, "1.0e-04"), (0.0001, "0.0001"), (0.00781, "0.0078"), (0.0466, "0.047"), (0.45, "0.45"),
    (0.05, "0.05"), (0.999, "1"), (1.0, "1"),
  ])
  func pValuesHaveTwoSignificantFiguresAndAreNeverZero(p: Double, text: String) {
    #expect(ReadableNumbers.pValue(p) == text)
  }

  @Test func pClausesReadAsSentences() {
    #expect(ReadableNumbers.pClause(0) == "p < 1e-12")
    #expect(ReadableNumbers.pClause(0.0312) == "p = 0.031")
    #expect(ReadableNumbers.pValue(.nan) == "undefined")
  }

  @Test func percentagesHaveOneDecimal() {
    #expect(ReadableNumbers.percent(0.96) == "96.0%")
    #expect(ReadableNumbers.percent(0.9555) == "95.5%" || ReadableNumbers.percent(0.9555) == "95.6%")
    #expect(ReadableNumbers.percent(1) == "100.0%")
    #expect(ReadableNumbers.percent(-0.00001) == "0.0%")
  }

  @Test func countsHaveThousandsSeparators() {
    #expect(ReadableNumbers.count(0) == "0")
    #expect(ReadableNumbers.count(999) == "999")
    #expect(ReadableNumbers.count(1_000) == "1,000")
    #expect(ReadableNumbers.count(3_789) == "3,789")
    #expect(ReadableNumbers.count(1_234_567) == "1,234,567")
    #expect(ReadableNumbers.count(-12_345) == "-12,345")
    #expect(ReadableNumbers.count(Int.min) == "-9,223,372,036,854,775,808")
  }
}
