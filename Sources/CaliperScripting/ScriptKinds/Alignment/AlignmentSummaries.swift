import CaliperCore

/// The parts of the alignment section that the engine computes for every run, whatever the
/// rules say: each session's agreement by organisation pair, and each go-live queue's checklist
/// of the rules that looked at it.
enum AlignmentSummaries {
  /// Resamples behind each summary interval.
  static let resamples = 1000
  /// Items the heatmap shows (the most disputed).
  static let heatmapItems = 60

  static func summary(_ session: CalibrationSession, seed: UInt64) throws -> SessionSummary {
    let groups: [[Organisation]] = [
      [.policy, .internal, .vendor], [.internal, .vendor], [.policy, .vendor], [.policy, .internal],
    ]
    let agreements = try groups.map { group in
      OrganisationAgreement(
        among: group.map(\.rawValue),
        alpha: try session.agreement(
          .init(metric: .krippendorff, among: Set(group), resamples: resamples, seed: seed)))
    }
    let disagreements = session.disagreements()
    let references = session.referenceLabels
    let items = Array(disagreements.prefix(heatmapItems).map(\.item))
    var given: [String: [String: String]] = [:]
    for rating in session.ratings { given[rating.raterID, default: [:]][rating.itemID] = rating.label }
    let raters = session.raters
    let cells = raters.map { rater in
      items.map { item -> Int in
        guard let label = given[rater.id]?[item], let reference = references[item]?.label else { return -1 }
        return label == reference ? 1 : 0
      }
    }
    return SessionSummary(
      id: session.id, market: session.market, date: session.date.description, items: session.items.count,
      raters: raters.count, agreements: agreements,
      disputed: disagreements.prefix(5).map {
        DisputedItem(
          item: $0.item, reference: $0.reference, modalShare: $0.modalShare,
          labels: $0.labelCounts.map { "\($0.label): \($0.count)" })
      },
      heatmap: AgreementHeatmap(
        raters: raters.map { "\($0.id) (\($0.organisation.rawValue))" }, items: items, cells: cells))
  }

  static func checklists(
    _ queues: [QueueReadiness], scripts: [AlignmentScriptReport], findings: [Finding]
  ) -> [QueueChecklist] {
    queues.map { readiness in
      let queue = readiness.queue.queue
      var items: [ChecklistItem] = []
      for script in scripts {
        for rule in script.rules where rule.over == .queues {
          guard let check = rule.checks.first(where: { $0.subject == queue }) else { continue }
          let evidence = findings.filter {
            $0.pack == script.pack && $0.scorecard == script.id && $0.detector == rule.id && $0.subject == queue
          }.map(\.message)
          items.append(
            ChecklistItem(
              rule: "\(script.pack)/\(script.id)/\(rule.id)", description: rule.description, passed: check.passed,
              evidence: evidence))
        }
      }
      return QueueChecklist(
        queue: queue, market: readiness.queue.market, goLive: readiness.queue.goLive?.description ?? "",
        moderators: readiness.activeModerators.count, trained: readiness.trained, checks: items)
    }
  }

  /// The region's view of every label across markets, for the report (the `labels` rules see
  /// the same figures, scoped to their pack's markets).
  static func labels(_ labels: [LabelAcrossMarkets]) -> [LabelDivergence] {
    labels.map { label in
      let diverging = Set(label.diverging(alpha: 0.05))
      return LabelDivergence(
        label: label.label, chi2: label.test.value?.chi2, p: label.test.value?.p, adjustedP: label.adjustedP,
        reason: label.test.reason,
        markets: label.markets.map {
          LabelInMarket(
            market: $0.market, accuracy: $0.accuracy, calibration: $0.calibration,
            diverging: diverging.contains($0.market))
        })
    }
  }
}
