import CaliperCore
import Foundation

/// A run's whole result, in every format's common model: the header every command shares
/// (versions, run parameters, packs and data with their hashes), one typed section per pack
/// script kind that ran, and every finding. Its JSON form is `docs/report-schema.json` (schema
/// `caliper.report/2`; `docs/report-schema.md` says what changed from `/1`).
public struct Report: Sendable, Codable, Equatable {
  /// The schema id and version.
  public var schema = "caliper.report/2"
  /// Toolkit and API versions.
  public var caliper: ToolkitVersion
  /// What the run selected.
  public var run: RunParameters
  /// Every pack involved (selected and bases), by name.
  public var packs: [PackRecord]
  /// The data read.
  public var data: DataRecord
  /// One section per kind of pack script that ran.
  public var sections: ReportSections
  /// Every finding, most urgent first.
  public var findings: [Finding]
  /// `ok`, or `failed` when anything in a section failed.
  public var status: RunStatus

  /// The scorecards section's entries (none when no scorecard ran).
  public var scorecards: [ScorecardReport] { sections.scorecards ?? [] }
}

/// The sections of a report, one per pack script kind; a kind that did not run has none. A new
/// kind adds its section here.
public struct ReportSections: Sendable, Codable, Equatable {
  /// One entry per scorecard, in pack order (`caliper scorecard`).
  public var scorecards: [ScorecardReport]?
  /// Alignment scripts, calibration sessions and go-live readiness (`caliper align`).
  public var alignment: AlignmentSection?
  /// Curricula: modules, schedules and capacity (`caliper curriculum`).
  public var curricula: CurriculumSection?

  /// Sections.
  public init(
    scorecards: [ScorecardReport]? = nil, alignment: AlignmentSection? = nil, curricula: CurriculumSection? = nil
  ) {
    self.scorecards = scorecards
    self.alignment = alignment
    self.curricula = curricula
  }
}

/// Whether a run, or one entry of a section, completed.
public enum RunStatus: String, Sendable, Codable {
  /// It ran.
  case ok
  /// It failed (the error says why); the rest of the run went on.
  case failed
}

/// Why a KPI value is or is not a number.
public enum ValueStatus: String, Sendable, Codable {
  /// A value with enough data.
  case ok
  /// Fewer observations than the KPI's `min_n`: no value is shown.
  case insufficient
  /// The KPI has no value (for example a rate over zero decisions); `reason` says why.
  case undefined
}

/// `caliper` and API versions.
public struct ToolkitVersion: Sendable, Codable, Equatable {
  /// The toolkit's version.
  public var version: String
  /// The Lua API version.
  public var luaAPI: Int
}

/// What the run selected.
public struct RunParameters: Sendable, Codable, Equatable {
  /// The period asked for (`--period`), if any.
  public var period: String?
  /// The seed of everything random (Lua's `math.random`, bootstrap resamples).
  public var seed: UInt64
  /// The day alignment checks are made on (`caliper align --as-of`).
  public var asOf: String?
  /// The calibration session asked for (`caliper align --session`), if one.
  public var session: String?
}

/// A pack and the hash of its scripts.
public struct PackRecord: Sendable, Codable, Equatable {
  /// Name.
  public var name: String
  /// Version.
  public var version: String
  /// The pack it extends.
  public var extends: String?
  /// SHA-256 over its `.lua` files.
  public var sha256: String
}

/// Data files read, their hashes and reconciliation.
public struct DataRecord: Sendable, Codable, Equatable {
  /// One per file read.
  public var files: [DataFileRecord]
  /// Optional files that were absent.
  public var absent: [String]
}

/// One data file.
public struct DataFileRecord: Sendable, Codable, Equatable {
  /// File name.
  public var file: String
  /// SHA-256 of its bytes.
  public var sha256: String
  /// Rows read = accepted + rejected.
  public var rowsRead: Int
  /// Rows accepted.
  public var rowsAccepted: Int
  /// Rows quarantined.
  public var rowsRejected: Int
  /// Columns the contract does not know.
  public var extraColumns: [String]
}

/// One scorecard's result.
public struct ScorecardReport: Sendable, Codable, Equatable {
  /// Id within its pack.
  public var id: String
  /// Display name.
  public var name: String
  /// The pack that ran it.
  public var pack: String
  /// The script.
  public var file: String
  /// Grain and period grain (absent when the scorecard failed to load).
  public var grain: Grain?
  /// See `grain`.
  public var periodGrain: PeriodGrain?
  /// The period the table shows.
  public var period: String?
  /// Every period with data, in order.
  public var periods: [String]
  /// Those of `periods` the data does not cover whole (computed and shown, but never chosen by
  /// default): a trailing week or month the data ends inside.
  public var partialPeriods: [String] = []
  /// How many groups are in each band in `period` and in the period before it.
  public var bandCounts: BandCounts?
  /// `ok` or `failed`.
  public var status: RunStatus
  /// Why it failed.
  public var error: String?
  /// The run limit that stopped it (`time`, `instructions`, `memory` or `cancelled`), when a
  /// limit did rather than a fault of the script.
  public var limit: String? = nil
  /// KPI declarations.
  public var kpis: [KPIRecord]
  /// Score bands, best first.
  public var bands: [BandRecord]
  /// Groups in `period`, worst first.
  public var rows: [GroupRow]
  /// Each group's KPI values in every period (for trends).
  public var trends: [Trend]
  /// QA confusion matrices per group over all periods (vendor-grain scorecards).
  public var confusions: [ConfusionRecord]
}

/// A group's QA confusion matrix: rows the QA label, columns the decision's label.
public struct ConfusionRecord: Sendable, Codable, Equatable {
  /// Group.
  public var group: String
  /// Labels in matrix order.
  public var labels: [String]
  /// `counts[i][j]`: audits with QA label `labels[i]` of decisions labelled `labels[j]`.
  public var counts: [[Int]]
}

/// A KPI as declared.
public struct KPIRecord: Sendable, Codable, Equatable {
  /// Id.
  public var id: String
  /// Label.
  public var label: String
  /// Weight in the score.
  public var weight: Double
  /// Target, if any.
  public var target: Double?
  /// Which way is good.
  public var better: Direction
  /// Display format.
  public var format: KPIFormat
  /// Minimum sample size.
  public var minN: Int
  /// The pack that defined (or last changed) it.
  public var source: String
}

/// A score band.
public struct BandRecord: Sendable, Codable, Equatable {
  /// Lowest score in the band (`nil`: everything below).
  public var min: Double?
  /// Label.
  public var label: String
}

/// One group in one period.
public struct GroupRow: Sendable, Codable, Equatable {
  /// The group's name.
  public var group: String
  /// Markets and vendors it spans.
  public var markets: [String]
  /// See `markets`.
  public var vendors: [String]
  /// Decisions.
  public var decisions: Int
  /// Weighted score 0–100, if enough KPIs have values.
  public var score: Double?
  /// The score's band.
  public var band: String?
  /// Why there is no score.
  public var scoreReason: String?
  /// KPI values, in declaration order.
  public var values: [KPIValue]
}

/// A KPI's value for a group and period.
public struct KPIValue: Sendable, Codable, Equatable {
  /// The KPI id.
  public var kpi: String
  /// `ok`, `insufficient` (n below min_n) or `undefined`.
  public var status: ValueStatus
  /// The value (only when `ok`).
  public var value: Double?
  /// Sample size.
  public var n: Int
  /// 95% interval, when there is one.
  public var lo: Double?
  /// See `lo`.
  public var hi: Double?
  /// Why there is no value.
  public var reason: String?
  /// The KPI's 0–100 score toward its target, when it has a target and a value.
  public var score: Double?
}

/// A group's series of one KPI.
public struct Trend: Sendable, Codable, Equatable {
  /// Group.
  public var group: String
  /// KPI id.
  public var kpi: String
  /// One point per period where the group has data.
  public var points: [TrendPoint]
}

/// A point of a trend.
public struct TrendPoint: Sendable, Codable, Equatable {
  /// Period.
  public var period: String
  /// Value (`nil` when insufficient or undefined).
  public var value: Double?
  /// Sample size.
  public var n: Int
  /// `true` when the data does not cover the whole period (absent otherwise).
  public var partial: Bool?
}

/// A scorecard's groups per band, now and in the period before: the summary's first line.
public struct BandCounts: Sendable, Codable, Equatable {
  /// The period counted (the scorecard's `period`).
  public var period: String
  /// The period before it, when there is one.
  public var previousPeriod: String?
  /// One entry per band, best first, then groups without a score (`band` `insufficient`).
  public var bands: [BandCount]

  /// The band name of groups without a score.
  public static let noScore = "insufficient"
}

/// Groups in one band.
public struct BandCount: Sendable, Codable, Equatable {
  /// The band's label, or `insufficient` for groups without a score.
  public var band: String
  /// Groups in it in the period.
  public var count: Int
  /// Groups in it in the period before (`nil` when there is none).
  public var previous: Int?
}
