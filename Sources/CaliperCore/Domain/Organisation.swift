/// A group of markets run together (APAC, EMEA, ...).
public struct Region: Hashable, Sendable, Codable {
  /// The region's name.
  public var name: String
  /// Its market codes.
  public var markets: [String]

  /// Creates a region.
  public init(name: String, markets: [String]) {
    self.name = name
    self.markets = markets
  }
}

/// A moderation queue (a row of `queues.csv`): one market's stream of one line of business.
public struct Queue: Hashable, Sendable, Codable {
  /// The queue id, e.g. `jp-video-hate`.
  public var queue: String
  /// Its market code, e.g. `JP`.
  public var market: String
  /// Line of business, e.g. `video`, `ads`, `marketplace`.
  public var lineOfBusiness: String
  /// The service level: a decision is within SLA when made this many seconds after enqueueing.
  public var slaSeconds: Int
  /// Forecast decisions per day, for staffing.
  public var forecastDailyVolume: Int
  /// The day the queue goes (or went) live, when planned.
  public var goLive: CalendarDate?

  /// Creates a queue.
  public init(
    queue: String, market: String, lineOfBusiness: String, slaSeconds: Int, forecastDailyVolume: Int,
    goLive: CalendarDate?
  ) {
    self.queue = queue
    self.market = market
    self.lineOfBusiness = lineOfBusiness
    self.slaSeconds = slaSeconds
    self.forecastDailyVolume = forecastDailyVolume
    self.goLive = goLive
  }
}

/// Whether a moderator is on the roster.
public enum ModeratorStatus: String, Sendable, Codable, CaseIterable {
  /// On the roster.
  case active
  /// Left or on leave.
  case inactive
}

/// A moderator at a vendor site (a row of `moderators.csv`).
public struct Moderator: Hashable, Sendable, Codable {
  /// The moderator id.
  public var moderatorID: String
  /// The BPO vendor.
  public var vendor: String
  /// The vendor's site, e.g. `Manila-2`.
  public var site: String
  /// The market served.
  public var market: String
  /// The queue worked.
  public var queue: String
  /// Hire date.
  public var hiredOn: CalendarDate
  /// Roster status.
  public var status: ModeratorStatus

  /// Creates a moderator.
  public init(
    moderatorID: String, vendor: String, site: String, market: String, queue: String, hiredOn: CalendarDate,
    status: ModeratorStatus
  ) {
    self.moderatorID = moderatorID
    self.vendor = vendor
    self.site = site
    self.market = market
    self.queue = queue
    self.hiredOn = hiredOn
    self.status = status
  }
}
