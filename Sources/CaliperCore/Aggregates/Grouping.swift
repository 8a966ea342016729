/// What a scorecard's rows are: the dimension decisions are grouped by.
public enum Grain: String, Sendable, Codable, CaseIterable, Comparable {
  /// BPO vendors.
  case vendor
  /// Vendor sites.
  case site
  /// Queues.
  case queue
  /// Markets.
  case market
  /// Moderators.
  case moderator
  /// The label the moderator gave.
  case label

  /// Orders by name.
  public static func < (lhs: Grain, rhs: Grain) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Which decisions count: every set given must contain the decision's value (an absent or
/// empty set lets everything through), and `decided_at` must fall in the date range.
public struct RowFilter: Sendable, Equatable, Hashable, Codable {
  // Coding is written out below so that sets encode sorted.
  /// Markets to keep.
  public var markets: Set<String> = []
  /// Queues to keep.
  public var queues: Set<String> = []
  /// Vendors to keep.
  public var vendors: Set<String> = []
  /// Sites to keep.
  public var sites: Set<String> = []
  /// Lines of business to keep (from `queues.csv`).
  public var linesOfBusiness: Set<String> = []
  /// First day kept (UTC), if any.
  public var from: CalendarDate?
  /// Last day kept (UTC), if any.
  public var through: CalendarDate?

  /// Keeps everything.
  public init() {}

  /// Whether the filter keeps everything.
  public var keepsEverything: Bool { self == RowFilter() }

  /// Whether the filter has a first or last day (else its verdict on a row depends only on the
  /// row's market, vendor, site and queue).
  public var hasDates: Bool { from != nil || through != nil }

  private enum CodingKeys: String, CodingKey { case markets, queues, vendors, sites, linesOfBusiness, from, through }

  /// Decodes a filter (absent sets keep everything).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    markets = Set(try c.decodeIfPresent([String].self, forKey: .markets) ?? [])
    queues = Set(try c.decodeIfPresent([String].self, forKey: .queues) ?? [])
    vendors = Set(try c.decodeIfPresent([String].self, forKey: .vendors) ?? [])
    sites = Set(try c.decodeIfPresent([String].self, forKey: .sites) ?? [])
    linesOfBusiness = Set(try c.decodeIfPresent([String].self, forKey: .linesOfBusiness) ?? [])
    from = try c.decodeIfPresent(CalendarDate.self, forKey: .from)
    through = try c.decodeIfPresent(CalendarDate.self, forKey: .through)
  }

  /// Encodes sets sorted, so the same filter always gives the same bytes.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(markets.sorted(), forKey: .markets)
    try c.encode(queues.sorted(), forKey: .queues)
    try c.encode(vendors.sorted(), forKey: .vendors)
    try c.encode(sites.sorted(), forKey: .sites)
    try c.encode(linesOfBusiness.sorted(), forKey: .linesOfBusiness)
    try c.encodeIfPresent(from, forKey: .from)
    try c.encodeIfPresent(through, forKey: .through)
  }
}

/// One way of grouping the decisions pass: by a grain, per period, over the filtered rows.
public struct Grouping: Sendable, Hashable, Codable {
  /// The dimension.
  public var grain: Grain
  /// The period grain.
  public var period: PeriodGrain
  /// Which decisions.
  public var filter: RowFilter

  /// Creates a grouping.
  public init(grain: Grain, period: PeriodGrain, filter: RowFilter = RowFilter()) {
    self.grain = grain
    self.period = period
    self.filter = filter
  }
}

/// A group of a grouping: the dimension's value in one period.
public struct GroupKey: Sendable, Hashable, Comparable, Codable {
  /// The grain's value (a site's name, a moderator's id, ...).
  public var group: String
  /// The period label (`2026-W27`).
  public var period: String

  /// Creates a key.
  public init(group: String, period: String) {
    self.group = group
    self.period = period
  }

  /// Orders by group, then period.
  public static func < (lhs: GroupKey, rhs: GroupKey) -> Bool { (lhs.group, lhs.period) < (rhs.group, rhs.period) }
}
