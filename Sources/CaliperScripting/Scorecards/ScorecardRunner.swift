import CaliperCore
import Crypto
import Foundation
import LuaKit

/// `caliper scorecard`: reads the data once (one parallel pass, a Lua state per worker for
/// custom measures), evaluates every scorecard of the packs, runs their findings hooks and
/// returns the report. A scorecard that fails is marked failed; the others still run.
public struct ScorecardRunner {
  /// The data folder.
  public var data: URL
  /// Pack folders, in order.
  public var packs: [URL]
  /// The period the tables show (default: each scorecard's latest).
  public var period: String?
  /// Bad-row policy.
  public var policy: BadRowPolicy = .strict
  /// The seed of `math.random` in every state.
  public var seed: UInt64 = 0
  /// Workers (Lua states in the pool).
  public var workers = ProcessInfo.processInfo.activeProcessorCount
  /// Memory cap per Lua state.
  public var memoryLimit: Int? = 512 << 20
  /// Limits for each block of rows scanned by measures and for each scorecard's evaluation.
  public var limits = RunLimits(timeout: .seconds(120))
  /// Progress of the decisions pass: (bytes done, bytes in all).
  public var progress: (@Sendable (Int, Int) -> Void)?

  /// Creates a runner.
  public init(data: URL, packs: [URL]) {
    self.data = data
    self.packs = packs
  }

  /// Runs everything and returns the report.
  public func run() throws -> Report {
    let reference = try ReferenceData(folder: data, policy: policy)
    let packSet = try PackSet(roots: packs)
    let known = KnownValues(reference: reference)
    let workerCount = max(1, workers)
    let hosts = try (0..<workerCount).map { _ in
      try ScriptHost(packs: packSet, knownValues: known, seed: seed, memoryLimit: memoryLimit)
    }
    let cards = hosts[0].scorecards
    var groupings: [Grouping] = []
    for card in cards where !groupings.contains(card.grouping) { groupings.append(card.grouping) }

    var pass = DecisionPass(folder: data, policy: policy, groupings: groupings)
    pass.workers = workerCount
    pass.progress = progress
    let result = try pass.run(reference: reference) { index in
      try MeasureSink(host: hosts[index], reference: reference, limits: limits)
    }
    var measureOutcomes: [Int: MeasureSink.Outcome] = [:]
    for (sink, dictionary) in result.sinks {
      for (card, outcome) in sink.results(dictionary: dictionary) {
        measureOutcomes[card, default: MeasureSink.Outcome()].merge(outcome)
      }
    }

    let host = hosts[0]
    var scorecards: [ScorecardReport] = []
    for (index, card) in cards.enumerated() {
      let table = result.tables[groupings.firstIndex(of: card.grouping)!]
      let outcome = measureOutcomes[index] ?? MeasureSink.Outcome()
      let measures = outcome.tallies.mapValues { tallies in
        Dictionary(uniqueKeysWithValues: zip(card.measures, tallies).map { ($0.id, $1.metric($0.reduce)) })
      }
      let evaluation = CardEvaluation(
        definition: card, table: table, measures: measures, policy: reference.policyBook, period: period)
      let evaluator = ScorecardEvaluator(host: host, evaluation: evaluation, limits: limits)
      scorecards.append(evaluator.report(failure: outcome.failure))
    }

    for failure in host.failures {
      scorecards.append(
        ScorecardReport(
          id: failure.id, name: failure.id, pack: failure.pack, file: failure.file, grain: nil, periodGrain: nil,
          period: nil, periods: [], status: "failed", error: failure.message, kpis: [], bands: [], rows: [], trends: [],
          confusions: []))
    }
    var files: [DataFileRecord] = []
    for tally in reference.files + [result.reconciliation] {
      files.append(
        DataFileRecord(
          file: tally.file, sha256: try Self.sha256(of: data.appendingPathComponent(tally.file)),
          rowsRead: tally.rowsRead, rowsAccepted: tally.rowsAccepted, rowsRejected: tally.rowsRejected,
          extraColumns: tally.extraColumns))
    }
    let findings = host.context.findings.sorted {
      ($0.severity, $0.pack, $0.scorecard, $0.subject, $0.period ?? "", $0.message)
        < ($1.severity, $1.pack, $1.scorecard, $1.subject, $1.period ?? "", $1.message)
    }
    return Report(
      caliper: ToolkitVersion(version: CaliperVersion.toolkit, luaAPI: CaliperVersion.luaAPI),
      run: RunParameters(period: period, seed: seed),
      packs: packSet.all.values.sorted { $0.manifest.name < $1.manifest.name }.map {
        PackRecord(
          name: $0.manifest.name, version: $0.manifest.version, extends: $0.manifest.extends, sha256: $0.contentHash)
      },
      data: DataRecord(files: files.sorted { $0.file < $1.file }, absent: reference.absentFiles.sorted()),
      scorecards: scorecards, findings: findings,
      status: scorecards.allSatisfy { $0.status == "ok" } ? "ok" : "failed")
  }

  /// SHA-256 of a file, read in 1 MiB chunks.
  static func sha256(of url: URL) throws -> String {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    var hash = SHA256()
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update(data: chunk) }
    return hash.finalize().map { String(format: "%02x", $0) }.joined()
  }
}
