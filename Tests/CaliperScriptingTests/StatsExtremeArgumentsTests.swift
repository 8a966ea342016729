import CaliperScripting
import Foundation
import LuaKit
import Testing

/// Every function of `caliper.stats` (found by iterating the table, so a new one is covered at
/// once) called from Lua with extreme arguments: ±maxinteger, ±inf, NaN, 0, tiny and huge
/// numbers, huge, deep and self-referencing tables, in positional and option-table form. Each
/// call must return or raise a Lua error: a trap would end the test process, so reaching the
/// script's end is the property. Results that are numbers must not be NaN.
@Suite("Statistics under extreme arguments")
struct StatsExtremeArgumentsTests {
  static let script = """
    local stats = require("caliper").stats
    local E = { math.maxinteger, math.mininteger, 1/0, -1/0, 0/0, 0, -1, 1e308, 1e-300, 0.5, 1 - 2^-53, 2^53, 1e12 }
    local keys = { "margin", "confidence", "p", "population", "reps", "seed", "arrivals_per_hour", "aht_seconds",
      "agents", "target_seconds", "target_level", "max_iter", "tol", "exact", "lambda", "k", "h", "target",
      "mean", "sd", "n", "alpha", "min_n", "sizes", "weights", "labels", "level", "method" }
    local big = {} for i = 1, 100000 do big[i] = i % 7 end
    local deep = {} do local d = deep for _ = 1, 180 do d[1] = {} d = d[1] end end
    local selfref = {} selfref[1] = selfref selfref.x = selfref
    local names = {} for name in pairs(stats) do names[#names + 1] = name end
    table.sort(names)
    local calls, failures, nan = 0, 0, {}
    local function try(name, ...)
      calls = calls + 1
      local results = table.pack(pcall(stats[name], ...))
      if not results[1] then failures = failures + 1 return end
      for i = 2, results.n do
        local v = results[i]
        if type(v) == "number" and v ~= v then nan[#nan + 1] = name end
      end
    end
    for _, name in ipairs(names) do
      for _, e in ipairs(E) do
        local options = {} for _, key in ipairs(keys) do options[key] = e end
        try(name, e) try(name, e, e) try(name, e, e, e, e) try(name, 1, e) try(name, e, 1) try(name, 2, 3, e)
        try(name, e, 10, 3, 10) try(name, { e, e, 1 }) try(name, { { e, 1 }, { 1, e } }) try(name, options)
        try(name, { 1, 0, 1 }, { e, 1, 0 }) try(name, { { n = e, size = e, p = e, k = e, name = "s" } }, e)
        try(name, { { unit = "u", rater = "r", value = e }, { unit = "u", rater = "q", value = 1 } }, options)
        try(name, function() return e end, { 1, 2, 3 }, { reps = e, seed = e, confidence = e })
      end
      try(name, deep) try(name, selfref) try(name, { selfref }) try(name, deep, deep) try(name, selfref, options)
      if name ~= "bootstrap" then try(name, big) try(name, big, big) try(name, { big, big }) end
      try(name, "x", {}) try(name, nil, nil) try(name)
    end
    assert(#names >= 27, "every statistics function is reached (" .. #names .. ")")
    assert(calls == #names * 193 - 3, "every call ran (" .. calls .. ")")
    assert(failures > 0 and failures < calls, "extremes give errors, ordinary values results")
    assert(#nan == 0, "NaN returned by: " .. table.concat(nan, " "))
    """

  @Test func everyFunctionReturnsOrRaisesAndNeverTraps() throws {
    let evaluator = ScriptEvaluator(limits: RunLimits(timeout: .seconds(120)), memoryLimit: 1 << 30, output: { _ in })
    let outcome = try evaluator.evaluate(source: Self.script, chunkName: "=extremes")
    #expect(outcome.error == nil, "\(outcome.error.map { "\($0)" } ?? "")")
  }

  /// The issue's examples, each with the error or reason it now gives.
  @Test(arguments: [
    ("stats.mcnemar(math.maxinteger, 1)", "must not exceed 2^53"),
    ("stats.mcnemar(1e12, 1e12)", "use exact = false"),
    ("stats.two_proportion_z(math.maxinteger, math.maxinteger, 1, 1)", "must not exceed 2^53"),
    ("stats.sample_size{ margin = 1e-10 }", "more than 2^53 items"),
    ("stats.zero_failure_sample_size(1e-300)", "more than 2^53 items"),
    ("stats.wilson(1, 2, 1 - 2^-53)", "too close to 1"),
    (
      "stats.krippendorff_alpha({ { unit = 'u', rater = 'a', value = 0/0 }, { unit = 'u', rater = 'b', value = 1 } })",
      "NaN"
    ),
    ("stats.dawid_skene({ { unit = 'u', rater = 'a', value = 0/0 } })", "NaN"),
    ("stats.bootstrap(function(u) return #u end, { 1, 2, 3 }, { reps = 1 << 40 })", "'reps' must lie in 2...1000000"),
    ("stats.neyman_allocation({ { name = 'a', size = math.maxinteger, p = 0.5 } }, 10)", "must not exceed 2^53"),
    ("os.time{ year = math.maxinteger, month = 1, day = 1 }", "out-of-bound"),
    ("stats.mean{ 1e308, 1e308 }", "overflow double precision"),
  ])
  func theReportedExamplesGiveAClearErrorOrReason(call: String, expected: String) throws {
    let source = """
      local stats = require("caliper").stats
      local ok, a, b = pcall(function() return \(call) end)
      local said = ok and tostring(b) or tostring(a)
      assert(not ok or a == nil, "expected an error or nil, reason; got " .. tostring(a))
      assert(said:find(\"\(expected)\", 1, true), said)
      """
    let outcome = try ScriptEvaluator(output: { _ in }).evaluate(source: source, chunkName: "=example")
    #expect(outcome.error == nil, "\(call): \(outcome.error.map { "\($0)" } ?? "")")
  }
}
