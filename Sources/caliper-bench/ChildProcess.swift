import Foundation

/// A command run to its end, timed, with its own peak resident memory (from `wait4`, which
/// reports each child's rusage apart: `getrusage(RUSAGE_CHILDREN)` keeps only the largest
/// child's peak over the whole benchmark).
struct ChildProcess {
  /// Wall seconds from spawn to exit.
  var seconds: Double
  /// The child's peak resident bytes.
  var peakBytes: Int
  /// The child's exit status (`-1` when a signal ended it).
  var status: Int32

  /// Runs `arguments` (the first found on `PATH` when it has no slash) with its output to
  /// `/dev/null`, or to `output` when given.
  static func run(_ arguments: [String], output: String = "/dev/null") throws -> ChildProcess {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let clock = ContinuousClock()
    let start = clock.now
    var pid: pid_t = 0
    let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
    guard spawned == 0 else {
      throw BenchmarkError("cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
      guard errno == EINTR else { throw BenchmarkError("wait4 failed: errno \(errno)") }
    }
    let elapsed = (clock.now - start).seconds
    let exited = status & 0x7f == 0
    return ChildProcess(
      seconds: elapsed, peakBytes: usage.ru_maxrss * 1_024, status: exited ? (status >> 8) & 0xff : -1)
  }
}

/// A benchmark that cannot run, with the reason.
struct BenchmarkError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
