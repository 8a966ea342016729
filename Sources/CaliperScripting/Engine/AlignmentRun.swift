import CaliperCore
import Foundation
import LuaKit

/// What an alignment run asks for besides the data.
public struct AlignmentRequest: RunRequest {
  /// The day checks are made on (default: the day after the latest decision).
  public var asOf: CalendarDate?
  /// Only this calibration session (default: every one).
  public var session: String?
  /// Days after the as-of date within which a queue's go-live is checked.
  public var horizonDays: Int
  /// The seed of `math.random` and of bootstrap resamples.
  public var seed: UInt64
  /// Progress of the decisions pass: (bytes done, bytes in all).
  public var progress: (@Sendable (Int, Int) -> Void)?
  /// This run's time and instruction limits (default: the engine's).
  public var limits: RunLimits?
  /// This run's memory cap per Lua state, in bytes (default: the engine's).
  public var memoryLimit: Int?

  /// Creates a request.
  public init(
    asOf: CalendarDate? = nil, session: String? = nil, horizonDays: Int = 60, seed: UInt64 = 0,
    limits: RunLimits? = nil, memoryLimit: Int? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil
  ) {
    self.limits = limits
    self.memoryLimit = memoryLimit
    self.asOf = asOf
    self.session = session
    self.horizonDays = horizonDays
    self.seed = seed
    self.progress = progress
  }
}

/// One alignment run: the decisions aggregated by vendor, site, market and queue in one pass,
/// the small files read as records, the objects of every subject built, then every alignment
/// script's rules run on host 0. ``CaliperEngine`` is its only caller.
struct AlignmentRun {
  let source: any DecisionSource
  let packs: PackSet
  let hosts: [ScriptHost]
  let options: CaliperEngine.Options
  let request: AlignmentRequest
  let cancellation: CancellationFlag

  /// Pooled over the run (vendor and site by month also measure monthly self-reports); the
  /// market-by-day table dates the run.
  private static let groupings = [
    Grouping(grain: .vendor, period: .month), Grouping(grain: .site, period: .month),
    Grouping(grain: .market, period: .day), Grouping(grain: .queue, period: .month),
    Grouping(grain: .vendor, period: .day), Grouping(grain: .label, period: .day),
  ]
  /// Added only when vendors report weekly figures.
  private static let weeklyGroupings = [Grouping(grain: .vendor, period: .week), Grouping(grain: .site, period: .week)]

  func report() throws -> Report {
    let (hashes, reference) = try RunStart(source: source, cancellation: cancellation).parts
    var files = reference.files
    var absent = reference.absentFiles
    func records<Record: ContractRecord>(_ type: Record.Type, tallied: Bool = true) throws -> [Record] {
      guard let batch = try source.records(type) else { return [] }
      if tallied { files.append(batch.reconciliation) }
      return batch.records
    }
    let vendorReports = try records(VendorReport.self)
    let groupings =
      Self.groupings + (vendorReports.contains { $0.period.grain == .week } ? Self.weeklyGroupings : [])
    let result = try source.aggregate(
      AggregationRequest(
        groupings: groupings, workers: hosts.count, progress: request.progress,
        digest: hashes.digestFromPass),
      reference: reference
    ) { _ in NoSink() }
    try cancellation.check()
    files.append(result.reconciliation)
    let calibration = try records(CalibrationRating.self)
    let training = try records(TrainingRecord.self)
    let redteam = try records(RedTeamCase.self)
    let audits = reference.hasAudits ? try records(QAAudit.self, tallied: false) : []
    for file in [ContractFile.calibration, .training, .redteam, .vendorReports]
    where !files.contains(where: { $0.file == file.fileName }) {
      if !absent.contains(file.fileName) { absent.append(file.fileName) }
    }

    var pooled: [Grain: [String: GroupAggregate]] = [:]
    for (grouping, table) in zip(groupings, result.tables) where grouping.period == .month || grouping.grain == .market
    {
      for (key, state) in table {
        pooled[grouping.grain, default: [:]][key.group, default: GroupAggregate()].merge(state)
      }
    }
    let latestDay = result.tables[2].keys.compactMap { CalendarDate(parsing: $0.period) }.max()
    guard let asOf = request.asOf ?? latestDay.map({ CalendarDate(daysSinceEpoch: $0.daysSinceEpoch + 1) }) else {
      throw AlignmentRunError(problem: "decisions.csv has no decisions to date the run by; give --as-of")
    }
    var sessions = CalibrationSession.sessions(from: calibration)
    if let wanted = request.session {
      sessions = sessions.filter { $0.id == wanted }
      guard !sessions.isEmpty else {
        throw AlignmentRunError(problem: "no calibration session '\(wanted)' in calibration.csv")
      }
    }
    var data = AlignmentData(policy: reference.policyBook, seed: request.seed, asOf: asOf)
    data.sessions = sessions
    data.groups = pooled
    data.auditors = AuditorAgreement.measure(audits)
    data.redteam = RedTeamResults(redteam)
    let firstDay = result.tables[2].keys.compactMap { CalendarDate(parsing: $0.period) }.min()
    data.policyChanges = PolicyChange.changes(try records(PolicyLabel.self, tallied: false), firstDay: firstDay)
    data.daily = [.market: result.tables[2], .vendor: result.tables[4], .label: result.tables[5]]
    data.training = training
    data.moderators = reference.moderators.values.sorted { $0.moderatorID < $1.moderatorID }
    data.reported = ReportedFigure.compare(
      vendorReports, tables: Dictionary(zip(groupings, result.tables), uniquingKeysWith: { first, _ in first }))
    data.queues = readiness(reference: reference, training: training, pooled: pooled[.queue] ?? [:], asOf: asOf)

    let host = hosts[0]
    var scripts: [AlignmentScriptReport] = []
    var findings: [Finding] = []
    for definition in host.alignments {
      try cancellation.check()
      let evaluated = AlignmentEvaluator(host: host, data: data, limits: options.limits).report(definition)
      scripts.append(evaluated.report)
      findings += evaluated.findings
    }
    try cancellation.check()
    for failure in host.alignmentFailures {
      scripts.append(
        AlignmentScriptReport(
          id: failure.id, name: failure.id, pack: failure.pack, file: failure.file, status: .failed,
          error: failure.message, rules: []))
    }
    let section = AlignmentSection(
      asOf: asOf.description, scripts: scripts,
      sessions: try sessions.concurrentMap { [seed = request.seed] in try AlignmentSummaries.summary($0, seed: seed) },
      readiness: AlignmentSummaries.checklists(data.queues, scripts: scripts, findings: findings),
      labels: AlignmentSummaries.labels(
        LabelAcrossMarkets.measure(labels: data.policy.labels, markets: pooled[.market] ?? [:], sessions: sessions)))
    return try Report.assemble(
      run: RunParameters(period: nil, seed: request.seed, asOf: asOf.description, session: request.session),
      packs: packs, files: files, absent: absent, hashes: hashes, sections: ReportSections(alignment: section),
      findings: findings, allRan: scripts.allSatisfy { $0.status == .ok })
  }

  /// Queues going live after `asOf` within the horizon, with their staff and training.
  private func readiness(
    reference: ReferenceData, training: [TrainingRecord], pooled: [String: GroupAggregate], asOf: CalendarDate
  ) -> [QueueReadiness] {
    var completed: Set<String> = []
    for record in training {
      if let done = record.completedAt, done.date <= asOf { completed.insert(record.moderatorID) }
    }
    let horizon = asOf.daysSinceEpoch + Int64(request.horizonDays)
    return reference.queues.values.filter { queue in
      guard let goLive = queue.goLive else { return false }
      return goLive > asOf && goLive.daysSinceEpoch <= horizon
    }.sorted { $0.queue < $1.queue }.map { queue in
      let staff = reference.moderators.values.filter { $0.queue == queue.queue && $0.status == .active }.map(
        \.moderatorID
      )
      .sorted()
      return QueueReadiness(
        queue: queue, daysToGoLive: Int(queue.goLive!.daysSinceEpoch - asOf.daysSinceEpoch), activeModerators: staff,
        trainedModerators: staff.filter { completed.contains($0) },
        measuredHandleSeconds: Self.comparableHandle(for: queue, queues: reference.queues, pooled: pooled))
    }
  }

  /// Mean handle time of decisions in other queues of the same market and line of business,
  /// else of the same market, else of every queue.
  static func comparableHandle(
    for queue: Queue, queues: [String: Queue], pooled: [String: GroupAggregate]
  ) -> (seconds: Double, basis: String)? {
    let candidates: [(String, (Queue) -> Bool)] = [
      (
        "\(queue.market) \(queue.lineOfBusiness) queues",
        { $0.market == queue.market && $0.lineOfBusiness == queue.lineOfBusiness }
      ),
      ("\(queue.market) queues", { $0.market == queue.market }),
      ("every queue", { _ in true }),
    ]
    for (basis, matches) in candidates {
      var state = GroupAggregate()
      for (name, aggregate) in pooled where name != queue.queue {
        guard let other = queues[name], matches(other) else { continue }
        state.merge(aggregate)
      }
      if let mean = state.handleMean.value { return (mean, basis) }
    }
    return nil
  }
}

/// An alignment run that cannot start.
public struct AlignmentRunError: Error, CustomStringConvertible {
  /// What is wrong.
  public var problem: String
  /// The problem.
  public var description: String { problem }
}
