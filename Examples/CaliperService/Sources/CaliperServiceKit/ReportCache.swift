import CaliperScripting

/// Reports already run, by pack and period, so a repeated request costs no run. A pack's
/// entries are dropped when it reloads; requests with limits of their own bypass the cache.
actor ReportCache {
  private var reports: [Key: Report] = [:]

  private struct Key: Hashable {
    var pack: String
    var period: String?
  }

  /// The report of `pack` for `period`, if one was run.
  func report(pack: String, period: String?) -> Report? {
    reports[Key(pack: pack, period: period)]
  }

  /// Keeps `report`.
  func store(_ report: Report, pack: String, period: String?) {
    reports[Key(pack: pack, period: period)] = report
  }

  /// Drops every report of `pack`.
  func invalidate(pack: String) {
    reports = reports.filter { $0.key.pack != pack }
  }
}
