import Testing

@testable import CaliperCore

@Suite("One finding per problem")
struct FindingMergeTests {
  func finding(
    _ pack: String, origin: String? = nil, subject: String = "Osaka-2", period: String? = "2026-W25",
    severity: Finding.Severity = .high, detector: String = "control_chart", message: String = "dropped"
  ) -> Finding {
    var finding = Finding(
      severity: severity, subject: subject, kpi: "qa_accuracy", period: period, message: message,
      evidence: ["n": .number(52)], detector: detector, pack: pack, scorecard: "site_weekly")
    finding.origin = origin
    return finding
  }

  @Test func anInheritedHooksFindingFromBaseAndMarketIsOneListingBothPacks() {
    let merged = FindingMerge.merged([
      finding("jp", origin: "apac-base", severity: .critical, message: "jp's run"),
      finding("apac-base", message: "base's run"),
      finding("kr", origin: "apac-base", subject: "Seoul-1"),
    ])
    #expect(merged.count == 2)
    let drop = merged[0]
    #expect(drop.pack == "apac-base")  // the originating pack's own run leads
    #expect(drop.message == "base's run")
    #expect(drop.severity == .critical)  // the most urgent of the runs
    #expect(drop.also?.map(\.pack) == ["jp"])
    #expect(drop.also?.first?.message == "jp's run")  // nothing dropped
    #expect(drop.also?.first?.evidence == ["n": .number(52)])
    #expect(merged[1].subject == "Seoul-1" && merged[1].also == nil)
  }

  @Test func aMarketPacksOwnRuleStaysSeparate() {
    let merged = FindingMerge.merged([
      finding("apac-base"),
      finding("jp", detector: "script", message: "night work"),
      finding("jp", origin: nil),
    ])
    // jp's own hooks (no origin) are jp's: neither merges with the base's.
    #expect(merged.count == 3)
    #expect(merged.allSatisfy { $0.also == nil })
  }

  @Test func differentPeriodsOrDetectorsAreDifferentProblems() {
    let merged = FindingMerge.merged([
      finding("apac-base"), finding("jp", origin: "apac-base", period: "2026-W26"),
      finding("id", origin: "apac-base", detector: "period_change"),
    ])
    #expect(merged.count == 3)
  }
}
