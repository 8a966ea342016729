import CaliperCore
import CaliperServiceKit
import Foundation
import Hummingbird

/// `caliper-service --data DIR|FILE.sqlite [--packs DIR] [--host 127.0.0.1] [--port 8080]`
/// (without `--packs`, the packs bundled with the service). Data file hashes are remembered in
/// the user's cache folder, as the `caliper` command does.
let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
  guard let index = arguments.firstIndex(of: "--\(name)"), index + 1 < arguments.count else { return nil }
  return arguments[index + 1]
}
guard let data = option("data") else {
  FileHandle.standardError.write(
    Data("usage: caliper-service --data DIR|FILE.sqlite [--packs DIR] [--host 127.0.0.1] [--port 8080]\n".utf8))
  exit(2)
}
var configuration = ServiceConfiguration(
  data: URL(fileURLWithPath: data),
  packs: option("packs").map { URL(fileURLWithPath: $0) } ?? ServiceConfiguration.bundledPacks)
configuration.digestCache = FileDigestCache.standard(environment: ProcessInfo.processInfo.environment)
if let host = option("host") { configuration.host = host }
if let port = option("port") {
  guard let number = Int(port), (0...65535).contains(number) else {
    FileHandle.standardError.write(Data("--port \(port) is not a port number\n".utf8))
    exit(2)
  }
  configuration.port = number
}
let host = configuration.host
do {
  let service = try await CaliperService(configuration)
  try await service.application { port in print("caliper-service listening on \(host):\(port)") }.runService()
} catch {
  FileHandle.standardError.write(Data("caliper-service: \(error)\n".utf8))
  exit(1)
}
