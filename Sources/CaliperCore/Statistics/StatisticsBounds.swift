/// The largest inputs the statistics accept. Each keeps the work a caller can ask for bounded in
/// time and memory, and keeps integer arithmetic on counts from overflowing; an argument beyond
/// one is a ``StatisticsError`` that names the bound.
public enum StatisticsBounds {
  /// The largest count (k, n, b, c, a chart's sizes, a stratum's size): 2⁵³, the largest integer
  /// a `Double` holds exactly, so that k/n is the ratio of the integers given and sums of a few
  /// counts cannot overflow.
  public static let maximumCount = 1 << 53

  /// The most distinct labels a dense label × label matrix may have (`cohen_kappa`,
  /// `confusion`, `krippendorff_alpha`, `dawid_skene`): 1,000 labels, a million cells.
  public static let maximumLabels = 1_000

  /// The most discordant pairs (b + c) of McNemar's exact test, which sums min(b, c) + 1
  /// binomial terms. Beyond it the log-gamma terms lose the 1e-9 accuracy the test is checked
  /// to; the chi-square version (`exact: false`) has no such bound.
  public static let maximumExactPairs = 1_000_000

  /// The most strata of a Neyman allocation, whose rounds of fixing strata at their minimum or
  /// size take time quadratic in their number.
  public static let maximumStrata = 10_000

  /// The largest Dawid–Skene model, counted as (responses + units + raters × labels) × labels:
  /// the multiply-adds of one EM iteration and, within a factor, the probabilities it stores.
  public static let maximumModelCells = 20_000_000

  /// The most Dawid–Skene work, cells × iterations, so that a fit cannot outlast a run's
  /// deadline by much (Swift code is not reached by the Lua hook that enforces it): one
  /// iteration over 12 million cells took 0.21 s in a release build, so this is about 2 s.
  public static let maximumModelWork = 100_000_000

  /// The most bootstrap resamples.
  public static let maximumResamples = 1_000_000
}
