import CaliperCore
import CaliperScripting
import Foundation
import LuaKit

/// What the service serves and how: the data, the packs, where it listens, and the limits every
/// request runs under (a request may ask for tighter ones, or looser up to the maximum).
public struct ServiceConfiguration: Sendable {
  /// The data: a folder of contract CSV files or an SQLite file from `caliper import`.
  public var data: URL
  /// A folder of packs: each subfolder with a `pack.lua` is served under its folder name.
  public var packs: URL
  /// The address to listen on.
  public var host: String
  /// The port (0: any free port, reported when the server runs).
  public var port: Int
  /// Workers and pool size of each pack's engine.
  public var engine: CaliperEngineOptions
  /// The most time a request may ask for.
  public var maximumTimeout: Duration
  /// The most memory per Lua state a request may ask for, in bytes.
  public var maximumMemory: Int
  /// Where the hashes of a data folder's files are remembered between reports and restarts
  /// (`nil`: a report not in the cache hashes the files it reads).
  public var digestCache: FileDigestCache?

  /// The packs bundled with the service (checked at build time by `CaliperPackValidator`).
  public static var bundledPacks: URL {
    Bundle.module.url(forResource: "Packs", withExtension: nil)
      ?? Bundle.module.bundleURL.appendingPathComponent("Packs")
  }

  /// The names of the bundled packs the build checked.
  public static var checkedPacks: [String] { CaliperCheckedPacks.names }

  /// A configuration with the defaults: loopback, port 8080, one worker and two states per pack,
  /// 30 s and 256 MB per request unless it asks otherwise (at most 120 s and 1 GB).
  public init(
    data: URL, packs: URL, host: String = "127.0.0.1", port: Int = 8080,
    engine: CaliperEngineOptions = CaliperEngineOptions(
      workers: 1, poolSize: 2, memoryLimit: 256 << 20, limits: RunLimits(timeout: .seconds(30))),
    maximumTimeout: Duration = .seconds(120), maximumMemory: Int = 1 << 30, digestCache: FileDigestCache? = nil
  ) {
    self.data = data
    self.packs = packs
    self.host = host
    self.port = port
    self.engine = engine
    self.maximumTimeout = maximumTimeout
    self.maximumMemory = maximumMemory
    self.digestCache = digestCache
  }
}
