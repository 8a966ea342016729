import CaliperCore
import LuaKit

/// `dawid_skene` and `bootstrap` of `caliper.stats`.
extension StatsModule {
  static func addModels(to stats: LuaTable, in state: LuaState) throws {
    try stats.set(
      "dawid_skene",
      try state.function(named: "dawid_skene") { call in
        let ratings = try LuaStatsArguments.decode([LuaStatsArguments.RatingRow].self, call, 1, "ratings").map(\.rating)
        let options = try LuaStatsArguments.decode(SkeneOptions?.self, call, 2, "options")
        let result = try statistic {
          try DawidSkene.fit(ratings, maxIterations: options?.max_iter ?? 100, tolerance: options?.tol ?? 1e-6)
        }
        return try pushResult(call, result) { model in
          try LuaEncoder().push(SkeneReport(model), onto: call.stack)
          return 1
        }
      })
    try stats.set("bootstrap", try state.function(named: "bootstrap", bootstrap))
  }

  private struct SkeneOptions: Decodable {
    var max_iter: Int?
    var tol: Double?
  }

  /// What scripts get from `dawid_skene`.
  private struct SkeneReport: Encodable {
    struct Unit: Encodable {
      var unit: String
      var label: String
      var posterior: Double
    }
    struct Rater: Encodable {
      var rater: String
      var accuracy: Double
      /// `confusion[true][observed]`.
      var confusion: [String: [String: Double]]
    }
    var units: [Unit]
    var raters: [Rater]
    var priors: [String: Double]
    var iterations: Int

    init(_ model: DawidSkene.Result) {
      let names = model.labels.map(\.description)
      units = model.units.indices.map { u in
        let best = model.consensus(u)
        return Unit(unit: model.units[u], label: best.label.description, posterior: best.posterior)
      }
      raters = model.raters.indices.map { r in
        var confusion: [String: [String: Double]] = [:]
        for (t, trueName) in names.enumerated() {
          var row: [String: Double] = [:]
          for (o, observedName) in names.enumerated() { row[observedName] = model.errors[r][o][t] }
          confusion[trueName] = row
        }
        return Rater(rater: model.raters[r], accuracy: model.accuracy(r), confusion: confusion)
      }
      priors = Dictionary(uniqueKeysWithValues: zip(names, model.priors))
      iterations = model.iterations
    }
  }

  private struct BootstrapOptions: Decodable {
    var reps: Int?
    var confidence: Double?
    var seed: Int64?
  }

  /// `bootstrap(fn, units [, {reps=2000, confidence=0.95, seed=0}]) -> estimate, lo, hi`: the
  /// statistic on the units, and the percentile interval of `reps` resamples of the units with
  /// replacement, drawn by a seeded generator so the interval is the same on every machine.
  /// Resamples for which `fn` returns nil are dropped; fewer than two left gives `nil, reason`.
  private static func bootstrap(_ call: LuaCall) throws -> Int32 {
    let fn = try call.argument(1, as: LuaFunction.self)
    let units = try call.argument(2, as: [LuaValue].self)
    let options = try LuaStatsArguments.decode(BootstrapOptions?.self, call, 3, "options")
    let reps = options?.reps ?? 2000
    let confidence = options?.confidence ?? 0.95
    guard reps >= 2, reps <= StatisticsBounds.maximumResamples else {
      throw LuaError(
        .runtime,
        "bootstrap: argument 'reps' must lie in 2...\(StatisticsBounds.maximumResamples) (got \(reps))")
    }
    guard confidence > 0, confidence < 1 else {
      throw LuaError(.runtime, "bootstrap: argument 'confidence' must lie in (0, 1) (got \(confidence))")
    }
    guard !units.isEmpty else { return try pushUndefined(call, "no units to resample") }
    func evaluate(_ sample: [LuaValue]) throws -> Double? {
      let value = try fn.call(sample, returning: LuaValue.self)
      switch value {
      case .nil: return nil
      case .integer(let number): return Double(number)
      case .number(let number) where number.isFinite: return number
      default:
        throw LuaError(
          .runtime,
          "bootstrap: the statistic must return a finite number or nil (got \(value.typeName) \(value.scalar.map { "\($0)" } ?? ""))"
        )
      }
    }
    guard let estimate = try evaluate(units) else {
      return try pushUndefined(call, "the statistic is undefined on the full sample")
    }
    var generator = SeededGenerator(seed: UInt64(bitPattern: options?.seed ?? 0))
    var replicates: [Double] = []
    // Each resample calls the script's function, so the run's deadline and budget hold between
    // them; memory grows only with what the statistic returns.
    replicates.reserveCapacity(min(reps, 1 << 16))
    for _ in 0..<reps {
      let sample = (0..<units.count).map { _ in units[generator.index(below: units.count)] }
      if let value = try evaluate(sample) { replicates.append(value) }
    }
    guard replicates.count >= 2 else {
      return try pushUndefined(call, "the statistic was undefined on all but \(replicates.count) resamples")
    }
    let alpha = 1 - confidence
    let bounds = try statistic { try Descriptive.percentiles(replicates, [50 * alpha, 100 - 50 * alpha]) }
    guard let interval = bounds.value else { return try pushUndefined(call, bounds.reason ?? "undefined") }
    try call.push(estimate)
    try call.push(interval[0])
    try call.push(interval[1])
    return 3
  }

  private static func pushUndefined(_ call: LuaCall, _ reason: String) throws -> Int32 {
    try call.push(String?.none)
    try call.push(reason)
    return 2
  }
}
