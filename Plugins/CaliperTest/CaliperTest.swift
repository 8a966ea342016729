import Foundation
import PackagePlugin

/// `swift package caliper-test`: runs the tests of every pack bundled in the package's targets
/// (each folder with a `pack.lua`, and its `tests/*_test.lua`) with `caliper test`. Extra
/// arguments name targets to limit it to.
@main
struct CaliperTest: CommandPlugin {
  func performCommand(context: PluginContext, arguments: [String]) async throws {
    let tool = try context.tool(named: "caliper")
    var roots: [URL] = []
    for target in context.package.targets where arguments.isEmpty || arguments.contains(target.name) {
      guard let enumerator = FileManager.default.enumerator(at: target.directoryURL, includingPropertiesForKeys: nil)
      else { continue }
      for case let file as URL in enumerator where file.lastPathComponent == "pack.lua" {
        roots.append(file.deletingLastPathComponent())
      }
    }
    guard !roots.isEmpty else {
      Diagnostics.warning("no bundled packs (folders with a pack.lua) in the package's targets")
      return
    }
    let process = Process()
    process.executableURL = tool.url
    process.arguments = ["test"] + roots.sorted { $0.path < $1.path }.flatMap { ["--pack", $0.path] }
    try process.run()
    process.waitUntilExit()
    if process.terminationStatus != 0 {
      Diagnostics.error("caliper test failed (exit \(process.terminationStatus)) for \(roots.map(\.lastPathComponent))")
    }
  }
}
