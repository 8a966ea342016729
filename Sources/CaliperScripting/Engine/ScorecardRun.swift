import CaliperCore
import Foundation
import LuaKit

/// One scorecard run, start to end, on hosts borrowed from the engine's pool (one per worker):
/// reference data from the source, the scorecards checked against it, one aggregation over
/// the decisions (custom measures in the hosts' states), every scorecard evaluated and scored
/// on host 0, then the report with its provenance. A scorecard that fails is marked failed;
/// the others still run. ``CaliperEngine`` is its only caller.
struct ScorecardRun {
  let source: any DecisionSource
  let packs: PackSet
  let hosts: [ScriptHost]
  let options: CaliperEngine.Options
  let request: ScorecardRequest
  /// Set when the calling task is cancelled; checked between blocks of the pass and stages.
  let cancellation: CancellationFlag

  func report() throws -> Report {
    let reference = try source.referenceData()
    try cancellation.check()
    let known = KnownValues(reference: reference)
    let workerCount = hosts.count
    for host in hosts { try host.prepare(seed: request.seed) }
    cancellation.watch(hosts.map(\.state.interrupter))
    let (cards, unknownValues) = try ScorecardKind.check(hosts[0].scorecards, against: known)
    var groupings: [Grouping] = []
    for card in cards where !groupings.contains(card.grouping) { groupings.append(card.grouping) }

    let result = try source.aggregate(
      AggregationRequest(groupings: groupings, workers: workerCount, progress: request.progress),
      reference: reference
    ) { index in
      try MeasureSink(
        host: hosts[index], scorecards: try ScorecardKind.check(hosts[index].scorecards, against: known).runnable,
        reference: reference, limits: options.limits, cancellation: cancellation, scansRows: source.scansRows)
    }
    try cancellation.check()
    var measureOutcomes: [String: MeasureSink.Outcome] = [:]
    for (sink, dictionary) in result.sinks {
      for (card, outcome) in sink.results(dictionary: dictionary) {
        measureOutcomes[card, default: MeasureSink.Outcome()].merge(outcome)
      }
    }

    let host = hosts[0]
    var scorecards: [ScorecardReport] = []
    var findings: [Finding] = []
    for card in cards {
      try cancellation.check()
      let table = result.tables[groupings.firstIndex(of: card.grouping)!]
      let outcome = measureOutcomes[card.key] ?? MeasureSink.Outcome()
      let measures = outcome.tallies.mapValues { tallies in
        Dictionary(uniqueKeysWithValues: zip(card.measures, tallies).map { ($0.id, $1.metric($0.reduce)) })
      }
      let evaluation = CardEvaluation(
        definition: card, table: table, measures: measures, policy: reference.policyBook, period: request.period,
        span: result.span)
      let evaluated = ScorecardEvaluator(host: host, evaluation: evaluation, limits: options.limits)
        .report(failure: outcome.failure)
      scorecards.append(evaluated.report)
      findings += evaluated.findings
    }
    // A run cancelled while its last scorecard ran returns no partial report.
    try cancellation.check()
    for failure in host.failures + unknownValues {
      scorecards.append(
        ScorecardReport(
          id: failure.id, name: failure.id, pack: failure.pack, file: failure.file, grain: nil, periodGrain: nil,
          period: nil, periods: [], status: .failed, error: failure.message, kpis: [], bands: [], rows: [], trends: [],
          confusions: []))
    }
    return try Report.assemble(
      run: RunParameters(period: request.period, seed: request.seed), packs: packs,
      files: reference.files + [result.reconciliation], absent: reference.absentFiles, source: source,
      sections: ReportSections(scorecards: scorecards), findings: findings,
      allRan: scorecards.allSatisfy { $0.status == .ok })
  }
}
