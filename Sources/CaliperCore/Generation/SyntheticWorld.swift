/// The fixed cast of the synthetic data set: markets, vendors and sites, labels, queues. Pure
/// data, so that the generator's output depends only on the seed and the sizes asked for.
enum SyntheticWorld {
  struct LabelSpec {
    let name: String
    let severity: Severity
    /// Relative frequency among decisions (benign dominates, as in real queues).
    let weight: Double
    /// Markets where the label exists (nil: everywhere).
    let markets: Set<String>?
  }

  struct SiteSpec {
    let vendor: String
    let site: String
    let market: String
    /// The site's base accuracy.
    let accuracy: Double
  }

  static let markets = ["JP", "KR", "ID", "TH", "VN", "PH", "IN", "AU"]

  static let labels: [LabelSpec] = [
    LabelSpec(name: "benign", severity: .none, weight: 70, markets: nil),
    LabelSpec(name: "spam", severity: .minor, weight: 9, markets: nil),
    LabelSpec(name: "misinformation", severity: .minor, weight: 3, markets: nil),
    LabelSpec(name: "scam_fraud", severity: .major, weight: 5, markets: nil),
    LabelSpec(name: "hate_speech", severity: .major, weight: 4, markets: nil),
    LabelSpec(name: "harassment", severity: .major, weight: 4, markets: nil),
    LabelSpec(name: "adult_nudity", severity: .major, weight: 3, markets: nil),
    LabelSpec(name: "violent_extremism", severity: .critical, weight: 0.6, markets: nil),
    LabelSpec(name: "self_harm", severity: .critical, weight: 0.6, markets: nil),
    LabelSpec(name: "child_safety", severity: .critical, weight: 0.3, markets: nil),
    LabelSpec(name: "royal_defamation", severity: .major, weight: 2.5, markets: ["TH"]),
  ]

  static let sites: [SiteSpec] = [
    SiteSpec(vendor: "Kaizen BPO", site: "Tokyo-1", market: "JP", accuracy: 0.965),
    SiteSpec(vendor: "Kaizen BPO", site: "Osaka-2", market: "JP", accuracy: 0.955),
    SiteSpec(vendor: "Kaizen BPO", site: "Seoul-1", market: "KR", accuracy: 0.96),
    SiteSpec(vendor: "Han River Ops", site: "Busan-1", market: "KR", accuracy: 0.95),
    SiteSpec(vendor: "Han River Ops", site: "Incheon-2", market: "KR", accuracy: 0.955),
    SiteSpec(vendor: "Archipelago CX", site: "Manila-1", market: "PH", accuracy: 0.95),
    SiteSpec(vendor: "Archipelago CX", site: "Cebu-2", market: "PH", accuracy: 0.945),
    SiteSpec(vendor: "Archipelago CX", site: "Jakarta-1", market: "ID", accuracy: 0.94),
    SiteSpec(vendor: "Archipelago CX", site: "Surabaya-2", market: "ID", accuracy: 0.935),
    SiteSpec(vendor: "Lotus Trust", site: "Bangkok-1", market: "TH", accuracy: 0.95),
    SiteSpec(vendor: "Lotus Trust", site: "HCMC-1", market: "VN", accuracy: 0.945),
    SiteSpec(vendor: "Lotus Trust", site: "Hanoi-2", market: "VN", accuracy: 0.95),
    SiteSpec(vendor: "Indus Review", site: "Hyderabad-1", market: "IN", accuracy: 0.945),
    SiteSpec(vendor: "Indus Review", site: "Pune-2", market: "IN", accuracy: 0.95),
    SiteSpec(vendor: "Indus Review", site: "Chennai-3", market: "IN", accuracy: 0.94),
    SiteSpec(vendor: "Southern Cross Ops", site: "Sydney-1", market: "AU", accuracy: 0.965),
    SiteSpec(vendor: "Southern Cross Ops", site: "Manila-3", market: "AU", accuracy: 0.955),
  ]

  /// Lines of business, one queue per market and line.
  static let linesOfBusiness = ["video", "ads"]

  /// Moderators per site, unless the generator is asked for another number.
  static let moderatorsPerSite = 12

  /// Markets whose content mix differs from the region's: a label's weight there in place of
  /// its `LabelSpec` weight (communal hate speech is a large share of Indian queues; lèse-majesté
  /// reports of Thai ones).
  static let marketLabelWeights: [String: [String: Double]] = [
    "IN": ["hate_speech": 20],
    "TH": ["royal_defamation": 8],
  ]

  // Planted problems (also written to ANSWERS.md).
  /// This site's accuracy drops in `driftWeek`.
  static let driftSite = "Osaka-2"
  static let driftAccuracy = 0.82
  /// The vendor whose own QA marks far more decisions correct than internal QA does.
  static let inflatedVendor = "Archipelago CX"
  /// Moderators (by index within their site) weak on one label.
  static let weakModeratorSite = "Hyderabad-1"
  static let weakModeratorIndices = [0, 1, 2]
  static let weakLabel = "hate_speech"
  /// A training module planted with a measurable effect: the moderators of `sites` are weak
  /// on `label` until they complete `module` (mid-period), then as good as their site (or,
  /// when `works` is false, no better).
  struct TrainingPlant {
    let module: String
    let label: String
    let sites: [String]
    let accuracyBefore: Double
    let works: Bool
  }
  /// A module that worked, and one that did not; the other sites of those markets are the
  /// comparison groups.
  static let trainingPlants = [
    TrainingPlant(
      module: "SPAM-101", label: "spam", sites: ["Busan-1", "Cebu-2", "Hanoi-2", "Manila-3"], accuracyBefore: 0.72,
      works: true),
    TrainingPlant(
      module: "HATE-201", label: "hate_speech", sites: ["Pune-2", "Chennai-3"], accuracyBefore: 0.75, works: false),
  ]
  /// Moderators (by index within their site) who take the AI's suggestion whatever it is.
  static let overreliantSite = "Seoul-1"
  static let overreliantIndices = [0, 1]
  /// The market where the AI misses a culturally specific label.
  static let aiBlindMarket = "TH"
  static let aiBlindLabel = "royal_defamation"
  /// The queue whose go-live is under-staffed.
  static let understaffedQueue = "vn-ads"
  /// The calibration session (market, week) where raters barely agree.
  static let lowAgreementMarket = "KR"
  static let lowAgreementWeek = 2
  /// The site whose vendor QA auditor (index 0 there) drifts away from internal QA week by week.
  static let driftingAuditorSite = "Bangkok-1"
  static let driftingAuditorWeeklyAudits = 16
  /// The vendor whose monthly self-reported QA accuracy runs above what internal QA measures.
  static let overReportingVendor = "Han River Ops"
  static let overReportedBy = 0.035
  /// The label whose policy changes mid-period, the new version and its training module.
  static let changedLabel = "hate_speech"
  static let changedVersion = "v8"
  static let changeModule = "policy-v8-hate-speech"
  /// The red-team technique on which the newer model version regresses.
  static let regressedTechnique = "code_switching"
  static let modelVersions = ["mod-2026.05", "mod-2026.06"]
}

/// Per vendor and month, what the generator wrote: internal audits and how many found the
/// decision correct, decisions and how many were within SLA (for honest self-reports).
struct VendorMonthTally {
  struct Key: Hashable, Comparable {
    let vendor: String
    let month: String
    static func < (lhs: Key, rhs: Key) -> Bool { (lhs.vendor, lhs.month) < (rhs.vendor, rhs.month) }
  }
  struct Tally {
    var audits = 0
    var correct = 0
    var decisions = 0
    var withinSLA = 0
  }
  var tallies: [Key: Tally] = [:]

  /// The vendor-months in order.
  var keys: [Key] { tallies.keys.sorted() }

  mutating func add(vendor: String, month: String, withinSLA: Bool) {
    tallies[Key(vendor: vendor, month: month), default: Tally()].decisions += 1
    if withinSLA { tallies[Key(vendor: vendor, month: month), default: Tally()].withinSLA += 1 }
  }

  mutating func add(vendor: String, month: String, correct: Bool) {
    tallies[Key(vendor: vendor, month: month), default: Tally()].audits += 1
    if correct { tallies[Key(vendor: vendor, month: month), default: Tally()].correct += 1 }
  }
}
