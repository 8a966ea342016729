import Foundation

/// Instructions per call of each ``LuaCallLoops`` loop, counted by callgrind: this benchmark run
/// again as a child for one loop, once with no calls and once with `calls`, the difference
/// divided by `calls` (so set-up and start-up cancel out). Exact and repeatable where the timed
/// ratios move by a few percent with the machine's load; a loop's count includes the Lua side of
/// the call, as the timed ratio does.
///
/// Needs `valgrind` and `objcopy` on `PATH` (the child is a copy of this binary without its
/// debug information: valgrind 3.19 cannot read the DWARF 5 that Swift 6 writes); skipped with a
/// note otherwise.
enum LuaInstructionCounts {
  /// Calls per counted child run.
  static let calls = 100_000

  static func printIfAvailable() throws {
    guard ChildProcess.found("valgrind"), ChildProcess.found("objcopy") else {
      print("instructions per call: skipped (needs valgrind and objcopy on PATH)")
      return
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-bench-callgrind-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let binary = folder.appendingPathComponent("caliper-bench").path
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    guard try ChildProcess.run(["objcopy", "--strip-debug", me, binary]).status == 0 else {
      throw BenchmarkError("objcopy could not copy \(me)")
    }
    var counts: [LuaCallLoops.Loop: Int] = [:]
    for loop in LuaCallLoops.Loop.allCases {
      let none = try count(loop, calls: 0, binary: binary, folder: folder)
      let some = try count(loop, calls: calls, binary: binary, folder: folder)
      counts[loop] = (some - none) / calls
    }
    func line(_ name: String, _ raw: LuaCallLoops.Loop, _ typed: LuaCallLoops.Loop) -> String {
      let (base, candidate) = (counts[raw]!, counts[typed]!)
      let ratio = Double(candidate) / Double(base)
      return String(
        format: "%@: raw %d, typed %d instructions per call, ratio %.3f (target <= 1.10) %@", name, base, candidate,
        ratio, ratio <= 1.10 ? "PASS" : "FAIL")
    }
    print("instructions per call (callgrind, \(calls) calls):")
    print("  " + line("Swift→Lua", .swiftToLuaRaw, .swiftToLuaTyped))
    print("  " + line("Lua→Swift", .luaToSwiftRaw, .luaToSwiftTyped))
  }

  /// The instructions callgrind counted in a child that made `calls` calls of `loop`.
  private static func count(_ loop: LuaCallLoops.Loop, calls: Int, binary: String, folder: URL) throws -> Int {
    let log = folder.appendingPathComponent("\(loop.rawValue)-\(calls).log").path
    let child = try ChildProcess.run([
      "env", "\(LuaCallLoops.loopVariable)=\(loop.rawValue)", "\(LuaCallLoops.callsVariable)=\(calls)",
      "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", "--log-file=\(log)", binary, "lua",
    ])
    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    // "==123== Collected : 64837040"
    guard child.status == 0,
      let line = text.split(separator: "\n").first(where: { $0.contains("Collected :") }),
      let number = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
    else {
      let tail = text.split(separator: "\n").suffix(3).joined(separator: "\n")
      throw BenchmarkError("callgrind did not count \(loop.rawValue) (status \(child.status)):\n\(tail)")
    }
    return number
  }
}

extension ChildProcess {
  /// Whether `program` is an executable file in a `PATH` folder.
  static func found(_ program: String) -> Bool {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    return path.split(separator: ":").contains {
      FileManager.default.isExecutableFile(atPath: "\($0)/\(program)")
    }
  }
}
