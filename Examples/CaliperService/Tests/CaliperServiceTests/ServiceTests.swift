import CaliperCore
import CaliperServiceKit
import Foundation
import Hummingbird
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The service on loopback, called over real HTTP: every route, bad requests, a hostile pack
/// (a script that fails, one that never ends), reloads that fail and succeed, and the service
/// still answering after all of it.
@Suite("Caliper service")
struct ServiceTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// A GET or POST and its status, content type and body.
  static func call(
    _ port: Int, _ path: String, method: String = "GET"
  ) async throws -> (
    status: Int, type: String, body: Data
  ) {
    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
    request.httpMethod = method
    request.timeoutInterval = 120
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = try #require(response as? HTTPURLResponse)
    return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", data)
  }

  static func error(_ body: Data) throws -> ServiceError.Body {
    try JSONDecoder().decode(ServiceError.Body.self, from: body)
  }

  @Test func everyRouteAnswersAndNothingStopsTheService() async throws {
    // The example packs and a hostile pack, in a packs folder of their own.
    let packs = FileManager.default.temporaryDirectory.appendingPathComponent("caliper-service-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: packs) }
    try FileManager.default.createDirectory(at: packs, withIntermediateDirectories: true)
    for name in ["apac-base", "jp"] {
      try FileManager.default.copyItem(
        at: Self.repository.appendingPathComponent("Examples/packs/\(name)"), to: packs.appendingPathComponent(name))
    }
    let hostile = packs.appendingPathComponent("hostile")
    try FileManager.default.createDirectory(
      at: hostile.appendingPathComponent("scorecards"), withIntermediateDirectories: true)
    try "return { name = 'hostile', version = '1', caliper = 1 }".write(
      to: hostile.appendingPathComponent("pack.lua"), atomically: true, encoding: .utf8)
    func scorecard(_ id: String, _ body: String) -> String {
      """
      local caliper = require "caliper"
      return caliper.scorecard { id = "\(id)", grain = "vendor", period = "month", min_n = 1,
        kpis = { { id = "k", value = function(g)
          \(body)
        end } } }
      """
    }
    try scorecard("crash", "error('no such field')").write(
      to: hostile.appendingPathComponent("scorecards/crash.lua"), atomically: true, encoding: .utf8)
    try scorecard("spin", "while true do end").write(
      to: hostile.appendingPathComponent("scorecards/spin.lua"), atomically: true, encoding: .utf8)
    try "return {".write(
      to: packs.appendingPathComponent("broken/pack.lua").creatingFolder(), atomically: true, encoding: .utf8)

    // The example data's organisation and weeks, with a tenth of its decisions: the routes are
    // under test here, not the data (on the example data this test took 77 s of a debug build).
    let data = packs.appendingPathExtension("data")
    defer { try? FileManager.default.removeItem(at: data) }
    _ = try SyntheticDataGenerator(seed: 6, decisions: 6_000, weeks: 5, moderatorsPerSite: 4).write(to: data)
    var configuration = ServiceConfiguration(data: data, packs: packs, port: 0)
    // Every run of the hostile pack lasts this long: its `spin` scorecard runs until the limit
    // stops it (a scorecard's route runs its pack's report, whose other scorecards run too). A
    // run of the example packs on these decisions takes half a second.
    configuration.engine.limits.timeout = .seconds(5)
    let service = try await CaliperService(configuration)
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let server = Task { try await service.application { continuation.yield($0) }.run() }
    defer { server.cancel() }
    var iterator = ports.makeAsyncIterator()
    let port = try #require(await iterator.next())

    let health = try await Self.call(port, "/healthz")
    #expect(health.status == 200 && health.type.hasPrefix("application/json"))
    let healthText = String(decoding: health.body, as: UTF8.self)
    #expect(healthText.contains("\"jp\":\"ready\"") && healthText.contains("pack broken cannot be loaded"))

    let site = try await Self.call(port, "/scorecards/apac-base/site_weekly")
    #expect(site.status == 200, "\(String(decoding: site.body, as: UTF8.self))")
    let report = try JSONSerialization.jsonObject(with: site.body) as? [String: Any]
    let cards = (report?["sections"] as? [String: Any])?["scorecards"] as? [[String: Any]]
    #expect(cards?.map { $0["id"] as? String } == ["site_weekly"])
    let cached = try await Self.call(port, "/scorecards/apac-base/site_weekly")
    #expect(cached.body == site.body)
    let earlier = try await Self.call(port, "/scorecards/jp/site_weekly?period=2026-W26")
    #expect(earlier.status == 200 && String(decoding: earlier.body, as: UTF8.self).contains("2026-W26"))

    for (path, status, message) in [
      ("/scorecards/apac-base/site_weekly?period=last-week", 400, "period: expected a period"),
      ("/scorecards/apac-base/site_weekly?timeout=soon", 400, "timeout: expected seconds"),
      ("/scorecards/apac-base/site_weekly?memory_mb=-1", 400, "memory_mb: expected megabytes"),
      ("/scorecards/nowhere/site_weekly", 404, "no pack 'nowhere'; packs: apac-base, broken, hostile, jp"),
      ("/scorecards/apac-base/nothing", 404, "pack apac-base has no scorecard 'nothing'"),
      ("/scorecards/broken/x", 422, "pack broken cannot be loaded"),
      ("/scorecards/hostile/crash", 422, "scorecards/crash.lua:4: no such field"),
      ("/reports/apac-base.pdf", 404, "reports are served as {pack}.html"),
    ] {
      let answer = try await Self.call(port, path)
      #expect(answer.status == status, "\(path): \(answer.status)")
      let body = try Self.error(answer.body)
      #expect(body.error.contains(message), "\(path): \(body.error)")
    }
    let spin = try await Self.call(port, "/scorecards/hostile/spin?timeout=1")
    #expect(spin.status == 503)
    #expect(try Self.error(spin.body).limit == "time", "\(String(decoding: spin.body, as: UTF8.self))")

    let html = try await Self.call(port, "/reports/jp.html")
    #expect(html.status == 200 && html.type.hasPrefix("text/html"))
    #expect(String(decoding: html.body, as: UTF8.self).hasPrefix("<!DOCTYPE html>"))

    // A reload that fails keeps the old scripts; one that succeeds serves the new ones.
    let crash = hostile.appendingPathComponent("scorecards/crash.lua")
    try "local caliper = require 'caliper'\nreturn caliper.scorecard {".write(
      to: crash, atomically: true, encoding: .utf8)
    let failed = try await Self.call(port, "/packs/hostile/reload", method: "POST")
    #expect(failed.status == 422)
    #expect(try Self.error(failed.body).problems?.contains { $0.contains("scorecards/crash.lua:2") } == true)
    #expect(try await Self.call(port, "/scorecards/hostile/crash").status == 422)
    try scorecard("crash", "return 1").write(to: crash, atomically: true, encoding: .utf8)
    let reloaded = try await Self.call(port, "/packs/hostile/reload", method: "POST")
    #expect(reloaded.status == 200, "\(String(decoding: reloaded.body, as: UTF8.self))")
    #expect(try await Self.call(port, "/scorecards/hostile/crash").status == 200)
    #expect(try await Self.call(port, "/packs/nowhere/reload", method: "POST").status == 404)

    #expect(try await Self.call(port, "/healthz").status == 200)
  }
}

extension ServiceTests {
  @Test func theBundledPacksWereCheckedAtBuildTimeAndServe() async throws {
    #expect(ServiceConfiguration.checkedPacks == ["queue-health"])
    let service = try await CaliperService(
      ServiceConfiguration(
        data: Self.repository.appendingPathComponent("Examples/data"), packs: ServiceConfiguration.bundledPacks, port: 0
      ))
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let server = Task { try await service.application { continuation.yield($0) }.run() }
    defer { server.cancel() }
    var iterator = ports.makeAsyncIterator()
    let port = try #require(await iterator.next())
    let health = try await Self.call(port, "/healthz")
    #expect(String(decoding: health.body, as: UTF8.self).contains("\"checkedAtBuild\":[\"queue-health\"]"))
    let queues = try await Self.call(port, "/scorecards/queue-health/queue_weekly")
    #expect(queues.status == 200, "\(String(decoding: queues.body, as: UTF8.self))")
  }
}

extension URL {
  /// This file URL, with its folder made.
  func creatingFolder() throws -> URL {
    try FileManager.default.createDirectory(at: deletingLastPathComponent(), withIntermediateDirectories: true)
    return self
  }
}
