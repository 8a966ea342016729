import CaliperCore
import Foundation
import LuaKit

/// What a curriculum run asks for besides the data.
public struct CurriculumRequest: RunRequest {
  /// The day schedules start after (default: the day after the latest decision).
  public var asOf: CalendarDate?
  /// Whether to measure past training's effect (`--effect`).
  public var effect: Bool
  /// The seed of `math.random` and of the effect's bootstrap.
  public var seed: UInt64
  /// Progress of the decisions pass: (bytes done, bytes in all).
  public var progress: (@Sendable (Int, Int) -> Void)?
  /// This run's time and instruction limits (default: the engine's).
  public var limits: RunLimits?
  /// This run's memory cap per Lua state, in bytes (default: the engine's).
  public var memoryLimit: Int?

  /// Creates a request.
  public init(
    asOf: CalendarDate? = nil, effect: Bool = false, seed: UInt64 = 0, limits: RunLimits? = nil,
    memoryLimit: Int? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) {
    self.limits = limits
    self.memoryLimit = memoryLimit
    self.asOf = asOf
    self.effect = effect
    self.seed = seed
    self.progress = progress
  }
}

/// One curriculum run: the decisions aggregated per moderator (and per label and day, for who
/// a policy change affects) in one pass, `training.csv` and `policies.csv` read as records,
/// every moderator's profile built, then every curriculum run on host 0. ``CaliperEngine`` is
/// its only caller.
struct CurriculumRun {
  let source: any DecisionSource
  let packs: PackSet
  let hosts: [ScriptHost]
  let options: CaliperEngine.Options
  let request: CurriculumRequest
  let cancellation: CancellationFlag

  private static let groupings = [Grouping(grain: .moderator, period: .month)]
  /// Added for `--effect`: accuracy per moderator and week, for windows around training.
  private static let effectGrouping = Grouping(grain: .moderator, period: .week)

  func report() throws -> Report {
    let (hashes, reference) = try RunStart(source: source, cancellation: cancellation).parts
    var files = reference.files
    var absent = reference.absentFiles
    let result = try source.aggregate(
      AggregationRequest(
        groupings: Self.groupings + (request.effect ? [Self.effectGrouping] : []), workers: hosts.count,
        progress: request.progress, digest: hashes.digestFromPass),
      reference: reference
    ) { _ in NoSink() }
    try cancellation.check()
    files.append(result.reconciliation)
    var training: [TrainingRecord] = []
    if let batch = try source.records(TrainingRecord.self) {
      files.append(batch.reconciliation)
      training = batch.records
    } else if !absent.contains(ContractFile.training.fileName) {
      absent.append(ContractFile.training.fileName)
    }
    let policies = try source.records(PolicyLabel.self)?.records ?? []
    guard let asOf = request.asOf ?? result.span.map({ CalendarDate(daysSinceEpoch: $0.last.daysSinceEpoch + 1) })
    else {
      throw CurriculumRunError(problem: "decisions.csv has no decisions to date the run by; give --as-of")
    }

    var pooled: [String: GroupAggregate] = [:]
    for (key, state) in result.tables[0] { pooled[key.group, default: GroupAggregate()].merge(state) }
    // The markets where a label appears in audits (as the QA label or the decision's): those a
    // change of its policy affects. (A label × day grouping gave all decisions' labels at the
    // cost of a second cell store in the pass: 20% of the run.)
    var labelMarkets: [String: Set<String>] = [:]
    for (_, state) in result.tables[0] {
      for pair in state.qa.all.confusion.values.keys {
        labelMarkets[pair.truth, default: []].formUnion(state.context.markets)
        labelMarkets[pair.predicted, default: []].formUnion(state.context.markets)
      }
    }
    let history = Dictionary(grouping: training, by: \.moderatorID)
    let profiles = reference.moderators.values.sorted { $0.moderatorID < $1.moderatorID }.map { moderator in
      ModeratorProfile(
        moderator: moderator, asOf: asOf, state: pooled[moderator.moderatorID] ?? GroupAggregate(),
        training: history[moderator.moderatorID] ?? [])
    }
    let host = hosts[0]
    var claimed: [String: Set<String>] = [:]
    for definition in host.curriculumDefinitions where !definition.regionWide {
      claimed[definition.id, default: []].formUnion(definition.markets)
    }
    let data = CurriculumData(
      profiles: profiles,
      policyChanges: PolicyChange.changes(policies, firstDay: result.span?.first),
      labelMarkets: labelMarkets, policyLabels: reference.policyBook.labels, training: training, asOf: asOf,
      claimedMarkets: claimed, weekly: request.effect ? result.tables[1] : nil, seed: request.seed)

    var curricula: [CurriculumReport] = []
    var findings: [Finding] = []
    for definition in host.curriculumDefinitions {
      try cancellation.check()
      let evaluated = CurriculumEvaluator(host: host, data: data, limits: options.limits).report(definition)
      curricula.append(evaluated.report)
      findings += evaluated.findings
    }
    try cancellation.check()
    findings += Self.trainingFindings(training, moderators: reference.moderators, curricula: curricula)
    for failure in host.curriculumFailures {
      curricula.append(
        CurriculumReport(
          id: failure.id, name: failure.id, pack: failure.pack, file: failure.file, status: .failed,
          error: failure.message))
    }
    return try Report.assemble(
      run: RunParameters(period: nil, seed: request.seed, asOf: asOf.description, session: nil),
      packs: packs, files: files, absent: absent, hashes: hashes,
      sections: ReportSections(curricula: CurriculumSection(asOf: asOf.description, curricula: curricula)),
      findings: findings, allRan: curricula.allSatisfy { $0.status == .ok })
  }
}

extension CurriculumRun {
  /// Rows of `training.csv` the run cannot use: a moderator `moderators.csv` does not list, or a
  /// module no curriculum declares (nor generates). Each is a finding naming the file, field and
  /// value with its rows, so nothing is dropped silently.
  static func trainingFindings(
    _ training: [TrainingRecord], moderators: [String: Moderator], curricula: [CurriculumReport]
  ) -> [Finding] {
    let known = Set(curricula.flatMap { $0.modules.map(\.id) })
    var unknownModerators: [String: Int] = [:]
    var unknownModules: [String: Int] = [:]
    for record in training {
      if moderators[record.moderatorID] == nil { unknownModerators[record.moderatorID, default: 0] += 1 }
      if !known.isEmpty, !known.contains(record.moduleID) { unknownModules[record.moduleID, default: 0] += 1 }
    }
    let file = ContractFile.training.fileName
    func finding(
      _ severity: Finding.Severity, _ field: String, _ value: String, _ rows: Int, _ problem: String
    )
      -> Finding
    {
      Finding(
        severity: severity, subject: "\(field) \(value)",
        message:
          "\(ReadableNumbers.count(rows)) row\(rows == 1 ? "" : "s") of \(file) name\(rows == 1 ? "s" : "") it: \(problem)",
        evidence: ["file": .text(file), "field": .text(field), "value": .text(value), "rows": .number(Double(rows))],
        detector: "training_data", pack: "caliper", scorecard: file)
    }
    return unknownModerators.sorted { $0.key < $1.key }.map {
      finding(.medium, "moderator_id", $0.key, $0.value, "not in moderators.csv; their training counts for no one")
    }
      + unknownModules.sorted { $0.key < $1.key }.map {
        finding(.info, "module_id", $0.key, $0.value, "no curriculum of these packs declares this module")
      }
  }
}

/// A curriculum run that cannot start.
public struct CurriculumRunError: Error, CustomStringConvertible {
  /// What is wrong.
  public var problem: String
  /// The problem.
  public var description: String { problem }
}
