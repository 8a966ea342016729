import Foundation
import Testing

@testable import CaliperScripting

/// The JSON report against `docs/report-schema.json`: a small validator for the keywords the
/// schema uses (type, const, enum, required, properties, additionalProperties, items, $ref,
/// minimum, maximum, pattern), so that the schema and the encoder cannot drift apart.
@Suite("Report schema")
struct ReportSchemaTests {
  @Test func theExampleReportMatchesTheSchema() async throws {
    let schemaURL = ExamplePaths.root.appendingPathComponent("docs/report-schema.json")
    let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: schemaURL)) as? [String: Any])
    let report = try await runScorecards(packs: [ExamplePaths.pack("jp")])
    let json = try JSONSerialization.jsonObject(with: try report.json())
    var problems: [String] = []
    validate(json, against: schema, root: schema, path: "$", problems: &problems)
    #expect(problems.isEmpty, "\(problems.prefix(10))")
    // A broken document is caught (the validator itself can fail).
    var broken = try #require(json as? [String: Any])
    broken["status"] = "maybe"
    broken.removeValue(forKey: "packs")
    var brokenProblems: [String] = []
    validate(broken, against: schema, root: schema, path: "$", problems: &brokenProblems)
    #expect(brokenProblems.contains("$: missing required 'packs'"))
    #expect(brokenProblems.contains("$.status: \"maybe\" not in enum"))
  }

  @Test func theAlignmentReportMatchesTheSchema() async throws {
    let schemaURL = ExamplePaths.root.appendingPathComponent("docs/report-schema.json")
    let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: schemaURL)) as? [String: Any])
    let report = try await runAlignment(packs: [ExamplePaths.pack("apac-base"), ExamplePaths.pack("jp")])
    #expect(report.sections.alignment != nil)
    let json = try JSONSerialization.jsonObject(with: try report.json())
    var problems: [String] = []
    validate(json, against: schema, root: schema, path: "$", problems: &problems)
    #expect(problems.isEmpty, "\(problems.prefix(10))")
  }

  @Test func theCurriculumReportMatchesTheSchema() async throws {
    let schemaURL = ExamplePaths.root.appendingPathComponent("docs/report-schema.json")
    let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: schemaURL)) as? [String: Any])
    let report = try await runCurricula(packs: ExamplePaths.all)
    #expect(report.sections.curricula != nil)
    let json = try JSONSerialization.jsonObject(with: try report.json())
    var problems: [String] = []
    validate(json, against: schema, root: schema, path: "$", problems: &problems)
    #expect(problems.isEmpty, "\(problems.prefix(10))")
  }

  private func validate(
    _ value: Any, against schema: [String: Any], root: [String: Any], path: String, problems: inout [String]
  ) {
    if let reference = schema["$ref"] as? String {
      let name = String(reference.dropFirst("#/$defs/".count))
      let target = (root["$defs"] as? [String: Any])?[name] as? [String: Any] ?? [:]
      validate(value, against: target, root: root, path: path, problems: &problems)
      return
    }
    if let constant = schema["const"] as? String, value as? String != constant {
      problems.append("\(path): not \(constant)")
    }
    if let options = schema["enum"] as? [String] {
      if let text = value as? String, !options.contains(text) { problems.append("\(path): \"\(text)\" not in enum") }
    }
    let types: [String] = (schema["type"] as? [String]) ?? ((schema["type"] as? String).map { [$0] } ?? [])
    if !types.isEmpty, !types.contains(where: { matches(value, $0) }) { problems.append("\(path): not \(types)") }
    if let number = numeric(value) {
      if let minimum = schema["minimum"] as? Double, number < minimum { problems.append("\(path): below \(minimum)") }
      if let maximum = schema["maximum"] as? Double, number > maximum { problems.append("\(path): above \(maximum)") }
    }
    if let pattern = schema["pattern"] as? String, let text = value as? String,
      text.range(of: pattern, options: .regularExpression) == nil
    {
      problems.append("\(path): does not match \(pattern)")
    }
    if let object = value as? [String: Any] {
      for key in schema["required"] as? [String] ?? [] where object[key] == nil {
        problems.append("\(path): missing required '\(key)'")
      }
      let properties = schema["properties"] as? [String: Any] ?? [:]
      for (key, child) in object {
        if let childSchema = properties[key] as? [String: Any] {
          validate(child, against: childSchema, root: root, path: "\(path).\(key)", problems: &problems)
        } else if let extra = schema["additionalProperties"] as? [String: Any] {
          validate(child, against: extra, root: root, path: "\(path).\(key)", problems: &problems)
        } else if schema["additionalProperties"] as? Bool == false {
          problems.append("\(path): unexpected '\(key)'")
        }
      }
    }
    if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
      for (index, element) in array.enumerated() {
        validate(element, against: items, root: root, path: "\(path)[\(index)]", problems: &problems)
      }
    }
  }

  private func numeric(_ value: Any) -> Double? {
    // (Foundation on Linux gives booleans and numbers alike as NSNumber; the report has no
    // booleans, so every NSNumber here is a number.)
    if let integer = value as? Int { return Double(integer) }
    if let double = value as? Double { return double }
    return (value as? NSNumber)?.doubleValue
  }

  private func matches(_ value: Any, _ type: String) -> Bool {
    switch type {
    case "object": value is [String: Any]
    case "array": value is [Any]
    case "string": value is String
    case "integer": numeric(value).map { $0 == $0.rounded() } ?? false
    case "number": numeric(value) != nil
    case "boolean": value is Bool
    default: true
    }
  }
}
