/// A curriculum's modules by id, with a generated refresher for every policy label no declared
/// module covers (policies gain labels faster than packs are edited), and the prerequisite
/// order modules are taken in.
public struct ModuleCatalog: Sendable {
  /// Every module, declared ones first in declaration order, then generated refreshers by label.
  public private(set) var modules: [TrainingModule]
  private var byID: [String: Int] = [:]

  /// The catalog of `declared`, with refreshers of `defaultHours` for each of `policyLabels`
  /// no declared module covers. Throws when a module id repeats, a prerequisite is unknown or
  /// prerequisites form a cycle, naming the module.
  public init(declared: [TrainingModule], policyLabels: [String], defaultHours: Double) throws {
    modules = declared
    let covered = Set(declared.flatMap(\.covers))
    for label in policyLabels.sorted() where !covered.contains(label) {
      modules.append(
        TrainingModule(
          id: TrainingModule.refresherID(label), title: "Refresher: \(label)", covers: [label], hours: defaultHours,
          generated: true))
    }
    for (index, module) in modules.enumerated() {
      guard byID[module.id] == nil else { throw CurriculumError("module '\(module.id)' is declared twice") }
      byID[module.id] = index
    }
    for module in modules {
      for required in module.requires where byID[required] == nil {
        throw CurriculumError("module '\(module.id)' requires '\(required)', which no module declares")
      }
    }
    for module in modules { _ = try prerequisites(of: module.id) }
  }

  /// The module with this id.
  public subscript(_ id: String) -> TrainingModule? { byID[id].map { modules[$0] } }

  /// The modules Caliper generated.
  public var generated: [TrainingModule] { modules.filter(\.generated) }

  /// The entry module for a label: the first covering it with no prerequisite covering it too
  /// (so `SH-101`, not `SH-201`), else the first covering it.
  public func entry(for label: String) -> TrainingModule? {
    let covering = modules.filter { $0.covers.contains(label) }
    return covering.first { module in
      !module.requires.contains { self[$0]?.covers.contains(label) ?? false }
    } ?? covering.first
  }

  /// The modules teaching a policy version.
  public func teaching(policy version: String) -> [TrainingModule] {
    modules.filter { $0.teachesPolicy == version }
  }

  /// Every prerequisite of `id`, transitively, deepest first (each once); throws on a cycle.
  public func prerequisites(of id: String) throws -> [String] {
    var order: [String] = []
    var done: Set<String> = []
    var path: [String] = []
    func visit(_ current: String) throws {
      if done.contains(current) { return }
      if let start = path.firstIndex(of: current) {
        throw CurriculumError(
          "modules require each other in a cycle: \((path[start...] + [current]).joined(separator: " → "))")
      }
      path.append(current)
      for required in self[current]?.requires ?? [] { try visit(required) }
      path.removeLast()
      done.insert(current)
      if current != id { order.append(current) }
    }
    try visit(id)
    return order
  }
}
