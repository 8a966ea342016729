/// The markets, vendors and sites a group's decisions came from (context for reports).
public struct ContextAggregate<Key: Hashable & Comparable & Sendable>: Sendable, Equatable {
  /// Markets.
  public var markets = Set<Key>()
  /// Vendors.
  public var vendors = Set<Key>()
  /// Sites.
  public var sites = Set<Key>()

  /// No decisions.
  public init() {}

  /// Adds another part's values.
  public mutating func merge(_ other: ContextAggregate) {
    markets.formUnion(other.markets)
    vendors.formUnion(other.vendors)
    sites.formUnion(other.sites)
  }

  /// The same values with every key translated.
  public func mapKeys<NewKey>(_ transform: (Key) -> NewKey) -> ContextAggregate<NewKey> {
    var mapped = ContextAggregate<NewKey>()
    mapped.markets = Set(markets.map(transform))
    mapped.vendors = Set(vendors.map(transform))
    mapped.sites = Set(sites.map(transform))
    return mapped
  }
}

extension ContextAggregate: AggregateFamily where Key == String {
  /// Adds the decision's market, vendor and site.
  public mutating func add(_ joined: JoinedDecision) {
    markets.insert(joined.decision.market)
    vendors.insert(joined.decision.vendor)
    sites.insert(joined.decision.site)
  }
}

extension ContextAggregate: Codable where Key == String {
  private enum CodingKeys: String, CodingKey { case markets, vendors, sites }

  /// Decodes what `encode(to:)` wrote.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    markets = Set(try c.decode([String].self, forKey: .markets))
    vendors = Set(try c.decode([String].self, forKey: .vendors))
    sites = Set(try c.decode([String].self, forKey: .sites))
  }

  /// Encodes with every set sorted, so the same values always give the same bytes.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(markets.sorted(), forKey: .markets)
    try c.encode(vendors.sorted(), forKey: .vendors)
    try c.encode(sites.sorted(), forKey: .sites)
  }
}
