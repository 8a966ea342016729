import Foundation

/// Writes a pack for a test: `pack.lua` (naming `extends` and `markets` when given) and `files`
/// under the script kind's `folder`; returns the pack's folder.
func scratchPack(
  _ name: String, in parent: URL, folder: String, extends: String? = nil, markets: [String]? = nil,
  _ files: [String: String]
) throws -> URL {
  let root = parent.appendingPathComponent(name)
  try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
  var manifest = "name = '\(name)', version = '0.1', caliper = 1"
  if let extends { manifest += ", extends = '\(extends)'" }
  if let markets { manifest += ", markets = { \(markets.map { "'\($0)'" }.joined(separator: ", ")) }" }
  try "return { \(manifest) }".write(to: root.appendingPathComponent("pack.lua"), atomically: true, encoding: .utf8)
  for (file, text) in files {
    try text.write(to: root.appendingPathComponent("\(folder)/\(file)"), atomically: true, encoding: .utf8)
  }
  return root
}
