import ArgumentParser
import CaliperCore
import CaliperScripting
import Foundation

/// The commands that read a data folder without running packs (`validate`, `import`): a bad row
/// or a syntax error is printed on standard error as it reads (`file:line:column: …`) and the
/// command exits with 1.
enum DataErrors {
  /// Runs `body`, turning a data error into its message and exit code 1.
  static func exitingOnDataError<Result>(_ body: () throws -> Result) throws -> Result {
    do {
      return try body()
    } catch let error as IngestionError {
      throw printed(error)
    } catch let error as CSVSyntaxError {
      throw printed(error)
    }
  }

  private static func printed(_ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data(TerminalText.escaped("\(error)\n").utf8))
    return ExitCode(1)
  }
}
