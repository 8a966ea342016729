import Synchronization

/// The content hash of one data file, worked out by a source's pass over the file from the
/// bytes it reads anyway, for the run's ``BackgroundHashes``: the CSV folder's decisions pass
/// hashes `decisions.csv` block by block as it reads it, instead of a thread of its own reading
/// the 1.4 GB of a 10M-decision folder a second time. The pass delivers the hash when it read
/// the whole file, or declines (it stopped early, or the exact reader took over) and the run's
/// hashes read the file themselves; whichever comes first counts.
public final class DigestFromPass: Sendable {
  /// The file, as the contract names it.
  public let file: String
  private let state = Mutex(State.waiting)
  private let whenDeclined: @Sendable () -> Void

  private enum State {
    case waiting
    case delivered(String)
    case declined
  }

  /// A request for `file`'s hash; `whenDeclined` runs once if the pass declines.
  init(file: String, whenDeclined: @escaping @Sendable () -> Void) {
    self.file = file
    self.whenDeclined = whenDeclined
  }

  /// The pass read the whole file: `hex` is the SHA-256 of its bytes, as lowercase hex.
  public func deliver(_ hex: String) {
    state.withLock { if case .waiting = $0 { $0 = .delivered(hex) } }
  }

  /// The pass will not hash the whole file: the hashes read it themselves.
  public func decline() {
    let first = state.withLock { state -> Bool in
      guard case .waiting = state else { return false }
      state = .declined
      return true
    }
    if first { whenDeclined() }
  }

  /// The delivered hash, if any.
  var delivered: String? {
    state.withLock { state in
      if case .delivered(let hex) = state { return hex }
      return nil
    }
  }
}
