import Foundation
import Hummingbird

/// A failed request as the service answers it: a status and a JSON body with a clear message
/// (and, when they apply, the problems of a reload, the limit that stopped a run, the script's
/// location).
public struct ServiceError: Error, Sendable, CustomStringConvertible {
  /// The HTTP status.
  public var status: HTTPResponse.Status
  /// The body.
  public var body: Body

  /// The JSON body of an error.
  public struct Body: Codable, Sendable, Equatable {
    /// What went wrong.
    public var error: String
    /// The run limit that stopped a scorecard (`time`, `instructions`, `memory`).
    public var limit: String?
    /// The failing script's pack file.
    public var file: String?
    /// Every problem of a failed reload.
    public var problems: [String]?
  }

  /// An error with `status` and `message`.
  public init(
    _ status: HTTPResponse.Status, _ message: String, limit: String? = nil, file: String? = nil,
    problems: [String]? = nil
  ) {
    self.status = status
    body = Body(error: message, limit: limit, file: file, problems: problems)
  }

  /// The message.
  public var description: String { body.error }

  /// The response.
  public var response: Response {
    JSONBody.response(body, status: status)
  }
}

/// JSON responses.
enum JSONBody {
  static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = (try? encoder.encode(value)) ?? Data("{\"error\":\"the response could not be encoded\"}".utf8)
    return bytes(data, type: "application/json; charset=utf-8", status: status)
  }

  static func bytes(_ data: Data, type: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: type, .contentLength: String(data.count)],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
  }
}
