import CaliperCore
import LuaKit
import Synchronization

extension ScorecardRun {
  /// What every host needs to evaluate its share of the scorecards, all of it `Sendable`.
  struct EvaluationInputs: Sendable {
    var known: KnownValues
    var groupings: [Grouping]
    var tables: [[GroupKey: GroupAggregate]]
    var measureOutcomes: [String: MeasureSink.Outcome]
    var policy: PolicyBook
    var period: String?
    var span: DataSpan?
    var limits: RunLimits
    var seed: UInt64
    var cancellation: CancellationFlag
  }

  /// Every runnable scorecard evaluated and scored, in declaration order. The hosts take the
  /// scorecards in turn (each on a core of its own, with its own state's definitions of them),
  /// and each scorecard's scripts start from the run's seed, so a report does not depend on
  /// which host evaluated what. `hosts` holds the hosts again when this returns.
  static func evaluateCards(
    hosts: inout sending [ScriptHost], _ inputs: EvaluationInputs
  ) throws -> [(report: ScorecardReport, findings: [Finding])] {
    let lent = Mutex(hosts.map(Optional.some))
    hosts = []
    let slots = WorkerSlots(count: lent.withLock { $0.count }) { index in
      lent.withLock { lent -> sending ScriptHost in lent[index].take()! }
    }
    let count = try slots.withSlot(0) { try ScorecardKind.check($0.scorecards, against: inputs.known).runnable.count }
    let next = Atomic(0)
    let shares = try Array(0..<max(1, min(slots.count, count))).concurrentMap { worker in
      try slots.withSlot(worker) { host in try evaluate(next: next, of: count, on: host, inputs) }
    }
    hosts = slots.takeAll()
    return shares.joined().sorted { $0.index < $1.index }.map { ($0.report, $0.findings) }
  }

  /// The scorecards `host` takes from `next` (a shared count of those taken), by index.
  private static func evaluate(
    next: borrowing Atomic<Int>, of count: Int, on host: ScriptHost, _ inputs: EvaluationInputs
  ) throws -> [(index: Int, report: ScorecardReport, findings: [Finding])] {
    let cards = try ScorecardKind.check(host.scorecards, against: inputs.known).runnable
    guard cards.count == count else {
      throw ScorecardFailure(message: "the hosts of one run disagree on the scorecards (\(cards.count) vs \(count))")
    }
    var evaluated: [(index: Int, report: ScorecardReport, findings: [Finding])] = []
    while true {
      let index = next.add(1, ordering: .relaxed).oldValue
      guard index < count else { break }
      try inputs.cancellation.check()
      let card = cards[index]
      let outcome = inputs.measureOutcomes[card.key] ?? MeasureSink.Outcome()
      let measures = outcome.tallies.mapValues { tallies in
        Dictionary(uniqueKeysWithValues: zip(card.measures, tallies).map { ($0.id, $1.metric($0.reduce)) })
      }
      let evaluation = CardEvaluation(
        definition: card, table: inputs.tables[inputs.groupings.firstIndex(of: card.grouping)!],
        measures: measures, policy: inputs.policy, period: inputs.period, span: inputs.span)
      try host.state.seedRandom(Int64(bitPattern: inputs.seed))
      let result = ScorecardEvaluator(host: host, evaluation: evaluation, limits: inputs.limits)
        .report(failure: outcome.failure)
      evaluated.append((index, result.report, result.findings))
    }
    return evaluated
  }
}
