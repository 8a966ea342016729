import Foundation
import PackagePlugin

/// A build-tool plugin for a target that bundles Caliper packs as resources: every pack folder
/// (a folder with a `pack.lua`) under the target is loaded at build time as the engine loads it,
/// and each problem shows as a compiler diagnostic at the script's file and line; the build
/// fails on any. The check reruns when a pack file changes.
@main
struct CaliperPackValidator: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
    let directory = target.directoryURL
    let files = Self.files(under: directory)
    let roots = files.filter { $0.lastPathComponent == "pack.lua" }.map { $0.deletingLastPathComponent() }
    guard !roots.isEmpty else { return [] }
    let output = context.pluginWorkDirectoryURL.appendingPathComponent("CaliperCheckedPacks.swift")
    return [
      .buildCommand(
        displayName:
          "Checking Caliper packs of \(target.name): \(roots.map(\.lastPathComponent).joined(separator: ", "))",
        executable: try context.tool(named: "caliper-pack-check").url,
        arguments: ["--swift-out", output.path] + roots.map(\.path),
        inputFiles: files.filter { $0.pathExtension == "lua" },
        outputFiles: [output])
    ]
  }

  /// Every regular file under `directory`, hidden ones aside.
  static func files(under directory: URL) -> [URL] {
    guard
      let enumerator = FileManager.default.enumerator(
        at: directory, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
    else { return [] }
    return enumerator.compactMap { $0 as? URL }.filter {
      (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
    }.sorted { $0.path < $1.path }
  }
}
