import CaliperCore
import LuaKit

/// Everything alignment rules look at in one run, built once from the data source: the
/// objects of every ``AlignmentSubject``.
struct AlignmentData {
  var sessions: [CalibrationSession] = []
  /// Vendors, sites and markets, each pooled over the whole period.
  var groups: [Grain: [String: GroupAggregate]] = [:]
  var auditors: [AuditorAgreement] = []
  var queues: [QueueReadiness] = []
  var redteam = RedTeamResults([])
  var reported: [ReportedFigure] = []
  var policyChanges: [PolicyChange] = []
  /// Day-by-day aggregates for policy changes: by market, by vendor, by label.
  var daily: [Grain: [GroupKey: GroupAggregate]] = [:]
  var training: [TrainingRecord] = []
  var moderators: [Moderator] = []
  var policy: PolicyBook
  var seed: UInt64
  var asOf: CalendarDate

  /// The objects a rule over `subject` checks, each with the name findings and checks use;
  /// with `markets`, only those of these markets; objects that belong to no one market
  /// (auditors, red-team comparisons pooled over markets) only when `regionWide`.
  func objects(
    _ subject: AlignmentSubject, markets: Set<String> = [], regionWide: Bool = true
  ) -> [(subject: String, object: any LuaPushable)] {
    let inScope = { (market: String?) in
      guard let market else { return regionWide }
      return markets.isEmpty || markets.contains(market)
    }
    switch subject {
    case .sessions:
      return sessions.filter { inScope($0.market) }.map {
        ($0.id, LuaObject(SessionView(session: $0, policy: policy, seed: seed)))
      }
    case .vendors: return groupObjects(.vendor, markets: markets)
    case .sites: return groupObjects(.site, markets: markets)
    case .markets: return groupObjects(.market, markets: markets)
    case .auditors:
      return regionWide ? auditors.map { ($0.auditor, LuaObject(AuditorView(auditor: $0))) } : []
    case .queues:
      return queues.filter { inScope($0.queue.market) }.map { ($0.queue.queue, LuaObject(QueueView(readiness: $0))) }
    case .labels:
      // Comparing markets is the region's business: a market pack sees its own markets only.
      return LabelAcrossMarkets.measure(
        labels: policy.labels, markets: (groups[.market] ?? [:]).filter { inScope($0.key) },
        sessions: sessions.filter { inScope($0.market) }
      ).map { ($0.label, LuaObject(LabelView(label: $0, policy: policy))) }
    case .policies:
      // A change applies in every market whose moderators are in scope.
      let staff = markets.isEmpty ? moderators : moderators.filter { markets.contains($0.market) }
      let inMarkets = { (table: [GroupKey: GroupAggregate]?) -> [GroupKey: GroupAggregate] in
        (table ?? [:]).filter { markets.isEmpty || markets.contains($0.key.group) }
      }
      return policyChanges.map { change in
        (
          change.subject,
          LuaObject(
            PolicyView(
              change: change, byMarket: inMarkets(daily[.market]), byVendor: daily[.vendor] ?? [:],
              byLabel: daily[.label] ?? [:], training: training, moderators: staff))
        )
      }
    case .reports:
      // A report of a vendor or site with no decisions belongs to no market: the region's packs
      // still check it (it cannot be verified), so it is never dropped unseen.
      return reported.filter {
        $0.markets.isEmpty ? regionWide : markets.isEmpty || !markets.isDisjoint(with: $0.markets)
      }.map {
        ($0.subject, LuaObject(ReportedFigureView(figure: $0)))
      }
    case .redteam:
      return redteam.comparisons.filter { inScope($0.market) }.map { comparison in
        let scope = comparison.market.map { " in \($0)" } ?? ""
        let cells = redteam.cells.filter {
          $0.technique == comparison.technique && (comparison.market == nil || $0.market == comparison.market)
        }
        return (
          "\(comparison.technique)\(scope): \(comparison.before) → \(comparison.after)",
          LuaObject(RedTeamView(comparison: comparison, cells: comparison.market == nil ? [] : cells))
        )
      }
    }
  }

  private func groupObjects(_ grain: Grain, markets: Set<String>) -> [(subject: String, object: any LuaPushable)] {
    (groups[grain] ?? [:]).filter { markets.isEmpty || !markets.isDisjoint(with: $0.value.context.markets) }
      .sorted { $0.key < $1.key }.map { name, state in
        (
          name,
          LuaObject(
            GroupView(
              grain: grain, key: GroupKey(group: name, period: "all"), state: state, measures: [:], policy: policy))
        )
      }
  }
}
