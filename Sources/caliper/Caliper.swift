import ArgumentParser
import CaliperCore
import Foundation

/// The `caliper` command line: thin commands over ``CaliperEngine`` and the data contract.
@main
struct Caliper: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "caliper",
    abstract: "Scriptable vendor-quality scorecards, alignment and upskilling for Trust & Safety operations.",
    version: "caliper \(CaliperVersion.toolkit) (Lua API \(CaliperVersion.luaAPI))",
    subcommands: [
      Scorecard.self, Align.self, Curriculum.self, TestPacks.self, Docs.self, Validate.self, Import.self, Generate.self,
      Eval.self,
    ]
  )

  /// Runs the command, mapping every usage error to exit code 2 (swift-argument-parser's default
  /// is 64), so that scripts can tell usage errors (2) from script errors (1) and limits (3).
  static func main() async {
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch let exit as ExitCode {
      Foundation.exit(exit.rawValue)
    } catch {
      let code = exitCode(for: error)
      let message = fullMessage(for: error)
      if code == .success {
        print(message)
        Foundation.exit(0)
      }
      FileHandle.standardError.write(Data((message + "\n").utf8))
      Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
    }
  }
}
