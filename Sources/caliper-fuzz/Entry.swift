import Foundation

#if FUZZING
  // libFuzzer's driver, from `libclang_rt.fuzzer_no_main` (`.ci/fuzz` links it): SwiftPM
  // names this module's entry point as the program's main, so the driver is called from it.
  @_silgen_name("LLVMFuzzerRunDriver")
  func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
  ) -> CInt

  /// The target `CALIPER_FUZZ_TARGET` names, made once.
  nonisolated(unsafe) private var selectedTarget: (any FuzzTarget)?

  @_cdecl("caliper_fuzz_main")
  func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let name = ProcessInfo.processInfo.environment["CALIPER_FUZZ_TARGET"] ?? ""
    do {
      guard let target = try FuzzTargets.make(name) else {
        FileHandle.standardError.write(
          Data("set CALIPER_FUZZ_TARGET to one of \(FuzzTargets.names.joined(separator: ", "))\n".utf8))
        return 2
      }
      selectedTarget = target
    } catch {
      FileHandle.standardError.write(Data("cannot prepare \(name): \(error)\n".utf8))
      return 2
    }
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv) { data, size in
      selectedTarget?.run(data.map { Data(bytes: $0, count: size) } ?? Data())
      return 0
    }
  }
#else
  /// `caliper-fuzz TARGET PATH...`: runs every file (and every file in every folder) through
  /// the target once, as the fuzzer would, and prints how many; a violated property traps.
  @main
  struct ReplayCorpus {
    static func main() throws {
      let arguments = Array(CommandLine.arguments.dropFirst())
      guard let name = arguments.first, var target = try FuzzTargets.make(name) else {
        print("usage: caliper-fuzz \(FuzzTargets.names.joined(separator: "|")) PATH...")
        exit(2)
      }
      var count = 0
      for path in arguments.dropFirst() {
        for file in try Replay.files(at: URL(fileURLWithPath: path)) {
          target.run(try Data(contentsOf: file))
          count += 1
        }
      }
      target.finish()
      print("\(name): \(count) inputs, no property violated")
    }
  }
#endif

/// Corpus files.
enum Replay {
  /// `url` itself, or the regular files inside it, sorted.
  static func files(at url: URL) throws -> [URL] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
      return [url]
    }
    return try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
      .filter { !$0.hasDirectoryPath }.sorted { $0.path < $1.path }
  }
}
