import Testing

@testable import CaliperCore

@Suite("Control charts and sampling, known answers worked by hand")
struct ControlChartTests {
  @Test func ewmaHasTimeVaryingLimits() throws {
    let points = try #require(
      try ControlCharts.ewma([10, 12, 11, 15], lambda: 0.5, width: 3, target: 10, sigma: 1).value)
    // z1 = 10, σ1 = √(1/3 · 0.75) = 0.5; z2 = 11, σ2 = √(1/3 · 0.9375) = √0.3125.
    #expect(points[0].value == 10)
    #expect(abs(points[0].ucl - 11.5) < 1e-12 && abs(points[0].lcl - 8.5) < 1e-12)
    #expect(points[1].value == 11)
    #expect(abs(points[1].z - 1 / 0.3125.squareRoot()) < 1e-12)
    #expect(!points[1].alarm && !points[2].alarm)
    // z4 = 0.5·15 + 0.5·11 = 13, beyond 10 + 3·√(1/3 · (1 − 0.5⁸)).
    #expect(points[3].value == 13)
    #expect(points[3].alarm)
    #expect(try ControlCharts.ewma([1]).reason?.contains("fewer than two values") == true)
    #expect(throws: StatisticsError.self) { try ControlCharts.ewma([1, 2], lambda: 0) }
  }

  @Test func cusumAccumulatesBothSides() throws {
    let points = try #require(try ControlCharts.cusum([10, 10.5, 12, 13, 9], target: 10, sigma: 1, k: 0.5, h: 2).value)
    #expect(points.map(\.hi) == [0, 0, 1.5, 4, 2.5])
    #expect(points.map(\.lo) == [0, 0, 0, 0, 0.5])
    #expect(points.map(\.alarm) == [false, false, false, true, true])
  }

  @Test func pChartAndLaney() throws {
    let plain = try #require(try ControlCharts.pChart(counts: [5, 10, 30], sizes: [100, 100, 100]).value)
    let sigma = (0.15 * 0.85 / 100).squareRoot()
    #expect(abs(plain[0].center - 0.15) < 1e-15)
    #expect(abs(plain[2].ucl - (0.15 + 3 * sigma)) < 1e-12)
    #expect(plain.map(\.alarm) == [false, false, true])
    let laney = try #require(try ControlCharts.laneyPChart(counts: [5, 10, 30], sizes: [100, 100, 100]).value)
    // z = (−0.1, −0.05, 0.15)/σ; moving ranges 0.05/σ and 0.2/σ; σ_z = 0.125/σ/1.128.
    let sigmaZ = 0.125 / sigma / 1.128
    #expect(abs(laney[2].ucl - (0.15 + 3 * sigma * sigmaZ)) < 1e-12)
    #expect(laney.map(\.alarm) == [false, false, false])
    #expect(try ControlCharts.laneyPChart(counts: [1], sizes: [10]).reason != nil)
    #expect(throws: StatisticsError.self) { try ControlCharts.pChart(counts: [1, 2], sizes: [10, 0]) }
    #expect(throws: StatisticsError.self) { try ControlCharts.pChart(counts: [11], sizes: [10]) }
  }

  @Test func westernElectricRules() throws {
    func rules(_ series: [Double]) throws -> [ControlCharts.RuleViolation] {
      try ControlCharts.westernElectric(series, center: 0, sigma: 1)
    }
    #expect(try rules([0.5, 3.5, 0.2]) == [.init(index: 2, rule: 1)])
    #expect(try rules([2.5, -0.5, 2.5]) == [.init(index: 3, rule: 2)])
    #expect(try rules([-1.5, -1.5, 0.5, -1.5, -1.5]) == [.init(index: 5, rule: 3)])
    #expect(try rules([0.1, 0.2, 0.1, 0.3, 0.1, 0.2, 0.1, 0.4]) == [.init(index: 8, rule: 4)])
    #expect(try rules([0.5, -0.5, 0.5, -0.5]).isEmpty)
    #expect(throws: StatisticsError.self) { try ControlCharts.westernElectric([1], center: 0, sigma: 0) }
  }

  @Test func neymanAllocationRespectsMinimumsAndSums() throws {
    let strata = [
      Sampling.Stratum(name: "JP", size: 1000, p: 0.5),
      Sampling.Stratum(name: "KR", size: 1000, p: 0.1),
      Sampling.Stratum(name: "ID", size: 500, p: 0, minimum: 10),
    ]
    // Shares 500 : 300 : 0, ID lifted to its minimum 10; the other 90 split 56.25 / 33.75.
    #expect(try Sampling.neymanAllocation(strata, total: 100) == [56, 34, 10])
    #expect(try Sampling.neymanAllocation(Array(strata.prefix(2)), total: 0) == [0, 0])
    let flat = [Sampling.Stratum(name: "a", size: 300, p: 0), Sampling.Stratum(name: "b", size: 100, p: 1)]
    #expect(try Sampling.neymanAllocation(flat, total: 40) == [30, 10])
    #expect(throws: StatisticsError.self) { try Sampling.neymanAllocation(strata, total: 5) }
    #expect(throws: StatisticsError.self) { try Sampling.neymanAllocation(strata, total: 5000) }
  }

  @Test func stratifiedEstimateWithFinitePopulationCorrection() throws {
    let strata = [
      Sampling.Stratum(name: "JP", size: 1000, n: 100, k: 90),
      Sampling.Stratum(name: "KR", size: 500, n: 50, k: 40),
    ]
    let result = try #require(try Sampling.stratifiedEstimate(strata).value)
    #expect(abs(result.p - (2.0 / 3 * 0.9 + 1.0 / 3 * 0.8)) < 1e-12)
    let variance = 0.4 * 0.09 / 99 + 0.1 * 0.16 / 49
    #expect(abs(result.se - variance.squareRoot()) < 1e-12)
    let thin = [Sampling.Stratum(name: "VN", size: 10, n: 1, k: 1)]
    #expect(try Sampling.stratifiedEstimate(thin).reason?.contains("'VN'") == true)
    #expect(throws: StatisticsError.self) {
      try Sampling.stratifiedEstimate([Sampling.Stratum(name: "x", size: 5, n: 6, k: 1)])
    }
  }
}
