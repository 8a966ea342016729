import Testing

@testable import CaliperCore

@Suite("Statistics cross-checked against statsmodels, SciPy and NumPy")
struct StatisticsTests {
  let fixtures = StatisticsFixtures.shared

  @Test func wilsonAndClopperPearsonMatchStatsmodels() throws {
    #expect(fixtures.intervals.count >= 300)
    for case_ in fixtures.intervals {
      let wilson = try #require(
        try Proportions.wilson(successes: case_.k, trials: case_.n, confidence: case_.confidence).value)
      #expect(abs(wilson.lowerBound - case_.wilson[0]) < tolerance, "wilson \(case_.k)/\(case_.n) @\(case_.confidence)")
      #expect(abs(wilson.upperBound - case_.wilson[1]) < tolerance, "wilson \(case_.k)/\(case_.n) @\(case_.confidence)")
      let exact = try #require(
        try Proportions.clopperPearson(successes: case_.k, trials: case_.n, confidence: case_.confidence).value)
      #expect(abs(exact.lowerBound - case_.clopper_pearson[0]) < tolerance, "cp \(case_.k)/\(case_.n)")
      #expect(abs(exact.upperBound - case_.clopper_pearson[1]) < tolerance, "cp \(case_.k)/\(case_.n)")
    }
  }

  @Test func twoProportionZMatchesStatsmodels() throws {
    for case_ in fixtures.two_proportion_z {
      let result = try #require(try Proportions.twoProportionZ(case_.k1, case_.n1, case_.k2, case_.n2).value)
      #expect(abs(result.z - case_.z) < tolerance)
      #expect(abs(result.p - case_.p) < tolerance)
    }
  }

  @Test func mcnemarMatchesStatsmodels() throws {
    for case_ in fixtures.mcnemar {
      #expect(abs(try #require(try Proportions.mcnemar(case_.b, case_.c).value) - case_.exact) < tolerance)
      #expect(abs(try #require(try Proportions.mcnemar(case_.b, case_.c, exact: false).value) - case_.chi2) < tolerance)
    }
  }

  @Test func descriptiveMatchesNumPy() throws {
    for case_ in fixtures.descriptive {
      #expect(abs(try #require(try Descriptive.mean(case_.values).value) - case_.mean) < tolerance)
      #expect(abs(try #require(try Descriptive.stdev(case_.values).value) - case_.stdev) < tolerance)
      let percentiles = try #require(try Descriptive.percentiles(case_.values, case_.qs).value)
      for (ours, theirs) in zip(percentiles, case_.percentiles) { #expect(abs(ours - theirs) < tolerance) }
    }
  }

  @Test func benjaminiHochbergMatchesStatsmodels() throws {
    for case_ in fixtures.benjamini_hochberg {
      let (adjusted, rejected) = try MultipleTesting.benjaminiHochberg(case_.pvalues, alpha: case_.alpha)
      for (ours, theirs) in zip(adjusted, case_.adjusted) { #expect(abs(ours - theirs) < tolerance) }
      #expect(rejected == case_.rejected)
    }
  }

  @Test func chiSquareMatchesSciPy() throws {
    for case_ in fixtures.chi2_contingency {
      let result = try #require(try Contingency.chiSquare(case_.table).value)
      #expect(abs(result.chi2 - case_.chi2) < tolerance * max(1, case_.chi2))
      #expect(abs(result.p - case_.p) < tolerance)
      #expect(result.dof == case_.dof)
    }
  }

  @Test func undefinedCasesSayWhy() throws {
    #expect(try Proportions.wilson(successes: 0, trials: 0).reason == "no trials (n = 0)")
    #expect(try Proportions.clopperPearson(successes: 0, trials: 0).reason == "no trials (n = 0)")
    #expect(try Proportions.twoProportionZ(0, 10, 0, 20).reason?.contains("pooled proportion is 0") == true)
    #expect(try Proportions.twoProportionZ(0, 0, 3, 20).reason == "a group has no trials")
    #expect(try Proportions.mcnemar(0, 0).reason == "no discordant pairs (b + c = 0)")
    #expect(try Descriptive.mean([]).reason == "no values")
    #expect(try Descriptive.stdev([3]).reason == "fewer than two values")
    #expect(try Descriptive.percentile([], 50).reason == "no values")
    #expect(try Contingency.chiSquare([[1, 0], [2, 0]]).reason?.contains("sums to zero") == true)
    #expect(try Contingency.chiSquare([[1, 2]]).reason?.contains("single row") == true)
  }

  @Test func badArgumentsNameFunctionAndArgument() {
    let confidence = #expect(throws: StatisticsError.self) {
      try Proportions.wilson(successes: 1, trials: 2, confidence: 1.5)
    }
    #expect(confidence?.description == "wilson: argument 'confidence' must lie in (0, 1) (got 1.5)")
    let negative = #expect(throws: StatisticsError.self) { try Proportions.clopperPearson(successes: -1, trials: 2) }
    #expect(negative?.argument == "k")
    let over = #expect(throws: StatisticsError.self) { try Proportions.wilson(successes: 3, trials: 2) }
    #expect(over?.description == "wilson: argument 'k' must not exceed n (3 > 2)")
    #expect(throws: StatisticsError.self) { try Descriptive.percentile([1, 2], 101) }
    #expect(throws: StatisticsError.self) { try Descriptive.mean([1, .nan]) }
    #expect(throws: StatisticsError.self) { try MultipleTesting.benjaminiHochberg([0.5, 1.2]) }
    #expect(throws: StatisticsError.self) { try Contingency.chiSquare([[1, 2], [3]]) }
  }

  @Test func sampleSizesFollowTheTextbook() throws {
    // z(0.975)^2 * 0.25 / 0.05^2 = 384.15 → 385; with N = 1000: 384.15 / (1 + 383.15/1000) = 277.7 → 278.
    #expect(try Proportions.sampleSize(margin: 0.05) == 385)
    #expect(try Proportions.sampleSize(margin: 0.05, population: 1000) == 278)
    #expect(try Proportions.sampleSize(margin: 0.03, confidence: 0.99, p: 0.1) == 664)
    // ln(0.05) / ln(0.99) = 298.07 → 299 items with zero failures show a rate below 1% at 95%.
    #expect(try Proportions.zeroFailureSampleSize(maxRate: 0.01) == 299)
    #expect(try Proportions.zeroFailureSampleSize(maxRate: 0.05, confidence: 0.9) == 45)
    #expect(throws: StatisticsError.self) { try Proportions.sampleSize(margin: 0) }
  }
}
