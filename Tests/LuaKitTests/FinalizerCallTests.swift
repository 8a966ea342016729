import Synchronization
import Testing

@testable import LuaKit

/// What a Swift deinit that calls into Lua records, across the finalizer.
private final class DeinitRecord: Sendable {
  private let entries = Mutex<[String]>([])
  var lines: [String] { entries.withLock { $0 } }
  func append(_ line: String) { entries.withLock { $0.append(line) } }
}

/// Calls `body` from its deinit, which the garbage collector runs when the Lua function that
/// captured it is collected.
private final class CallsLuaWhenReleased {
  let body: () -> Void
  init(_ body: @escaping () -> Void) { self.body = body }
  deinit { body() }
}

@Suite("Lua calls from deinits run by finalizers")
struct FinalizerCallTests {
  /// Makes a Swift function that holds `holder`, hands it to Lua only, and collects it, so that
  /// `holder`'s deinit runs inside the finalizer of the function's box.
  private func releaseInsideFinalizer(_ state: LuaState, _ holder: CallsLuaWhenReleased) throws {
    let env = try state.makeEnvironment()
    try env.set(
      "held",
      try state.function(named: "held") { (x: Int) in
        _ = holder; return x
      })
    try env.set("held", LuaValue.nil)
  }

  /// A deinit run by the garbage collector is inside a finalizer's frame, not at the host's top
  /// level: its calls must push their own traceback handler. They used the main thread's
  /// permanent slot 1, which there is the finalizer's argument, so an error in the called
  /// function came back as "error in error handling".
  @Test func anErrorInACallFromAFinalizerKeepsItsMessage() throws {
    let state = try makeState()
    let record = DeinitRecord()
    let failing = try state.load("return function(x) error('boom ' .. x) end", name: "=failing")
      .call(returning: LuaFunction.self)
    try releaseInsideFinalizer(
      state,
      CallsLuaWhenReleased {
        do {
          _ = try failing.call(7, returning: Int.self)
          record.append("no error")
        } catch let error as LuaError {
          record.append("\(error.kind) \(error.chunk ?? "-"):\(error.line ?? 0) \(error.message)")
        } catch {
          record.append("\(error)")
        }
      })
    let depth = try state.stackDepth
    try state.collectGarbage()
    #expect(record.lines == ["runtime failing:1 boom 7"])
    #expect(try state.stackDepth == depth)
  }

  /// Inside a finalizer's frame Lua guarantees only its minimum room, not the room reserved at
  /// top level: a call with many arguments from there runs (checking its room as any call inside
  /// a frame does) and leaves the state usable.
  @Test func aCallWithManyArgumentsFromAFinalizerChecksItsRoom() throws {
    let state = try makeState()
    let record = DeinitRecord()
    let sum = try state.load(
      "return function(...) local s = 0 for _, v in ipairs({...}) do s = s + v end return s end", name: "=sum"
    ).call(returning: LuaFunction.self)
    try releaseInsideFinalizer(
      state,
      CallsLuaWhenReleased {
        let total = try? sum.call(
          1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
          30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56,
          57, 58, 59, 60, returning: Int.self)
        record.append(total.map { "\($0)" } ?? "failed")
      })
    try state.collectGarbage()
    #expect(record.lines == ["1830"])
    #expect(try state.evaluate("return 1 + 1", as: Int.self) == 2)
  }
}
