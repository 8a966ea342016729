import CaliperScripting
import Foundation

/// Reports already run, by pack and period, so a repeated request costs no run. A pack's
/// entries are dropped when it reloads; requests with limits of their own bypass the cache.
actor ReportCache {
  private var reports: [Key: Report] = [:]
  /// Encoded answers by pack, period and scorecard: a repeated request is served without
  /// encoding the report again (encoding was most of a cached request's time).
  private var bodies: [Key: [String: Data]] = [:]

  private struct Key: Hashable {
    var pack: String
    var period: String?
  }

  /// The encoded answer for one scorecard, if one was made.
  func body(pack: String, period: String?, scorecard: String) -> Data? {
    bodies[Key(pack: pack, period: period)]?[scorecard]
  }

  /// Keeps an encoded answer.
  func store(_ body: Data, pack: String, period: String?, scorecard: String) {
    bodies[Key(pack: pack, period: period), default: [:]][scorecard] = body
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
    bodies = bodies.filter { $0.key.pack != pack }
  }
}
