/// A training module a curriculum declares (or one Caliper generates for a policy label no
/// declared module covers).
public struct TrainingModule: Sendable, Codable, Equatable {
  /// Unique within the curriculum (`SH-101`).
  public var id: String
  /// For people.
  public var title: String
  /// Policy labels it teaches.
  public var covers: [String]
  /// A skill it teaches instead of labels (`ai_assist`).
  public var skill: String?
  /// Modules to complete first.
  public var requires: [String]
  /// Hours it takes.
  public var hours: Double
  /// Days a completion stays valid (re-certification); `nil`: for good.
  public var expiresDays: Int?
  /// The policy version it teaches (`v8`), for policy-change training.
  public var teachesPolicy: String?
  /// Whether Caliper generated it (`refresher:<label>`).
  public var generated: Bool

  /// Creates a module.
  public init(
    id: String, title: String, covers: [String] = [], skill: String? = nil, requires: [String] = [],
    hours: Double, expiresDays: Int? = nil, teachesPolicy: String? = nil, generated: Bool = false
  ) {
    self.id = id
    self.title = title
    self.covers = covers
    self.skill = skill
    self.requires = requires
    self.hours = hours
    self.expiresDays = expiresDays
    self.teachesPolicy = teachesPolicy
    self.generated = generated
  }

  /// The id of the refresher generated for `label`.
  public static func refresherID(_ label: String) -> String { "refresher:\(label)" }
}

/// What is wrong with a curriculum's modules (an unknown prerequisite, a cycle).
public struct CurriculumError: Error, Sendable, CustomStringConvertible {
  /// What is wrong, naming the module.
  public var problem: String
  /// Creates an error.
  public init(_ problem: String) { self.problem = problem }
  /// The problem.
  public var description: String { problem }
}
