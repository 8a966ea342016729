import CaliperScripting
import Foundation

/// One engine per served pack, made at start-up. A pack that cannot be loaded is kept with its
/// error, so the service starts and says why that pack is unavailable.
public struct PackEngines: Sendable {
  /// Each pack's engine, or why it could not be made, by folder name.
  public let engines: [String: Result<CaliperEngine, ServiceError>]

  /// Makes an engine for every pack folder under `folder`.
  public init(folder: URL, options: CaliperEngine.Options) async throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().filter {
      FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/pack.lua").path)
    }
    var engines: [String: Result<CaliperEngine, ServiceError>] = [:]
    for name in names {
      do {
        engines[name] = .success(
          try await CaliperEngine(packs: [folder.appendingPathComponent(name)], options: options))
      } catch {
        engines[name] = .failure(ServiceError(.unprocessableContent, "pack \(name) cannot be loaded: \(error)"))
      }
    }
    self.engines = engines
  }

  /// The engine of `pack`; a 404 naming the packs there are, or the pack's load error.
  public func engine(_ pack: String) throws(ServiceError) -> CaliperEngine {
    guard let entry = engines[pack] else {
      throw ServiceError(.notFound, "no pack '\(pack)'; packs: \(engines.keys.sorted().joined(separator: ", "))")
    }
    return try entry.get()
  }
}
