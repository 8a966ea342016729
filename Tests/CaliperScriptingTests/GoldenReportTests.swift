import Foundation
import Testing

@testable import CaliperScripting

/// The example packs on the example data give, in every format, exactly the bytes committed in
/// `Golden/` (made by the build before the seams refactor; regenerate them only for a change
/// of output that is meant, and say so in the commit). `example-report.v1.json` is the
/// `caliper.report/1` document made before the report gained sections: today's report, mapped
/// back as `docs/report-schema.md` describes, must hold exactly its content.
@Suite("Golden reports")
struct GoldenReportTests {
  static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

  @Test func everyFormatMatchesItsGoldenFile() async throws {
    let report = try await runScorecards(packs: ExamplePaths.all)
    let expectations: [(file: String, renderer: any ReportRenderer)] = [
      ("example-report.json", JSONRenderer()),
      ("example-report.csv", CSVRenderer()),
      ("example-report.txt", TableRenderer(colour: false)),
      ("example-report.html", HTMLRenderer()),
    ]
    for (file, renderer) in expectations {
      let expected = try String(contentsOf: Self.golden.appendingPathComponent(file), encoding: .utf8)
      let actual = try renderer.render(report)
      #expect(actual == expected, "\(file) differs from its golden file")
      if actual != expected {
        let line = zip(actual.split(separator: "\n"), expected.split(separator: "\n")).enumerated()
          .first { $0.element.0 != $0.element.1 }
        Issue.record("first differing line \((line?.offset ?? -1) + 1): \(line.map { "\($0.element.0)" } ?? "")")
      }
    }
  }

  @Test func theSecondSchemaHoldsExactlyTheFirstOnesContent() async throws {
    let report = try await runScorecards(packs: ExamplePaths.all)
    var mapped = try #require(try JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
    #expect(mapped["schema"] as? String == "caliper.report/2")
    let sections = try #require(mapped.removeValue(forKey: "sections") as? [String: Any])
    mapped["scorecards"] = sections["scorecards"]
    mapped["schema"] = "caliper.report/1"
    let v1 = try JSONSerialization.jsonObject(
      with: Data(contentsOf: Self.golden.appendingPathComponent("example-report.v1.json")))
    #expect((mapped as NSDictionary).isEqual(v1))
  }

  @Test func everyFormatNameResolvesToItsRenderer() {
    #expect(ReportFormat.names == ["table", "json", "csv", "html"])
    for name in ReportFormat.names {
      #expect(ReportFormat.renderer(named: name).map { type(of: $0).formatName } == name)
    }
    #expect(ReportFormat.renderer(named: "pdf") == nil)
  }
}
