import Foundation
import Testing

@testable import CaliperCore

/// The alignment statistics: the per-item label counts behind calibration bootstraps agree with
/// the reference coefficients, session agreement is reproducible from its seed, and Erlang C
/// matches pyworkforce (`Fixtures/generate_staffing_fixtures.py`).
@Suite("Alignment statistics")
struct AlignmentStatisticsTests {
  /// Random sessions: `items` items, up to `raters` raters each (some ratings missing when
  /// `complete` is false), labels drawn from `labels` with a bias so agreement is non-trivial.
  static func randomRatings(
    seed: UInt64, items: Int, raters: Int, labels: [String], complete: Bool
  ) -> [Rating] {
    var generator = SeededGenerator(seed: seed)
    var ratings: [Rating] = []
    for item in 0..<items {
      let truth = labels[generator.index(below: labels.count)]
      for rater in 0..<raters {
        if !complete, generator.index(below: 4) == 0 { continue }
        let label = generator.index(below: 3) == 0 ? labels[generator.index(below: labels.count)] : truth
        ratings.append(Rating(unit: "i\(item)", rater: "r\(rater)", value: .name(label)))
      }
    }
    return ratings
  }

  static func close(_ a: Double?, _ b: Double?, _ tolerance: Double = 1e-12) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return abs(a - b) <= tolerance * max(1, abs(b))
  }

  @Test(arguments: 0..<40 as Range<UInt64>)
  func itemCountsGiveTheReferenceCoefficients(seed: UInt64) throws {
    let labels = ["benign", "spam", "hate_speech", "violence", "nudity"].prefix(2 + Int(seed % 4)).map { $0 }
    let complete = seed % 2 == 0
    let ratings = Self.randomRatings(
      seed: seed, items: 5 + Int(seed * 7 % 40), raters: 2 + Int(seed % 5), labels: labels, complete: complete)
    let counts = ItemLabelCounts(ratings.map { ($0.unit, $0.value.description) })
    let all = counts.allItems
    #expect(
      Self.close(counts.value(.krippendorff, sample: all).value, try Krippendorff.alpha(ratings).value),
      "seed \(seed)")
    #expect(Self.close(counts.value(.gwet, sample: all).value, try Agreement.gwetAC1(ratings).value?.value))
    if complete {
      let fleiss = try Agreement.fleissKappa(ratings).value
      #expect(Self.close(counts.value(.fleiss, sample: all).value, fleiss?.value))
      #expect(Self.close(counts.value(.percent, sample: all).value, fleiss?.observedAgreement))
    } else {
      #expect(counts.value(.fleiss, sample: all).reason?.contains("same number of ratings") == true)
    }
  }

  @Test(arguments: 0..<20 as Range<UInt64>)
  func ordinalItemCountsGiveTheReferenceOrdinalAlpha(seed: UInt64) throws {
    let scale = ["1", "2", "3", "4", "5"]
    let named = Self.randomRatings(seed: seed + 100, items: 30, raters: 4, labels: scale, complete: seed % 2 == 0)
    let numeric = named.map { Rating(unit: $0.unit, rater: $0.rater, value: .number(Double($0.value.description)!)) }
    // The label order is given out of text order on purpose: ordinal distances follow `order`.
    let counts = ItemLabelCounts(named.map { ($0.unit, $0.value.description) }, order: scale)
    #expect(
      Self.close(
        counts.value(.krippendorffOrdinal, sample: counts.allItems).value,
        try Krippendorff.alpha(numeric, level: .ordinal).value))
  }

  @Test func aResampleWithRepeatsEqualsTheReferenceOnTheRepeatedItems() throws {
    let ratings = Self.randomRatings(seed: 7, items: 12, raters: 5, labels: ["a", "b", "c"], complete: true)
    let counts = ItemLabelCounts(ratings.map { ($0.unit, $0.value.description) })
    let sample = [0, 0, 3, 5, 5, 5, 11, 2]
    // Spell the resample out as ratings on fresh item names, as the bootstrap means it.
    var repeated: [Rating] = []
    for (position, item) in sample.enumerated() {
      for rating in ratings where rating.unit == "i\(item)" {
        repeated.append(Rating(unit: "draw\(position)", rater: rating.rater, value: rating.value))
      }
    }
    #expect(Self.close(counts.value(.krippendorff, sample: sample).value, try Krippendorff.alpha(repeated).value))
    #expect(Self.close(counts.value(.fleiss, sample: sample).value, try Agreement.fleissKappa(repeated).value?.value))
    #expect(Self.close(counts.value(.gwet, sample: sample).value, try Agreement.gwetAC1(repeated).value?.value))
  }

  @Test func undefinedCoefficientsSayWhy() {
    let single = ItemLabelCounts([("a", "spam"), ("b", "spam")])
    #expect(single.value(.krippendorff, sample: single.allItems).reason != nil)
    #expect(single.value(.percent, sample: single.allItems).reason == "no item has two or more ratings")
    let oneLabel = ItemLabelCounts([("a", "spam"), ("a", "spam"), ("b", "spam"), ("b", "spam")])
    #expect(oneLabel.value(.gwet, sample: oneLabel.allItems).reason?.contains("fewer than two labels") == true)
    #expect(oneLabel.value(.fleiss, sample: oneLabel.allItems).reason?.contains("chance agreement is 1") == true)
  }

  static func session(seed: UInt64) -> CalibrationSession {
    let ratings = randomRatings(seed: seed, items: 20, raters: 6, labels: ["benign", "spam", "hate"], complete: true)
    let day = CalendarDate(year: 2026, month: 6, day: 5)!
    let calibration = ratings.map { rating in
      let rater = Int(rating.rater.dropFirst())!
      return CalibrationRating(
        sessionID: "cal-\(seed)", market: "JP", itemID: rating.unit, raterID: rating.rater,
        raterOrganisation: rater < 2 ? .policy : rater < 4 ? .internal : .vendor, label: rating.value.description,
        ratedAt: Timestamp(day))
    }
    return CalibrationSession.sessions(from: calibration)[0]
  }

  @Test func sessionAgreementIsReproducibleFromItsSeedAndItsIntervalHoldsTheEstimate() throws {
    let session = Self.session(seed: 3)
    let request = CalibrationSession.AgreementRequest(metric: .krippendorff, resamples: 2000, seed: 42)
    let first = try session.agreement(request)
    let again = try session.agreement(request)
    #expect(first == again)
    let value = try #require(first.value)
    let lo = try #require(first.lo)
    let hi = try #require(first.hi)
    #expect(lo <= value && value <= hi && lo < hi)
    var other = request
    other.seed = 43
    let reseeded = try session.agreement(other)
    #expect(reseeded.value == first.value)
    #expect(reseeded.lo != first.lo || reseeded.hi != first.hi)
    let reference = try Krippendorff.alpha(session.ratings.map(\.rating)).value
    #expect(Self.close(value, reference))
  }

  @Test func agreementAmongSomeOrganisationsCountsOnlyTheirRatings() throws {
    let session = Self.session(seed: 5)
    let vendorOnly = try session.agreement(.init(metric: .fleiss, among: [.vendor], resamples: 0))
    let expected = try Agreement.fleissKappa(session.ratings.filter { $0.raterOrganisation == .vendor }.map(\.rating))
    #expect(Self.close(vendorOnly.value, expected.value?.value))
    #expect(vendorOnly.lo == nil && vendorOnly.hi == nil)
  }

  @Test func badAgreementRequestsAreArgumentErrors() {
    let session = Self.session(seed: 1)
    #expect(throws: StatisticsError.self) {
      try session.agreement(.init(metric: .percent, resamples: CalibrationSession.maximumResamples + 1))
    }
    #expect(throws: StatisticsError.self) {
      try session.agreement(.init(metric: .gwet, ordinal: true))
    }
  }
}

/// Erlang C against pyworkforce.
@Suite("Staffing (Erlang C)")
struct StaffingTests {
  struct Fixtures: Decodable {
    struct At: Decodable {
      var agents: Int
      var waiting_probability: Double
      var service_level: Double
      var average_speed_of_answer: Double
      var occupancy: Double
    }
    struct Case: Decodable {
      var arrivals_per_hour: Double
      var aht_seconds: Double
      var target_seconds: Double
      var target_level: Double
      var traffic: Double
      var required_agents: Int
      var at: [At]
    }
    var cases: [Case]
  }

  static let fixtures: Fixtures = loadFixture("staffing.json")

  static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(b)) }

  @Test func erlangCMatchesPyworkforce() throws {
    #expect(Self.fixtures.cases.count >= 60)
    for fixture in Self.fixtures.cases {
      for at in fixture.at {
        let result = try Staffing.erlangC(
          arrivalsPerHour: fixture.arrivals_per_hour, ahtSeconds: fixture.aht_seconds, agents: at.agents,
          targetSeconds: fixture.target_seconds)
        let value = try #require(result.value, "\(fixture.arrivals_per_hour) × \(fixture.aht_seconds) s, \(at.agents)")
        #expect(Self.close(value.traffic, fixture.traffic))
        #expect(Self.close(value.waitingProbability, at.waiting_probability), "\(at.agents) agents")
        #expect(Self.close(value.serviceLevel, at.service_level), "\(at.agents) agents")
        #expect(Self.close(value.averageSpeedOfAnswer, at.average_speed_of_answer), "\(at.agents) agents")
        #expect(Self.close(value.occupancy, at.occupancy))
      }
    }
  }

  @Test func theFewestAgentsMatchPyworkforceIncludingTensOfThousands() throws {
    var largest = 0
    for fixture in Self.fixtures.cases {
      let agents = try Staffing.erlangAgents(
        arrivalsPerHour: fixture.arrivals_per_hour, ahtSeconds: fixture.aht_seconds,
        targetSeconds: fixture.target_seconds, targetLevel: fixture.target_level)
      #expect(agents.value == fixture.required_agents, "\(fixture.arrivals_per_hour) × \(fixture.aht_seconds) s")
      largest = max(largest, fixture.required_agents)
    }
    #expect(largest > 30_000)
  }

  @Test func anOverloadedQueueIsUndefinedAndBadArgumentsAreErrors() throws {
    let overloaded = try Staffing.erlangC(arrivalsPerHour: 3600, ahtSeconds: 10, agents: 10, targetSeconds: 20)
    #expect(overloaded.reason?.contains("cannot keep up") == true)
    let idle = try Staffing.erlangC(arrivalsPerHour: 0, ahtSeconds: 10, agents: 1, targetSeconds: 20)
    #expect(idle.value?.serviceLevel == 1)
    #expect(throws: StatisticsError.self) {
      try Staffing.erlangC(arrivalsPerHour: .nan, ahtSeconds: 10, agents: 1, targetSeconds: 20)
    }
    #expect(throws: StatisticsError.self) {
      try Staffing.erlangC(arrivalsPerHour: 10, ahtSeconds: 10, agents: Int.max, targetSeconds: 20)
    }
    #expect(throws: StatisticsError.self) {
      try Staffing.erlangAgents(arrivalsPerHour: 1e300, ahtSeconds: 10, targetSeconds: 20, targetLevel: 0.8)
    }
    #expect(throws: StatisticsError.self) {
      try Staffing.erlangAgents(arrivalsPerHour: 10, ahtSeconds: 10, targetSeconds: 20, targetLevel: 1)
    }
  }
}
