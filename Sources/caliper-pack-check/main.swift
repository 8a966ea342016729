import CaliperScripting
import Foundation

// `caliper-pack-check [--swift-out FILE] PACK...`: loads the packs as the engine does and prints
// every problem as `path:line: error: message` (the form compilers print, which build tools and
// editors show at the script's line); exit 1 when there is one. With `--swift-out`, writes a
// Swift file naming the packs checked (the build-tool plugin's output, so the check is part of
// the build graph and reruns when a pack file changes).
var arguments = Array(CommandLine.arguments.dropFirst())
var swiftOut: String?
if let index = arguments.firstIndex(of: "--swift-out"), index + 1 < arguments.count {
  swiftOut = arguments[index + 1]
  arguments.removeSubrange(index...(index + 1))
}
guard !arguments.isEmpty else {
  FileHandle.standardError.write(Data("usage: caliper-pack-check [--swift-out FILE] PACK...\n".utf8))
  exit(2)
}
let roots = arguments.map { URL(fileURLWithPath: $0) }
let problems = PackCheck.problems(packs: roots)
for problem in problems { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
guard problems.isEmpty else { exit(1) }
if let swiftOut {
  let names = roots.map { "\"\($0.lastPathComponent)\"" }.joined(separator: ", ")
  let text = """
    // Written by CaliperPackValidator: these bundled packs loaded without errors.
    enum CaliperCheckedPacks {
      /// The pack folders checked at build time.
      static let names: [String] = [\(names)]
    }

    """
  do { try text.write(toFile: swiftOut, atomically: true, encoding: .utf8) } catch {
    FileHandle.standardError.write(Data("error: cannot write \(swiftOut): \(error)\n".utf8))
    exit(1)
  }
}
