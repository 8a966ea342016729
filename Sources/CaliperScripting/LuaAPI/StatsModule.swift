import CaliperCore
import LuaKit

/// `caliper.stats`: the statistics of `CaliperCore` for scripts. Undefined results return
/// `nil, reason`; bad arguments raise an error naming the function and the argument.
enum StatsModule {
  /// Builds the read-only `stats` table.
  static func make(in state: LuaState) throws -> LuaTable {
    let stats = try state.newTable()
    try stats.set("wilson", try interval(state, "wilson", Proportions.wilson))
    try stats.set("clopper_pearson", try interval(state, "clopper_pearson", Proportions.clopperPearson))
    try stats.set(
      "sample_size",
      try state.function(named: "sample_size") { call in
        let options = try LuaDecoder(rootName: "sample_size").decode(
          SampleSizeOptions.self, from: call.stack, at: 1)
        return try push(call) {
          try Proportions.sampleSize(
            margin: options.margin, confidence: options.confidence ?? 0.95, p: options.p ?? 0.5,
            population: options.population)
        }
      })
    try stats.set(
      "zero_failure_sample_size",
      try state.function(named: "zero_failure_sample_size") { call in
        let rate = try call.argument(1, as: Double.self)
        let confidence = try call.argument(2, as: Double?.self) ?? 0.95
        return try push(call) { try Proportions.zeroFailureSampleSize(maxRate: rate, confidence: confidence) }
      })
    try stats.set(
      "two_proportion_z",
      try state.function(named: "two_proportion_z") { call in
        let result = try statistic {
          try Proportions.twoProportionZ(
            call.argument(1), call.argument(2), call.argument(3), call.argument(4))
        }
        return try pushResult(call, result) {
          try call.push($0.z); try call.push($0.p); return 2
        }
      })
    try stats.set(
      "mcnemar",
      try state.function(named: "mcnemar") { call in
        let options = try LuaDecoder(rootName: "mcnemar options").decode(
          McNemarOptions?.self, from: call.stack, at: 3)
        let result = try statistic {
          try Proportions.mcnemar(call.argument(1), call.argument(2), exact: options?.exact ?? true)
        }
        return try pushResult(call, result) {
          try call.push($0); return 1
        }
      })
    try stats.set("mean", try single(state, "mean", Descriptive.mean))
    try stats.set("stdev", try single(state, "stdev", Descriptive.stdev))
    try stats.set(
      "percentile",
      try state.function(named: "percentile") { call in
        let values = try call.argument(1, as: [Double].self)
        let q = try call.argument(2, as: Double.self)
        let result = try statistic { try Descriptive.percentile(values, q) }
        return try pushResult(call, result) {
          try call.push($0); return 1
        }
      })
    try stats.set(
      "benjamini_hochberg",
      try state.function(named: "benjamini_hochberg") { call in
        let pValues = try call.argument(1, as: [Double].self)
        let alpha = try call.argument(2, as: Double?.self) ?? 0.05
        let (adjusted, rejected) = try statistic { try MultipleTesting.benjaminiHochberg(pValues, alpha: alpha) }
        try call.push(adjusted)
        try call.push(rejected)
        return 2
      })
    try stats.set(
      "chi2_contingency",
      try state.function(named: "chi2_contingency") { call in
        let table = try call.argument(1, as: [[Double]].self)
        let result = try statistic { try Contingency.chiSquare(table) }
        return try pushResult(call, result) {
          try call.push($0.chi2)
          try call.push($0.p)
          try call.push($0.dof)
          return 3
        }
      })
    try addAgreement(to: stats, in: state)
    try addCharts(to: stats, in: state)
    try addModels(to: stats, in: state)
    try addStaffing(to: stats, in: state)
    return try state.readOnlyView(of: stats, name: "caliper.stats")
  }

  private struct SampleSizeOptions: Decodable {
    var margin: Double
    var confidence: Double?
    var p: Double?
    var population: Int?
  }

  private struct McNemarOptions: Decodable {
    var exact: Bool?
  }

  /// `fn(k, n [, confidence]) -> lo, hi | nil, reason`.
  private static func interval(
    _ state: LuaState, _ name: String,
    _ compute: @escaping (Int, Int, Double) throws -> StatResult<ClosedRange<Double>>
  ) throws -> LuaFunction {
    try state.function(named: name) { call in
      let k = try call.argument(1, as: Int.self)
      let n = try call.argument(2, as: Int.self)
      let confidence = try call.argument(3, as: Double?.self) ?? 0.95
      let result = try statistic { try compute(k, n, confidence) }
      return try pushResult(call, result) {
        try call.push($0.lowerBound)
        try call.push($0.upperBound)
        return 2
      }
    }
  }

  /// `fn(values) -> number | nil, reason`.
  private static func single(
    _ state: LuaState, _ name: String, _ compute: @escaping ([Double]) throws -> StatResult<Double>
  ) throws -> LuaFunction {
    try state.function(named: name) { call in
      let values = try call.argument(1, as: [Double].self)
      let result = try statistic { try compute(values) }
      return try pushResult(call, result) {
        try call.push($0); return 1
      }
    }
  }

  /// Runs a statistics function, turning a bad argument into a Lua error naming it.
  static func statistic<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as StatisticsError {
      throw LuaError(.runtime, "\(error)")
    }
  }

  /// Pushes a defined result, or `nil, reason`.
  static func pushResult<T>(
    _ call: LuaCall, _ result: StatResult<T>, _ push: (T) throws -> Int32
  ) throws
    -> Int32
  {
    switch result {
    case .defined(let value): return try push(value)
    case .undefined(let reason):
      try call.push(String?.none)
      try call.push(reason)
      return 2
    }
  }

  /// Pushes one integer computed by `body`.
  private static func push(_ call: LuaCall, _ body: () throws -> Int) throws -> Int32 {
    try call.push(try statistic(body))
    return 1
  }
}
