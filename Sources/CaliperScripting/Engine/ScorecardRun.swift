import CaliperCore
import Foundation
import LuaKit
import Synchronization

/// What a scorecard run asks for besides the data.
public struct ScorecardRequest: RunRequest {
  /// The period the tables show (default: each scorecard's latest).
  public var period: String?
  /// The seed of `math.random` in every state.
  public var seed: UInt64
  /// Progress of the decisions pass: (bytes done, bytes in all).
  public var progress: (@Sendable (Int, Int) -> Void)?
  /// This run's time and instruction limits (default: the engine's).
  public var limits: RunLimits?
  /// This run's memory cap per Lua state, in bytes (default: the engine's).
  public var memoryLimit: Int?

  /// Creates a request.
  public init(
    period: String? = nil, seed: UInt64 = 0, limits: RunLimits? = nil, memoryLimit: Int? = nil,
    progress: (@Sendable (Int, Int) -> Void)? = nil
  ) {
    self.period = period
    self.seed = seed
    self.limits = limits
    self.memoryLimit = memoryLimit
    self.progress = progress
  }
}

/// One scorecard run, start to end, on hosts borrowed from the engine's pool (one per worker):
/// reference data from the source, the scorecards checked against it, one aggregation over
/// the decisions (custom measures in the hosts' states), every scorecard evaluated and scored
/// (spread over the hosts), then the report with its provenance. A scorecard that fails is
/// marked failed; the others still run. ``CaliperEngine`` is its only caller.
struct ScorecardRun {
  let source: any DecisionSource
  let packs: PackSet
  let options: CaliperEngine.Options
  let request: ScorecardRequest
  /// Set when the calling task is cancelled; checked between blocks of the pass and stages.
  let cancellation: CancellationFlag

  /// The groupings of `host`'s runnable scorecards, each once.
  private static func groupings(of host: ScriptHost, _ known: KnownValues) throws -> [Grouping] {
    var groupings: [Grouping] = []
    for card in try ScorecardKind.check(host.scorecards, against: known).runnable
    where !groupings.contains(card.grouping) {
      groupings.append(card.grouping)
    }
    return groupings
  }

  /// The report, from `hosts` (one per worker). Each host goes to its worker's sink as a value
  /// of its own and comes back with it; `hosts` holds them again when the run returns.
  func report(hosts: inout sending [ScriptHost]) throws -> Report {
    let (hashes, reference) = try RunStart(source: source, cancellation: cancellation).parts
    let known = KnownValues(reference: reference)
    let workerCount = hosts.count
    let lent = Mutex(hosts.map(Optional.some))
    hosts = []
    // Read from a host in its slot: a throwing call on a host before the hosts go to their
    // slots keeps the compiler from letting them go.
    let groupings = try lent.withLock { try Self.groupings(of: $0[0]!, known) }
    let (options, cancellation, scansRows, sourceName) = (options, cancellation, source.scansRows, source.sourceName)
    let result = try source.aggregate(
      AggregationRequest(
        groupings: groupings, workers: workerCount, progress: request.progress,
        digest: hashes.digestFromPass),
      reference: reference
    ) { index in
      try lent.withLock { lent -> sending MeasureSink in
        guard lent.indices.contains(index), let host = lent[index].take() else {
          throw ScorecardFailure(
            message:
              "data source \(sourceName) asked for worker \(index)'s sink twice, or for a worker it was not given")
        }
        return try MeasureSink(
          host: host, scorecards: try ScorecardKind.check(host.scorecards, against: known).runnable,
          reference: reference, limits: options.limits, cancellation: cancellation, scansRows: scansRows)
      }
    }
    // The hosts come back from the sinks, and from the slots a source made no sink for.
    hosts =
      result.sinks.map(\.sink.host)
      + lent.withLock { lent -> sending [ScriptHost] in
        defer { lent = [] }
        return lent.compactMap { $0 }
      }
    try cancellation.check()
    var measureOutcomes: [String: MeasureSink.Outcome] = [:]
    for (sink, dictionary) in result.sinks {
      for (card, outcome) in sink.results(dictionary: dictionary) {
        measureOutcomes[card, default: MeasureSink.Outcome()].merge(outcome)
      }
    }

    // Checked again on the hosts that evaluate them (the definitions belong to each one's state).
    let failures = hosts[0].failures
    let unknownValues = try ScorecardKind.check(hosts[0].scorecards, against: known).failures
    let inputs = EvaluationInputs(
      known: known, groupings: groupings, tables: result.tables, measureOutcomes: measureOutcomes,
      policy: reference.policyBook, period: request.period, span: result.span, limits: options.limits,
      seed: request.seed, cancellation: cancellation)
    var scorecards: [ScorecardReport] = []
    var findings: [Finding] = []
    for (report, found) in try Self.evaluateCards(hosts: &hosts, inputs) {
      scorecards.append(report)
      findings += found
    }
    // A run cancelled while its last scorecard ran returns no partial report.
    try cancellation.check()
    for failure in failures + unknownValues {
      scorecards.append(
        ScorecardReport(
          id: failure.id, name: failure.id, pack: failure.pack, file: failure.file, grain: nil, periodGrain: nil,
          period: nil, periods: [], status: .failed, error: failure.message, kpis: [], bands: [], rows: [], trends: [],
          confusions: []))
    }
    return try Report.assemble(
      run: RunParameters(period: request.period, seed: request.seed), packs: packs,
      files: reference.files + [result.reconciliation], absent: reference.absentFiles, hashes: hashes,
      sections: ReportSections(scorecards: scorecards), findings: findings,
      allRan: scorecards.allSatisfy { $0.status == .ok })
  }
}
