import Foundation

/// Where sandboxed `os.time`, `os.date` and `os.clock` read the time, so a run can be replayed.
public protocol LuaClock: Sendable {
  /// Seconds since 1970-01-01T00:00:00Z.
  func now() -> Double
  /// Processor time in seconds, as `os.clock` reports it.
  func processorTime() -> Double
}

/// The real clock: wall time and this process's CPU time.
public struct SystemClock: LuaClock {
  /// Creates the system clock.
  public init() {}
  /// The current wall time.
  public func now() -> Double { Date().timeIntervalSince1970 }
  /// The process's CPU time.
  public func processorTime() -> Double { Double(clock()) / Double(CLOCKS_PER_SEC) }
}

/// A clock that always reads the same instant and zero CPU time: runs become reproducible.
public struct FixedClock: LuaClock {
  /// The instant, in seconds since the epoch.
  public var instant: Double
  /// Creates a clock stopped at `instant`.
  public init(instant: Double) { self.instant = instant }
  /// Always `instant`.
  public func now() -> Double { instant }
  /// Always zero.
  public func processorTime() -> Double { 0 }
}
