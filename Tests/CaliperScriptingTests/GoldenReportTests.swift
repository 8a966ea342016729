import Foundation
import Testing

@testable import CaliperScripting

/// The example packs on the example data give, in every format, exactly the bytes committed in
/// `Golden/` (made by the build before the seams refactor; regenerate them only for a change
/// of output that is meant, and say so in the commit: they were last made when the example data
/// was resized and findings, periods and numbers became readable, issue 16).
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

  @Test func everyFormatNameResolvesToItsRenderer() {
    #expect(ReportFormat.names == ["table", "json", "csv", "html"])
    for name in ReportFormat.names {
      #expect(ReportFormat.renderer(named: name).map { type(of: $0).formatName } == name)
    }
    #expect(ReportFormat.renderer(named: "pdf") == nil)
  }
}
