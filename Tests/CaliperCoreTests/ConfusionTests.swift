import Testing

@testable import CaliperCore

@Suite("Confusion matrices cross-checked against scikit-learn")
struct ConfusionTests {
  @Test func everyMetricMatchesScikitLearn() throws {
    let cases = StatisticsFixtures.shared.confusion
    #expect(cases.count >= 100)
    for case_ in cases {
      let matrix = try ConfusionMatrix(
        actual: case_.actual.map(Label.name), predicted: case_.predicted.map(Label.name))
      #expect(matrix.labels == case_.labels.map(Label.name))
      #expect(matrix.counts == case_.matrix)
      for (i, name) in case_.labels.enumerated() {
        let label = Label.name(name)
        #expect(matrix.support(label) == case_.support[i])
        #expect(abs((try matrix.metric(.precision, for: label).value ?? 0) - case_.precision[i]) < tolerance)
        #expect(abs((try matrix.metric(.recall, for: label).value ?? 0) - case_.recall[i]) < tolerance)
        #expect(abs((try matrix.metric(.f1, for: label).value ?? 0) - case_.f1[i]) < tolerance)
        // FNR is 1 − recall wherever recall is defined.
        if let recall = try matrix.metric(.recall, for: label).value {
          #expect(abs(try #require(try matrix.metric(.fnr, for: label).value) - (1 - recall)) < tolerance)
        }
      }
      for (average, expected) in [("macro", case_.macro), ("micro", case_.micro), ("weighted", case_.weighted)] {
        for (metric, value) in zip([ConfusionMatrix.Metric.precision, .recall, .f1], expected) {
          let ours: StatResult<Double> =
            switch average {
            case "macro": matrix.macro(metric)
            case "micro": matrix.micro(metric)
            default: matrix.weighted(metric)
            }
          #expect(abs((ours.value ?? 0) - value) < tolerance, "\(average) \(metric)")
        }
      }
      if let mcc = case_.mcc {
        #expect(abs(try #require(matrix.mcc().value) - mcc) < tolerance)
      } else {
        #expect(matrix.mcc().reason != nil)
      }
    }
  }

  @Test func falsePositiveRateAndEdges() throws {
    let actual: [Label] = [.name("spam"), .name("none"), .name("none"), .name("none")]
    let predicted: [Label] = [.name("spam"), .name("spam"), .name("none"), .name("none")]
    let matrix = try ConfusionMatrix(actual: actual, predicted: predicted)
    #expect(try matrix.metric(.fpr, for: .name("spam")).value == 1.0 / 3.0)
    #expect(try matrix.metric(.fpr, for: .name("none")).value == 0)
    #expect(matrix.count(actual: .name("none"), predicted: .name("spam")) == 1)
    #expect(matrix.accuracy().value == 0.75)
    let unseen = try ConfusionMatrix(
      actual: actual, predicted: predicted, labels: [.name("none"), .name("spam"), .name("hate")])
    #expect(try unseen.metric(.recall, for: .name("hate")).reason == "'hate' never occurs")
    #expect(try unseen.metric(.precision, for: .name("hate")).reason == "'hate' was never predicted")
    #expect(throws: StatisticsError.self) { try matrix.metric(.recall, for: .name("adult")) }
    #expect(throws: StatisticsError.self) { try ConfusionMatrix(actual: actual, predicted: []) }
    #expect(try ConfusionMatrix(actual: [], predicted: []).accuracy().reason == "no items")
  }
}
