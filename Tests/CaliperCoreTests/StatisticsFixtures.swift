import Foundation

/// Reference values produced by `Fixtures/generate_stats_fixtures.py` from statsmodels, SciPy and
/// NumPy, read from the source tree so the tests need no Python.
struct StatisticsFixtures: Decodable {
  struct Interval: Decodable {
    var k: Int
    var n: Int
    var confidence: Double
    var wilson: [Double]
    var clopper_pearson: [Double]
  }
  struct ZTest: Decodable {
    var k1: Int
    var n1: Int
    var k2: Int
    var n2: Int
    var z: Double
    var p: Double
  }
  struct McNemar: Decodable {
    var b: Int
    var c: Int
    var exact: Double
    var chi2: Double
  }
  struct DescriptiveCase: Decodable {
    var values: [Double]
    var mean: Double
    var stdev: Double
    var qs: [Double]
    var percentiles: [Double]
  }
  struct BenjaminiHochberg: Decodable {
    var pvalues: [Double]
    var alpha: Double
    var adjusted: [Double]
    var rejected: [Bool]
  }
  struct ChiSquare: Decodable {
    var table: [[Double]]
    var chi2: Double
    var p: Double
    var dof: Int
  }

  struct Confusion: Decodable {
    var actual: [String]
    var predicted: [String]
    var labels: [String]
    var matrix: [[Int]]
    var precision: [Double]
    var recall: [Double]
    var f1: [Double]
    var support: [Int]
    var macro: [Double]
    var micro: [Double]
    var weighted: [Double]
    var mcc: Double?
  }

  var intervals: [Interval]
  var confusion: [Confusion]
  var two_proportion_z: [ZTest]
  var mcnemar: [McNemar]
  var descriptive: [DescriptiveCase]
  var benjamini_hochberg: [BenjaminiHochberg]
  var chi2_contingency: [ChiSquare]

  static let shared: StatisticsFixtures = loadFixture("stats.json")
}

/// Decodes a committed fixture from `Fixtures/` in the source tree.
func loadFixture<T: Decodable>(_ name: String) -> T {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
  do {
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
  } catch {
    fatalError("cannot read \(url.path): \(error)")
  }
}

/// The agreement the issue sets: absolute error below 1e-9.
let tolerance = 1e-9
