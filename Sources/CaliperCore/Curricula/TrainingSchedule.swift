/// A curriculum's schedule: every module placed, what was already done, and hours against
/// capacity per site and vendor.
public struct TrainingSchedule: Sendable, Codable, Equatable {
  /// The day it was made on.
  public var asOf: String
  /// Weeks it should finish within.
  public var horizonWeeks: Int
  /// Week 1's ISO label.
  public var firstWeek: String
  /// Modules per moderator in the order taken.
  public var items: [ScheduledModule]
  /// Assigned modules not scheduled because they were completed and are still valid.
  public var skipped: [SkippedModule]
  /// Hours needed against capacity, per site.
  public var sites: [CapacityRollup]
  /// Hours needed, per vendor.
  public var vendors: [CapacityRollup]
}

/// One module in a moderator's schedule.
public struct ScheduledModule: Sendable, Codable, Equatable {
  /// The moderator and where they work.
  public var moderator: String
  /// See `moderator`.
  public var site: String
  /// See `moderator`.
  public var vendor: String
  /// See `moderator`.
  public var market: String
  /// The module and its title.
  public var module: String
  /// See `module`.
  public var title: String
  /// Hours it takes.
  public var hours: Double
  /// How urgent (0: policy change).
  public var priority: Int
  /// The rules that assigned it, comma-separated (`prerequisite, weak_label`).
  public var rule: String
  /// Why.
  public var reason: String
  /// The ISO weeks it starts and ends in (`nil`: no capacity would ever fit it).
  public var startWeek: String?
  /// See `startWeek`.
  public var endWeek: String?
  /// How many weeks from now it ends (1: next week).
  public var weeksFromNow: Int?
  /// Whether it ends within the horizon.
  public var withinHorizon: Bool
}

/// An assignment dropped because the moderator completed the module and it is still valid.
public struct SkippedModule: Sendable, Codable, Equatable {
  /// Who and what.
  public var moderator: String
  /// See `moderator`.
  public var module: String
  /// When completed.
  public var completedOn: String
  /// Until when it counts (`nil`: it does not expire).
  public var validUntil: String?
}

/// Training hours needed by a site or vendor, against what it has per week.
public struct CapacityRollup: Sendable, Codable, Equatable {
  /// The site or vendor.
  public var name: String
  /// Moderators with modules to take.
  public var moderators: Int
  /// Modules scheduled.
  public var modules: Int
  /// Hours all of them need.
  public var hoursNeeded: Double
  /// Hours per week available (`nil`: no limit set).
  public var hoursPerWeek: Double?
  /// Weeks until the last module ends (`nil`: some never fits).
  public var weeksNeeded: Int?
  /// Modules that end after the horizon.
  public var beyondHorizon: Int
}
