import Foundation
import PackagePlugin

/// `swift package caliper-docs [--out DIR]`: a Markdown reference of every pack bundled in the
/// package's targets (each folder with a `pack.lua`), written with `caliper docs` into the
/// plugin's work folder (printed), or into `--out DIR`.
@main
struct CaliperDocs: CommandPlugin {
  func performCommand(context: PluginContext, arguments: [String]) async throws {
    let tool = try context.tool(named: "caliper")
    var roots: [URL] = []
    for target in context.package.targets {
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
    var out = context.pluginWorkDirectoryURL.appendingPathComponent("caliper-docs").path
    if let index = arguments.firstIndex(of: "--out"), index + 1 < arguments.count { out = arguments[index + 1] }
    let process = Process()
    process.executableURL = tool.url
    process.arguments = ["docs", "--out", out] + roots.sorted { $0.path < $1.path }.flatMap { ["--pack", $0.path] }
    try process.run()
    process.waitUntilExit()
    if process.terminationStatus != 0 {
      Diagnostics.error("caliper docs failed (exit \(process.terminationStatus))")
    }
  }
}
