import Dispatch
import Foundation
import Synchronization

/// A run's content hashes of its source's files (``DecisionSource/contentHashes(of:)``), worked
/// out on a thread of their own from the start of the run, so that hashing overlaps reading
/// the data instead of adding to it (SHA-256 of a 1.4 GB `decisions.csv` is about a second on
/// one core). The hashes stay SHA-256 of the same bytes: reports compare across versions.
public final class BackgroundHashes: Sendable {
  private let source: any DecisionSource
  private let results: Mutex<[String: Result<String?, any Error>]> = Mutex([:])
  private let finished = DispatchGroup()

  /// Starts hashing `files`, in order, on a thread of its own.
  public init(source: any DecisionSource, files: [String]) {
    self.source = source
    finished.enter()
    Thread.detachNewThread { [self] in
      for file in files {
        let result = Result { try source.contentHashes(of: [file])[file] }
        results.withLock { $0[file] = result }
      }
      finished.leave()
    }
  }

  /// The hashes of `files`, waiting for the thread; a file it did not hash, or could not, is
  /// hashed now (so an error is the source's own, thrown here).
  public func hashes(of files: [String]) throws -> [String: String] {
    finished.wait()
    var hashes: [String: String] = [:]
    var missing: [String] = []
    let results = results.withLock { $0 }
    for file in files {
      if case .success(let hash?) = results[file] { hashes[file] = hash } else { missing.append(file) }
    }
    if !missing.isEmpty { hashes.merge(try source.contentHashes(of: missing)) { first, _ in first } }
    return hashes
  }
}
