import Dispatch
import Foundation
import Synchronization

/// A run's content hashes of its source's files (``DecisionSource/contentHashes(of:)``), worked
/// out on a thread of their own from the start of the run, so that hashing overlaps reading
/// the data instead of adding to it (SHA-256 of a 1.4 GB `decisions.csv` is about a second on
/// one core). A file the source hashes while it aggregates
/// (``DecisionSource/hashesWhileAggregating(_:)``) is left to the run's pass through
/// ``digestFromPass``, and read here only if the pass declines. The hashes stay SHA-256 of the
/// same bytes: reports compare across versions.
public final class BackgroundHashes: Sendable {
  private let source: any DecisionSource
  private let board = Board()
  /// The request for the run's aggregation (``AggregationRequest/digest``): the file the source
  /// hashes from the bytes its pass reads; `nil` when there is none (or its hash is remembered).
  public let digestFromPass: DigestFromPass?

  /// Starts hashing `files`, in order, on a thread of its own, but for the one the source
  /// hashes while it aggregates.
  public init(source: any DecisionSource, files: [String]) {
    self.source = source
    let board = board
    let passFile = files.first { source.hashesWhileAggregating($0) }
    digestFromPass = passFile.map { file in DigestFromPass(file: file) { board.hash([file], of: source) } }
    board.hash(files.filter { $0 != passFile }, of: source)
  }

  /// The hashes of `files`, waiting for the threads; a file nobody hashed, or could not, is
  /// hashed now (so an error is the source's own, thrown here).
  public func hashes(of files: [String]) throws -> [String: String] {
    board.finished.wait()
    var hashes: [String: String] = [:]
    var missing: [String] = []
    let results = board.results.withLock { $0 }
    for file in files {
      if file == digestFromPass?.file, let hex = digestFromPass?.delivered {
        hashes[file] = hex
      } else if case .success(let hash?) = results[file] {
        hashes[file] = hash
      } else {
        missing.append(file)
      }
    }
    if !missing.isEmpty { hashes.merge(try source.contentHashes(of: missing)) { first, _ in first } }
    return hashes
  }

  /// The hashes worked out so far, and the threads working them out.
  private final class Board: Sendable {
    let results: Mutex<[String: Result<String?, any Error>]> = Mutex([:])
    let finished = DispatchGroup()

    /// Hashes `files` of `source`, in order, on a thread of its own.
    func hash(_ files: [String], of source: any DecisionSource) {
      guard !files.isEmpty else { return }
      finished.enter()
      Thread.detachNewThread { [self] in
        for file in files {
          let result = Result { try source.contentHashes(of: [file])[file] }
          results.withLock { $0[file] = result }
        }
        finished.leave()
      }
    }
  }
}
