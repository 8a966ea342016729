import Foundation
import Testing

@testable import CaliperCore

/// Reference values from `Fixtures/generate_agreement_fixtures.py`.
struct AgreementFixtures: Decodable {
  struct LongRating: Decodable {
    var unit: String
    var rater: String
    var value: Label
    var rating: Rating { Rating(unit: unit, rater: rater, value: value) }
  }
  struct Cohen: Decodable {
    var a: [Label]
    var b: [Label]
    var weights: String
    var kappa: Double
  }
  struct Fleiss: Decodable {
    var ratings: [LongRating]
    var kappa: Double
  }
  struct Alpha: Decodable {
    var ratings: [LongRating]
    var level: String
    var alpha: Double
  }
  struct Gwet: Decodable {
    var ratings: [LongRating]
    var ac1: Double
  }
  struct Skene: Decodable {
    var ratings: [LongRating]
    var labels: [String]
    var units: [String]
    var posteriors: [[Double]]
    var raters: [String]
    var errors: [[[Double]]]
    var priors: [Double]
    var iterations: Int
  }
  var dawid_skene: [Skene]
  var cohen_kappa: [Cohen]
  var fleiss_kappa: [Fleiss]
  var krippendorff_alpha: [Alpha]
  var gwet_ac1: [Gwet]

  static let shared: AgreementFixtures = loadFixture("agreement.json")
}

@Suite("Agreement statistics cross-checked against scikit-learn, statsmodels, krippendorff and irrCAC")
struct AgreementTests {
  let fixtures = AgreementFixtures.shared

  @Test func cohenKappaMatchesScikitLearn() throws {
    #expect(fixtures.cohen_kappa.count >= 100)
    for case_ in fixtures.cohen_kappa {
      let weights = try #require(Agreement.Weights(rawValue: case_.weights))
      let result = try Agreement.cohenKappa(case_.a, case_.b, weights: weights)
      let kappa = try #require(result.value?.value)
      #expect(abs(kappa - case_.kappa) < tolerance, "\(case_.weights) n=\(case_.a.count)")
    }
  }

  @Test func fleissKappaMatchesStatsmodels() throws {
    for case_ in fixtures.fleiss_kappa {
      let kappa = try #require(try Agreement.fleissKappa(case_.ratings.map(\.rating)).value?.value)
      #expect(abs(kappa - case_.kappa) < tolerance)
    }
  }

  @Test func krippendorffAlphaMatchesThePackage() throws {
    for case_ in fixtures.krippendorff_alpha {
      let level = try #require(Krippendorff.Level(rawValue: case_.level))
      let alpha = try #require(try Krippendorff.alpha(case_.ratings.map(\.rating), level: level).value)
      #expect(abs(alpha - case_.alpha) < tolerance, "\(case_.level)")
    }
  }

  @Test func gwetAC1MatchesIrrCAC() throws {
    for case_ in fixtures.gwet_ac1 {
      let ac1 = try #require(try Agreement.gwetAC1(case_.ratings.map(\.rating)).value?.value)
      #expect(abs(ac1 - case_.ac1) < tolerance)
    }
  }

  @Test func dawidSkeneMatchesCrowdKit() throws {
    #expect(fixtures.dawid_skene.count >= 30)
    for case_ in fixtures.dawid_skene {
      let model = try #require(try DawidSkene.fit(case_.ratings.map(\.rating)).value)
      #expect(model.labels == case_.labels.map(Label.name))
      #expect(model.units == case_.units)
      #expect(model.raters == case_.raters)
      #expect(model.iterations == case_.iterations)
      for (ours, theirs) in zip(model.priors, case_.priors) { #expect(abs(ours - theirs) < tolerance) }
      for (ourRow, theirRow) in zip(model.posteriors, case_.posteriors) {
        for (ours, theirs) in zip(ourRow, theirRow) { #expect(abs(ours - theirs) < tolerance) }
      }
      for (ourMatrix, theirMatrix) in zip(model.errors, case_.errors) {
        for (ourRow, theirRow) in zip(ourMatrix, theirMatrix) {
          for (ours, theirs) in zip(ourRow, theirRow) { #expect(abs(ours - theirs) < tolerance) }
        }
      }
    }
  }

  @Test func kappaParadoxIsReportedAndAC1IsNotFooled() throws {
    // 95 items both rate "none", 2 + 2 disagreements, 1 agreed "hate": 96% agreement.
    var a = [Label](repeating: .name("none"), count: 95)
    var b = a
    a += [.name("hate"), .name("none"), .name("none"), .name("hate"), .name("hate")]
    b += [.name("none"), .name("hate"), .name("hate"), .name("none"), .name("hate")]
    let kappa = try #require(try Agreement.cohenKappa(a, b).value)
    #expect(kappa.observedAgreement == 0.96)
    #expect(kappa.value < 0.6)
    #expect(kappa.warning?.hasPrefix("kappa paradox: observed agreement is 96%") == true)
    let ratings = zip(a, b).enumerated().flatMap { index, pair in
      [
        Rating(unit: "\(index)", rater: "vendor", value: pair.0),
        Rating(unit: "\(index)", rater: "internal", value: pair.1),
      ]
    }
    let ac1 = try #require(try Agreement.gwetAC1(ratings).value)
    #expect(ac1.value > 0.9)
  }

  @Test func undefinedAndInvalidCases() throws {
    let same = [Label](repeating: .name("none"), count: 10)
    #expect(try Agreement.cohenKappa(same, same).reason?.contains("expected disagreement is zero") == true)
    #expect(try Agreement.cohenKappa([], []).reason == "no items")
    #expect(throws: StatisticsError.self) { try Agreement.cohenKappa([.name("a")], []) }
    let single = [Rating(unit: "1", rater: "a", value: .name("x")), Rating(unit: "1", rater: "b", value: .name("x"))]
    #expect(try Agreement.fleissKappa(single).reason?.contains("chance agreement is 1") == true)
    #expect(try Agreement.gwetAC1(single).reason?.contains("fewer than two labels") == true)
    #expect(try Krippendorff.alpha(single).reason?.contains("no expected disagreement") == true)
    let uneven = single + [Rating(unit: "2", rater: "a", value: .name("y"))]
    let error = #expect(throws: StatisticsError.self) { try Agreement.fleissKappa(uneven) }
    #expect(error?.description.contains("same number of ratings for every unit") == true)
    #expect(throws: StatisticsError.self) { try Krippendorff.alpha(single, level: .interval) }
    #expect(try Krippendorff.alpha([Rating(unit: "1", rater: "a", value: .number(1))]).reason != nil)
  }
}
