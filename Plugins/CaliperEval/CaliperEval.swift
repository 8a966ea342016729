import Foundation
import PackagePlugin

/// `swift package caliper-eval FILE.lua [options]`: runs Lua scripts with the `caliper` tool of
/// this package, in its sandbox, so pack authors can try a script without installing anything.
/// Every argument is passed to `caliper eval`; several files run one after another.
@main
struct CaliperEval: CommandPlugin {
  func performCommand(context: PluginContext, arguments: [String]) async throws {
    let tool = try context.tool(named: "caliper")
    let files = arguments.filter { $0.hasSuffix(".lua") }
    let options = arguments.filter { !$0.hasSuffix(".lua") }
    guard !files.isEmpty else {
      Diagnostics.error("usage: swift package caliper-eval FILE.lua [FILE.lua ...] [caliper eval options]")
      return
    }
    var failures: [String] = []
    for file in files {
      let process = Process()
      process.executableURL = tool.url
      process.arguments = ["eval", file] + options
      try process.run()
      process.waitUntilExit()
      if process.terminationStatus != 0 { failures.append("\(file) (exit \(process.terminationStatus))") }
    }
    if !failures.isEmpty {
      Diagnostics.error("caliper eval failed for: " + failures.joined(separator: ", "))
    }
  }
}
