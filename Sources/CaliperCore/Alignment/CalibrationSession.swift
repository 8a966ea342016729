/// One calibration session of `calibration.csv`: raters from policy, internal QA and the vendor
/// label the same items, and the session measures how far they agree. An item's reference
/// label is the policy team's where present, else the internal raters' majority (an internal
/// tie leaves it without one).
public struct CalibrationSession: Sendable {
  /// The session id.
  public var id: String
  /// The market calibrated (the first rating's; ``markets`` lists every one seen).
  public var market: String
  /// Every market its ratings name.
  public var markets: [String]
  /// The day of its first rating.
  public var date: CalendarDate
  /// Its ratings, in file order.
  public var ratings: [CalibrationRating]

  /// Sessions of `ratings`, in order of first appearance.
  public static func sessions(from ratings: [CalibrationRating]) -> [CalibrationSession] {
    var index: [String: Int] = [:]
    var sessions: [CalibrationSession] = []
    for rating in ratings {
      if let position = index[rating.sessionID] {
        sessions[position].ratings.append(rating)
        if !sessions[position].markets.contains(rating.market) { sessions[position].markets.append(rating.market) }
        sessions[position].date = min(sessions[position].date, rating.ratedAt.date)
      } else {
        index[rating.sessionID] = sessions.count
        sessions.append(
          CalibrationSession(
            id: rating.sessionID, market: rating.market, markets: [rating.market], date: rating.ratedAt.date,
            ratings: [rating]))
      }
    }
    return sessions
  }

  /// Raters with their organisation, in first-seen order.
  public var raters: [(id: String, organisation: Organisation)] {
    var seen: Set<String> = []
    return ratings.compactMap { seen.insert($0.raterID).inserted ? ($0.raterID, $0.raterOrganisation) : nil }
  }

  /// Items in first-seen order.
  public var items: [String] {
    var seen: Set<String> = []
    return ratings.compactMap { seen.insert($0.itemID).inserted ? $0.itemID : nil }
  }

  /// Where an item's reference label comes from.
  public enum ReferenceSource: String, Sendable, Codable {
    /// The policy team's label.
    case policy
    /// The internal QA raters' majority.
    case internalMajority = "internal_majority"
  }

  /// Each item's reference label and where it comes from; items with neither a policy label
  /// nor an internal majority are absent.
  public var referenceLabels: [String: (label: String, source: ReferenceSource)] {
    var policy: [String: [String: Int]] = [:]
    var internalVotes: [String: [String: Int]] = [:]
    for rating in ratings {
      switch rating.raterOrganisation {
      case .policy: policy[rating.itemID, default: [:]][rating.label, default: 0] += 1
      case .internal: internalVotes[rating.itemID, default: [:]][rating.label, default: 0] += 1
      case .vendor: break
      }
    }
    var references: [String: (label: String, source: ReferenceSource)] = [:]
    for item in items {
      if let label = Self.majority(policy[item]) {
        references[item] = (label, .policy)
      } else if let label = Self.majority(internalVotes[item]) {
        references[item] = (label, .internalMajority)
      }
    }
    return references
  }

  /// The label with strictly the most votes; `nil` on a tie or no votes.
  private static func majority(_ votes: [String: Int]?) -> String? {
    guard let votes, let top = votes.values.max() else { return nil }
    let leaders = votes.filter { $0.value == top }
    return leaders.count == 1 ? leaders.first!.key : nil
  }

  /// The ratings of raters from `organisations`.
  public func ratings(among organisations: Set<Organisation>) -> [CalibrationRating] {
    ratings.filter { organisations.contains($0.raterOrganisation) }
  }
}
