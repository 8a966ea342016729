import CaliperCore
import LuaKit

/// Agreement, confusion, control-chart and sampling functions of `caliper.stats`.
extension StatsModule {
  static func addAgreement(to stats: LuaTable, in state: LuaState) throws {
    typealias Arguments = LuaStatsArguments
    try stats.set(
      "cohen_kappa",
      try state.function(named: "cohen_kappa") { call in
        let a = try Arguments.decode([Label].self, call, 1, "a")
        let b = try Arguments.decode([Label].self, call, 2, "b")
        let options = try Arguments.decode(Arguments.KappaOptions?.self, call, 3, "options")
        let weightName = options?.weights ?? "none"
        guard let weights = Agreement.Weights(rawValue: weightName) else {
          throw LuaError(
            .runtime, "cohen_kappa: argument 'weights' must be \"linear\" or \"quadratic\" (got \"\(weightName)\")")
        }
        let result = try statistic {
          try Agreement.cohenKappa(a, b, weights: weights, labels: options?.labels)
        }
        return try pushCoefficient(call, result)
      })
    try stats.set("fleiss_kappa", try ratingsFunction(state, "fleiss_kappa", Agreement.fleissKappa))
    try stats.set("gwet_ac1", try ratingsFunction(state, "gwet_ac1", Agreement.gwetAC1))
    try stats.set(
      "krippendorff_alpha",
      try state.function(named: "krippendorff_alpha") { call in
        let ratings = try Arguments.decode([Arguments.RatingRow].self, call, 1, "ratings").map(\.rating)
        let levelName = try call.argument(2, as: String?.self) ?? "nominal"
        guard let level = Krippendorff.Level(rawValue: levelName) else {
          throw LuaError(
            .runtime,
            "krippendorff_alpha: argument 'level' must be nominal, ordinal, interval or ratio (got \"\(levelName)\")")
        }
        let result = try statistic { try Krippendorff.alpha(ratings, level: level) }
        return try pushResult(call, result) {
          try call.push($0)
          return 1
        }
      })
    try stats.set(
      "confusion",
      try state.function(named: "confusion") { call in
        let actual = try Arguments.decode([Label].self, call, 1, "actual")
        let predicted = try Arguments.decode([Label].self, call, 2, "predicted")
        let labels = try Arguments.decode([Label]?.self, call, 3, "labels")
        let matrix = try statistic { try ConfusionMatrix(actual: actual, predicted: predicted, labels: labels) }
        try call.push(LuaObject(matrix))
        return 1
      })
  }

  static func addCharts(to stats: LuaTable, in state: LuaState) throws {
    typealias Arguments = LuaStatsArguments
    try stats.set(
      "ewma",
      try state.function(named: "ewma") { call in
        let series = try call.argument(1, as: [Double].self)
        let options = try Arguments.decode(Arguments.EWMAOptions?.self, call, 2, "options")
        let result = try statistic {
          try ControlCharts.ewma(
            series, lambda: options?.lambda ?? 0.2, width: options?.L ?? 3, target: options?.target,
            sigma: options?.sigma)
        }
        return try pushEncoded(call, result)
      })
    try stats.set(
      "cusum",
      try state.function(named: "cusum") { call in
        let series = try call.argument(1, as: [Double].self)
        let options = try Arguments.decode(Arguments.CUSUMOptions?.self, call, 2, "options")
        let result = try statistic {
          try ControlCharts.cusum(
            series, target: options?.target, sigma: options?.sigma, k: options?.k ?? 0.5, h: options?.h ?? 5)
        }
        return try pushEncoded(call, result)
      })
    try stats.set("p_chart", try proportionChart(state, "p_chart", ControlCharts.pChart))
    try stats.set("laney_p_chart", try proportionChart(state, "laney_p_chart", ControlCharts.laneyPChart))
    try stats.set(
      "western_electric",
      try state.function(named: "western_electric") { call in
        let series = try call.argument(1, as: [Double].self)
        let options = try Arguments.decode(Arguments.CenterOptions.self, call, 2, "options")
        let violations = try statistic {
          try ControlCharts.westernElectric(series, center: options.center, sigma: options.sigma)
        }
        try LuaEncoder().push(violations, onto: call.stack)
        return 1
      })
    try stats.set(
      "neyman_allocation",
      try state.function(named: "neyman_allocation") { call in
        let strata = try Arguments.decode([Arguments.StratumRow].self, call, 1, "strata")
        let total = try call.argument(2, as: Int.self)
        let allocation = try statistic {
          try Sampling.neymanAllocation(strata.enumerated().map { $1.stratum($0 + 1) }, total: total)
        }
        try call.push(allocation)
        return 1
      })
    try stats.set(
      "stratified_estimate",
      try state.function(named: "stratified_estimate") { call in
        let strata = try Arguments.decode([Arguments.StratumRow].self, call, 1, "strata")
        let result = try statistic {
          try Sampling.stratifiedEstimate(strata.enumerated().map { $1.stratum($0 + 1) })
        }
        return try pushResult(call, result) {
          try call.push($0.p)
          try call.push($0.se)
          return 2
        }
      })
  }

  /// `fn(ratings) -> coefficient, observed_agreement, warning | nil, reason`.
  private static func ratingsFunction(
    _ state: LuaState, _ name: String, _ compute: @escaping ([Rating]) throws -> StatResult<Agreement.Coefficient>
  ) throws -> LuaFunction {
    try state.function(named: name) { call in
      let ratings = try LuaStatsArguments.decode([LuaStatsArguments.RatingRow].self, call, 1, "ratings").map(\.rating)
      let result = try statistic { try compute(ratings) }
      return try pushCoefficient(call, result)
    }
  }

  /// `fn(counts, sizes) -> points | nil, reason`.
  private static func proportionChart(
    _ state: LuaState, _ name: String,
    _ compute: @escaping ([Int], [Int]) throws -> StatResult<[ControlCharts.ProportionPoint]>
  ) throws -> LuaFunction {
    try state.function(named: name) { call in
      let counts = try call.argument(1, as: [Int].self)
      let sizes = try call.argument(2, as: [Int].self)
      return try pushEncoded(call, try statistic { try compute(counts, sizes) })
    }
  }

  /// Pushes a coefficient as `value, observed agreement, warning-or-nil`.
  private static func pushCoefficient(_ call: LuaCall, _ result: StatResult<Agreement.Coefficient>) throws -> Int32 {
    try pushResult(call, result) {
      try call.push($0.value)
      try call.push($0.observedAgreement)
      try call.push($0.warning)
      return 3
    }
  }

  /// Pushes an encodable result (chart points) or `nil, reason`.
  private static func pushEncoded<T: Encodable>(_ call: LuaCall, _ result: StatResult<T>) throws -> Int32 {
    try pushResult(call, result) {
      try LuaEncoder().push($0, onto: call.stack)
      return 1
    }
  }

  /// Makes `confusion` objects userdata with methods (once per state).
  static func registerTypes(in state: LuaState) throws {
    try state.registerType(ConfusionMatrix.self, name: "Confusion") { type in
      for metric in ConfusionMatrix.Metric.allCases {
        type.method(metric.rawValue) { matrix, call in
          let label = try LuaStatsArguments.label(call, 2)
          let result = try statistic { try matrix.metric(metric, for: label) }
          return try pushResult(call, result) {
            try call.push($0); return 1
          }
        }
      }
      type.method("support") { matrix, call in
        try call.push(matrix.support(try LuaStatsArguments.label(call, 2)))
        return 1
      }
      type.method("count") { matrix, call in
        let actual = try LuaStatsArguments.label(call, 2)
        let predicted = try LuaStatsArguments.label(call, 3)
        try call.push(matrix.count(actual: actual, predicted: predicted))
        return 1
      }
      type.method("accuracy") { matrix, call in
        try pushResult(call, matrix.accuracy()) {
          try call.push($0); return 1
        }
      }
      type.method("mcc") { matrix, call in
        try pushResult(call, matrix.mcc()) {
          try call.push($0); return 1
        }
      }
      type.method("total") { matrix, call in
        try call.push(matrix.total)
        return 1
      }
      for (name, average) in [
        ("macro", ConfusionMatrix.macro), ("micro", ConfusionMatrix.micro), ("weighted", ConfusionMatrix.weighted),
      ] as [(String, (ConfusionMatrix) -> (ConfusionMatrix.Metric) -> StatResult<Double>)] {
        type.method(name) { matrix, call in
          let metricName = try call.argument(2, as: String.self)
          guard let metric = ConfusionMatrix.Metric(rawValue: metricName) else {
            throw LuaError(
              .runtime, "\(name): argument 'metric' must be precision, recall, f1, fpr or fnr (got \"\(metricName)\")")
          }
          return try pushResult(call, average(matrix)(metric)) {
            try call.push($0); return 1
          }
        }
      }
      type.method("labels") { matrix, call in
        try call.push(matrix.labels.map(\.description))
        return 1
      }
    }
  }
}
