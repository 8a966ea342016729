import CLua
import Testing

@testable import LuaKit

@Suite("Run limits")
struct LimitTests {
  @Test func deadlineLeavesNoHookWhileScriptIsWithinTime() throws {
    let state = try makeState()
    var masks: [Int32] = []
    let probe = try state.function(named: "probe") { call in
      masks.append(lua_gethookmask(call.stack.L))
      return 0
    }
    let env = try state.makeEnvironment()
    try env.set("probe", probe)
    let report = state.run(limits: RunLimits(timeout: .seconds(30))) {
      try state.execute("for i = 1, 3 do probe() end", environment: env)
    }
    _ = try report.get()
    #expect(masks == [0, 0, 0])
  }

  @Test func instructionBudgetIsDeterministic() throws {
    func count() throws -> Int? {
      let state = try makeState()
      let report = state.run(limits: RunLimits(instructions: 10_000_000)) {
        try state.execute("local s = 0 for i = 1, 100000 do s = s + i % 7 end return s")
      }
      _ = try report.get()
      return report.usage.instructions
    }
    let first = try count()
    #expect(first != nil && first! > 100_000)
    #expect(try count() == first)
  }

  @Test func instructionBudgetHoldsInCoroutinesCreatedBeforeTheRun() throws {
    let state = try makeState()
    let env = try state.makeEnvironment()
    _ = try state.execute("co = coroutine.create(function() while true do end end)", environment: env)
    let report = state.run(limits: RunLimits(instructions: 100_000)) {
      try state.execute("coroutine.resume(co)", environment: env)
    }
    #expect((report.result.failureError as? LuaError)?.limit == .instructions)
  }

  @Test func memoryCapStopsScriptAndStateRecovers() throws {
    let state = try makeState(memoryLimit: 16 << 20)
    let report = state.run {
      try state.execute("local t = {} for i = 1, 1e8 do t[i] = i end")
    }
    #expect((report.result.failureError as? LuaError)?.limit == .memory)
    #expect(report.usage.peakMemoryBytes <= 16 << 20)
    try state.collectGarbage()
    #expect(state.memoryInUse < 1 << 20)
    #expect(try state.evaluate("local t = {} for i = 1, 1000 do t[i] = i end return #t", as: Int.self) == 1000)
  }

  @Test func scriptCanCatchAMemoryErrorAndGoOn() throws {
    let state = try makeState(memoryLimit: 16 << 20)
    let result = try state.evaluate(
      "local ok, err = pcall(string.rep, 'x', 64 * 1024 * 1024) return tostring(ok) .. ' ' .. err", as: String.self)
    #expect(result == "false not enough memory")
  }

  @Test func inARunTheMemoryCapCannotBeSwallowed() throws {
    for source in [
      "local ok = pcall(string.rep, 'x', 64 * 1024 * 1024) return 'went on'",
      "local ok = xpcall(string.rep, function(e) return e end, 'x', 64 * 1024 * 1024) return 'went on'",
      "local co = coroutine.create(function() return string.rep('x', 64 * 1024 * 1024) end) coroutine.resume(co) return 'went on'",
      "local f = load('return 1') local ok = pcall(function() local t = {} for i = 1, 1e8 do t[i] = i end end) return 'went on'",
    ] {
      let state = try makeState(memoryLimit: 16 << 20)
      let report = state.run(limits: RunLimits(timeout: .seconds(20))) {
        try state.evaluate(source, as: String.self)
      }
      guard case .failure(let error as LuaError) = report.result else {
        Issue.record("\(source): went on with \(report.result)")
        continue
      }
      #expect(error.limit == .memory, "\(source): \(error)")
      // The state is usable again in the next run.
      let next = state.run { try state.evaluate("return #string.rep('x', 10)", as: Int.self) }
      #expect(try next.get() == 10)
    }
  }

  @Test func cancellingTheTaskStopsTheScript() async throws {
    let task = Task { () -> LuaError? in
      let state = try makeState()
      let report = await state.run {
        try state.execute("while true do end")
      }
      return report.result.failureError as? LuaError
    }
    try await Task.sleep(for: .milliseconds(100))
    task.cancel()
    let error = try await task.value
    #expect(error?.limit == .cancelled)
  }

  @Test func usageIsReported() throws {
    let state = try makeState()
    let report = state.run {
      try state.execute("local t = {} for i = 1, 10000 do t[i] = tostring(i) end")
    }
    _ = try report.get()
    #expect(report.usage.peakMemoryBytes > 100_000)
    #expect(report.usage.wallTime > .zero)
    #expect(report.usage.instructions == nil)
  }

  @Test func limitsDoNotLeakIntoTheNextRun() throws {
    let state = try makeState()
    let first = state.run(limits: RunLimits(timeout: .milliseconds(50))) {
      try state.execute("while true do end")
    }
    #expect((first.result.failureError as? LuaError)?.limit == .time)
    let second = state.run {
      try state.evaluate("local s = 0 for i = 1, 1e6 do s = s + 1 end return s", as: Int.self)
    }
    #expect(try second.get() == 1_000_000)
  }
}

extension Result {
  var failureError: Failure? {
    if case .failure(let error) = self { return error }
    return nil
  }
}
