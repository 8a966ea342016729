/// A module assigned to a moderator: by a curriculum rule, by a policy change, or as the
/// prerequisite of another assignment.
public struct TrainingAssignment: Sendable, Codable, Equatable {
  /// The moderator.
  public var moderator: String
  /// The module id.
  public var module: String
  /// Smaller is sooner: policy-change training is 0, rules say 1, 2, ...
  public var priority: Int
  /// Why, for people (with the evidence: `recall 41% on hate_speech (n=22)`).
  public var reason: String
  /// The rule that assigned it (`policy_change`, `prerequisite` or a rule id).
  public var rule: String

  /// Creates an assignment.
  public init(moderator: String, module: String, priority: Int, reason: String, rule: String) {
    self.moderator = moderator
    self.module = module
    self.priority = priority
    self.reason = reason
    self.rule = rule
  }

  /// The rule name of policy-change training.
  public static let policyChangeRule = "policy_change"
  /// The rule name of a prerequisite pulled in by another assignment.
  public static let prerequisiteRule = "prerequisite"
}

/// Weekly training hours: each moderator's, and each site's in all.
public struct TrainingCapacity: Sendable, Codable, Equatable {
  /// Hours one moderator may train per week.
  public var hoursPerWeek: Double
  /// Hours a site may spend per week, by site.
  public var siteHoursPerWeek: [String: Double]
  /// Hours per week of a site not listed (`nil`: no site limit).
  public var defaultSiteHoursPerWeek: Double?

  /// Creates a capacity.
  public init(hoursPerWeek: Double, siteHoursPerWeek: [String: Double] = [:], defaultSiteHoursPerWeek: Double? = nil) {
    self.hoursPerWeek = hoursPerWeek
    self.siteHoursPerWeek = siteHoursPerWeek
    self.defaultSiteHoursPerWeek = defaultSiteHoursPerWeek
  }

  /// A site's weekly hours (`nil`: unlimited).
  public func siteHours(_ site: String) -> Double? { siteHoursPerWeek[site] ?? defaultSiteHoursPerWeek }
}
