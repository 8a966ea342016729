import ArgumentParser
import CaliperScripting
import Foundation

/// `caliper test --pack PACK...`: run packs' own tests.
struct TestPacks: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Run the tests of one or more packs (tests/*_test.lua).",
    discussion: """
      Each test file runs in its own sandbox with `require` resolving inside its pack; a file that \
      returns a table of functions has each function run as a case. Exit codes: 0 all passed, 1 a \
      test failed or a pack is bad, 2 usage error.
      """
  )

  @OptionGroup var packOptions: PackOptions

  func run() throws {
    var passed = 0
    var failed = 0
    do {
      for root in packOptions.urls {
        let pack = try Pack(root: root)
        let results = try PackTestRunner().run(pack)
        if results.isEmpty { print("\(pack.manifest.name): no tests (tests/*_test.lua)") }
        for result in results {
          if let failure = result.failure {
            failed += 1
            print(TerminalText.escaped("FAIL \(result.name)\n     \(failure)"))
          } else {
            passed += 1
            print("ok   \(result.name)")
          }
        }
      }
    } catch {
      FileHandle.standardError.write(Data(TerminalText.escaped("caliper test: \(error)\n").utf8))
      throw ExitCode(1)
    }
    print("\(passed) passed, \(failed) failed")
    if failed > 0 { throw ExitCode(1) }
  }
}
