import CaliperCore
import LuaKit
import Testing

@testable import CaliperScripting

@Suite("caliper.stats from Lua")
struct StatsModuleTests {
  func run(_ source: String) throws -> (ScriptEvaluator.Outcome, String) {
    try evaluateScript(source, chunkName: "@stats.lua")
  }

  @Test func valuesMatchTheSwiftFunctions() throws {
    let (outcome, text) = try run(
      """
      local stats = require("caliper").stats
      local lo, hi = stats.wilson(398, 412)
      print(string.format("%.12f %.12f", lo, hi))
      print(stats.sample_size{margin = 0.05, population = 1000}, stats.zero_failure_sample_size(0.01))
      local z, p = stats.two_proportion_z(90, 100, 80, 100)
      print(string.format("%.10f %.10f", z, p))
      print(stats.percentile({1, 2, 3, 4}, 90), stats.mean({1, 2, 3, 4}))
      local chi2, pc, dof = stats.chi2_contingency({{10, 20}, {30, 40}})
      print(dof, string.format("%.10f", pc))
      local adjusted, rejected = stats.benjamini_hochberg({0.01, 0.04, 0.03, 0.5})
      print(adjusted[1], rejected[1], rejected[4])
      """)
    #expect(outcome.error == nil, "\(String(describing: outcome.error))")
    let lines = text.split(separator: "\n").map(String.init)
    let wilson = try #require(try CaliperCoreBridge.wilson(398, 412))
    #expect(lines[0] == String(format: "%.12f %.12f", wilson.lowerBound, wilson.upperBound))
    #expect(lines[1] == "278\t299")
    #expect(lines[2] == "1.9802950860 0.0476703807")
    #expect(lines[3] == "3.7\t2.5")
    #expect(lines[4] == "1\t0.3729984836")
    #expect(lines[5] == "0.04\ttrue\tfalse")
  }

  @Test func undefinedResultsReturnNilAndReason() throws {
    let (outcome, text) = try run(
      """
      local stats = require("caliper").stats
      print(stats.wilson(0, 0))
      print(stats.mcnemar(0, 0))
      print(stats.stdev({1}))
      print(stats.chi2_contingency({{0, 0}, {1, 2}}))
      """)
    #expect(outcome.error == nil)
    #expect(
      text
        == "nil\tno trials (n = 0)\nnil\tno discordant pairs (b + c = 0)\nnil\tfewer than two values\n"
        + "nil\ta row or column sums to zero: its expected counts are zero\n")
  }

  @Test func badArgumentsRaiseErrorsNamingFunctionAndArgument() throws {
    let cases = [
      ("stats.wilson(5, 3)", "stats.lua:1: wilson: argument 'k' must not exceed n (5 > 3)"),
      ("stats.clopper_pearson(1, 3, 1.5)", "stats.lua:1: clopper_pearson: argument 'confidence' must lie in (0, 1)"),
      ("stats.mean({1, 'x'})", "stats.lua:1: bad argument #1 to 'mean' ([2]: expected number, got string)"),
      ("stats.sample_size{margin = 'x'}", "sample_size.margin: expected number, got string"),
      ("stats.chi2_contingency({{1, 2}, {3}})", "chi2_contingency: argument 'table' rows must have equal lengths"),
      ("stats.mcnemar(-1, 2)", "mcnemar: argument 'b' must not be negative (got -1)"),
    ]
    for (call, expected) in cases {
      let (outcome, _) = try run("local stats = require('caliper').stats " + call)
      #expect(outcome.exitCode == 1)
      #expect(outcome.error?.description.contains(expected) == true, "\(call): \(String(describing: outcome.error))")
    }
  }
}

/// The Swift side of the same computation, for comparing printed values.
enum CaliperCoreBridge {
  static func wilson(_ k: Int, _ n: Int) throws -> ClosedRange<Double>? {
    try Proportions.wilson(successes: k, trials: n).value
  }
}

@Suite("caliper.stats models from Lua")
struct StatsModelTests {
  func run(_ source: String) throws -> (ScriptEvaluator.Outcome, String) {
    try evaluateScript(source, chunkName: "@models.lua")
  }

  @Test func erlangFunctionsGiveTheSwiftValuesOrNilAndReason() throws {
    let (outcome, text) = try run(
      """
      local stats = require("caliper").stats
      local q = stats.erlang_c{ arrivals_per_hour = 1200, aht_seconds = 180, agents = 64, target_seconds = 20 }
      print(string.format("%.12f %.12f %.12f", q.traffic, q.service_level, q.average_speed_of_answer))
      print(stats.erlang_agents{ arrivals_per_hour = 1200, aht_seconds = 180, target_seconds = 20, target_level = 0.9 })
      print(stats.erlang_c{ arrivals_per_hour = 1200, aht_seconds = 180, agents = 50 })
      print(pcall(stats.erlang_c, { arrivals_per_hour = -1, aht_seconds = 180, agents = 5 }))
      print(pcall(stats.erlang_agents, { arrivals_per_hour = math.huge, aht_seconds = 180 }))
      """)
    #expect(outcome.error == nil, "\(String(describing: outcome.error))")
    let lines = text.split(separator: "\n").map(String.init)
    let queue = try #require(
      try Staffing.erlangC(arrivalsPerHour: 1200, ahtSeconds: 180, agents: 64, targetSeconds: 20).value)
    #expect(
      lines[0]
        == String(format: "%.12f %.12f %.12f", queue.traffic, queue.serviceLevel, queue.averageSpeedOfAnswer))
    let agents = try Staffing.erlangAgents(arrivalsPerHour: 1200, ahtSeconds: 180, targetSeconds: 20, targetLevel: 0.9)
    #expect(lines[1] == "\(try #require(agents.value))")
    #expect(lines[2].hasPrefix("nil\tthe staff cannot keep up"))
    #expect(lines[3].hasPrefix("false") && lines[3].contains("arrivals_per_hour"))
    #expect(lines[4].hasPrefix("false") && lines[4].contains("arrivals_per_hour"))
  }

  @Test func bootstrapIsSeededAndReproducible() throws {
    let (outcome, text) = try run(
      """
      local stats = require("caliper").stats
      local units = {}
      for i = 1, 200 do units[i] = (i % 10 ~= 0) and 1 or 0 end
      local function accuracy(sample) local s = 0 for _, v in ipairs(sample) do s = s + v end return s / #sample end
      print(stats.bootstrap(accuracy, units, {reps = 500, seed = 7}))
      print(stats.bootstrap(accuracy, units, {reps = 500, seed = 7}))
      print(stats.bootstrap(function() return 3 end, units, {reps = 50}))
      print(stats.bootstrap(function() return nil end, units))
      """)
    #expect(outcome.error == nil, "\(String(describing: outcome.error))")
    let lines = text.split(separator: "\n").map(String.init)
    // Known answer for seed 7 with Caliper's SplitMix64 resampling (pinned: any change breaks reproducibility).
    #expect(lines[0] == "0.9\t0.855\t0.94")
    #expect(lines[1] == lines[0])
    #expect(lines[2] == "3.0\t3.0\t3.0")
    #expect(lines[3] == "nil\tthe statistic is undefined on the full sample")
  }

  @Test func dawidSkeneReportsConsensusAndRaters() throws {
    let (outcome, text) = try run(
      """
      local stats = require("caliper").stats
      local ratings = {}
      local truth = {"spam", "none", "spam", "none", "hate", "none"}
      for unit, label in ipairs(truth) do
        ratings[#ratings + 1] = {unit = unit, rater = "good", value = label}
        ratings[#ratings + 1] = {unit = unit, rater = "also_good", value = label}
        ratings[#ratings + 1] = {unit = unit, rater = "noisy", value = unit % 2 == 0 and "spam" or label}
      end
      local ds = stats.dawid_skene(ratings)
      for _, u in ipairs(ds.units) do print(u.unit, u.label) end
      print(ds.raters[1].rater, ds.raters[1].accuracy > ds.raters[3].accuracy)
      print(stats.dawid_skene({}))
      """)
    #expect(outcome.error == nil, "\(String(describing: outcome.error))")
    #expect(
      text
        == "1\tspam\n2\tnone\n3\tspam\n4\tnone\n5\thate\n6\tnone\ngood\ttrue\nnil\tno ratings\n")
  }
}

@Suite struct StatsCatalogueTests {
  /// Every function of the Lua API table is present in `caliper.stats`, and nothing else.
  @Test func everyDocumentedFunctionExists() throws {
    let printed = Printed()
    let evaluator = ScriptEvaluator(limits: RunLimits(timeout: .seconds(5)), output: printed.sink)
    let outcome = try evaluator.evaluate(
      source: """
        local names = {}
        for name, value in pairs(require("caliper").stats) do
          assert(type(value) == "function", name)
          names[#names + 1] = name
        end
        table.sort(names)
        print(table.concat(names, " "))
        """, chunkName: "@catalogue.lua")
    #expect(outcome.error == nil)
    #expect(
      printed.text
        == "benjamini_hochberg bootstrap chi2_contingency clopper_pearson cohen_kappa confusion cusum dawid_skene "
        + "erlang_agents erlang_c ewma fleiss_kappa gwet_ac1 krippendorff_alpha laney_p_chart mcnemar mean neyman_allocation p_chart percentile "
        + "sample_size stdev stratified_estimate two_proportion_z western_electric wilson zero_failure_sample_size\n")
  }
}
