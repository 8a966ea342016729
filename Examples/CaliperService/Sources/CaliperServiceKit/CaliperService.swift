import CaliperCore
import CaliperSQLite
import CaliperScripting
import Foundation
import Hummingbird

/// Caliper's engine behind HTTP: one engine per pack (its scripts compiled once, a pool of
/// sandboxed states), reports cached per pack and period.
///
/// - `GET /healthz`: every pack and whether it is ready.
/// - `GET /scorecards/{pack}/{scorecard}?period=&timeout=&memory_mb=&instructions=`: the JSON
///   report of one scorecard (its findings included).
/// - `GET /reports/{pack}.html`: the pack's whole scorecard report as self-contained HTML.
/// - `POST /packs/{pack}/reload`: reads the pack again; a reload that fails keeps the old one.
///
/// A bad request is a 4xx with a clear message; a script's fault a 422 naming its file and line;
/// a limit a 503 naming it. Nothing a request or a script does stops the service.
public struct CaliperService: Sendable {
  let configuration: ServiceConfiguration
  let engines: PackEngines
  let source: any DecisionSource
  let cache = ReportCache()

  /// Loads every pack of the configuration and opens its data.
  public init(_ configuration: ServiceConfiguration) async throws {
    self.configuration = configuration
    engines = try await PackEngines(folder: configuration.packs, options: configuration.engine)
    var isFolder: ObjCBool = false
    _ = FileManager.default.fileExists(atPath: configuration.data.path, isDirectory: &isFolder)
    source =
      isFolder.boolValue
      ? CSVFolderSource(folder: configuration.data, digestCache: configuration.digestCache)
      : try SQLiteSource(file: configuration.data)
  }

  /// The HTTP application; `onServerRunning` gets the port it listens on.
  public func application(
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) -> some ApplicationProtocol {
    Application(
      router: router(),
      configuration: ApplicationConfiguration(
        address: .hostname(configuration.host, port: configuration.port), serverName: "caliper-service"),
      onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) })
  }

  func router() -> Router<BasicRequestContext> {
    let router = Router()
    router.get("/healthz") { _, _ in health() }
    router.get("/scorecards/:pack/:scorecard") { request, context in
      await answer { () async throws(ServiceError) in
        try await scorecard(
          pack: try parameter("pack", context), id: try parameter("scorecard", context),
          query: try ScorecardQuery(request, configuration: configuration))
      }
    }
    router.get("/reports/:file") { _, context in
      await answer { () async throws(ServiceError) in try await htmlReport(file: try parameter("file", context)) }
    }
    router.post("/packs/:pack/reload") { _, context in
      await answer { () async throws(ServiceError) in try await reload(pack: try parameter("pack", context)) }
    }
    return router
  }

  private func parameter(_ name: String, _ context: BasicRequestContext) throws(ServiceError) -> String {
    guard let value = context.parameters.get(name) else { throw ServiceError(.badRequest, "missing \(name)") }
    return value
  }

  /// The response of `body`, or of the error it threw.
  private func answer(_ body: () async throws(ServiceError) -> Response) async -> Response {
    do { return try await body() } catch { return error.response }
  }

  private func health() -> Response {
    struct Health: Encodable {
      var status: String
      var packs: [String: String]
      /// Bundled packs the build checked (CaliperPackValidator).
      var checkedAtBuild: [String]
    }
    var packs: [String: String] = [:]
    for (name, entry) in engines.engines {
      switch entry {
      case .success: packs[name] = "ready"
      case .failure(let error): packs[name] = error.description
      }
    }
    return JSONBody.response(Health(status: "ok", packs: packs, checkedAtBuild: ServiceConfiguration.checkedPacks))
  }

  /// The pack's report for `query`: from the cache when the request sets no limits.
  private func report(pack: String, query: ScorecardQuery) async throws(ServiceError) -> Report {
    let engine = try engines.engine(pack)
    if query.usesDefaults, let cached = await cache.report(pack: pack, period: query.period) { return cached }
    let report: Report
    do {
      report = try await engine.scorecards(
        on: source, ScorecardRequest(period: query.period, limits: query.limits, memoryLimit: query.memoryLimit))
    } catch let error as IngestionError {
      throw ServiceError(.internalServerError, "the service's data cannot be read: \(error)")
    } catch is CancellationError {
      throw ServiceError(.serviceUnavailable, "the run was cancelled", limit: "cancelled")
    } catch {
      throw ServiceError(.internalServerError, "the run failed: \(error)")
    }
    if query.usesDefaults, report.status == .ok { await cache.store(report, pack: pack, period: query.period) }
    return report
  }

  private func scorecard(pack: String, id: String, query: ScorecardQuery) async throws(ServiceError) -> Response {
    let json = "application/json; charset=utf-8"
    if query.usesDefaults, let body = await cache.body(pack: pack, period: query.period, scorecard: id) {
      return JSONBody.bytes(body, type: json)
    }
    let report = try await report(pack: pack, query: query)
    guard let card = report.scorecards.first(where: { $0.id == id }) else {
      throw ServiceError(
        .notFound,
        "pack \(pack) has no scorecard '\(id)'; scorecards: \(report.scorecards.map(\.id).joined(separator: ", "))")
    }
    if card.status != .ok {
      if let limit = card.limit {
        throw ServiceError(
          .serviceUnavailable, "the \(limit) limit stopped the scorecard: \(card.error ?? "")", limit: limit)
      }
      throw ServiceError(.unprocessableContent, card.error ?? "the scorecard failed", file: "\(card.pack)/\(card.file)")
    }
    var one = report
    one.sections.scorecards = [card]
    one.findings = report.findings.filter { $0.scorecard == card.id }
    do {
      let body = try one.json()
      if query.usesDefaults, report.status == .ok {
        await cache.store(body, pack: pack, period: query.period, scorecard: id)
      }
      return JSONBody.bytes(body, type: json)
    } catch {
      throw ServiceError(.internalServerError, "the report could not be encoded: \(error)")
    }
  }

  private func htmlReport(file: String) async throws(ServiceError) -> Response {
    guard file.hasSuffix(".html") else {
      throw ServiceError(.notFound, "reports are served as {pack}.html, not '\(file)'")
    }
    let pack = String(file.dropLast(".html".count))
    let report = try await report(pack: pack, query: ScorecardQuery.defaults)
    return JSONBody.bytes(Data(HTMLRenderer().render(report).utf8), type: "text/html; charset=utf-8")
  }

  private func reload(pack: String) async throws(ServiceError) -> Response {
    let engine = try engines.engine(pack)
    do {
      let outcome = try await engine.reload()
      await cache.invalidate(pack: pack)
      struct Reloaded: Encodable {
        var reloaded: Bool
        var packs: [String]
      }
      return JSONBody.response(Reloaded(reloaded: outcome.succeeded, packs: outcome.packs))
    } catch let error as ReloadError {
      throw ServiceError(
        .unprocessableContent, "reload failed; the previous packs stay in use", problems: error.problems)
    } catch {
      throw ServiceError(.internalServerError, "reload failed: \(error)")
    }
  }
}
