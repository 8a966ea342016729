/// What a run asks of the decisions: the groupings to aggregate, how many workers, and a
/// progress callback.
public struct AggregationRequest: Sendable {
  /// Groupings to build, in the order results come back.
  public var groupings: [Grouping]
  /// Workers to split the work across.
  public var workers: Int
  /// Called with (units done, units in all) as the work advances.
  public var progress: (@Sendable (Int, Int) -> Void)?
  /// A file's hash for the run's ``BackgroundHashes``, to work out from the bytes the
  /// aggregation reads anyway (see ``DecisionSource/hashesWhileAggregating(_:)``); the source
  /// delivers it or declines.
  public var digest: DigestFromPass?

  /// Creates a request.
  public init(
    groupings: [Grouping], workers: Int, progress: (@Sendable (Int, Int) -> Void)? = nil,
    digest: DigestFromPass? = nil
  ) {
    self.groupings = groupings
    self.workers = workers
    self.progress = progress
    self.digest = digest
  }
}

/// Where a run's decisions come from: it hands the engine each grouping's per-group aggregates
/// and, when it can, every row to a sink per worker (the scripts' custom row measures). A
/// source that cannot scan rows says so, and a scorecard with row measures then fails with a
/// clear error while the others run. The CSV folder's parallel pass is the first conformer; a
/// SQL source that pushes the aggregation down is another.
public protocol DecisionSource: RecordSource {
  /// Names the source in messages and reports (a folder path, a database file).
  var sourceName: String { get }
  /// Whether ``aggregate(_:reference:sinks:)`` can feed rows to sinks.
  var scansRows: Bool { get }

  /// The reference data every run needs: the policy book, queues, moderators, and what the
  /// decisions are joined with (golden items and QA audits).
  func referenceData() throws -> ReferenceData

  /// Aggregates the decisions for `request`; with `sinks`, each worker's rows also go through
  /// the sink it makes (only when ``scansRows``). Each sink is `sending`: made apart from the
  /// others, so that workers can use them at once.
  func aggregate<Sink: DecisionRowSink>(
    _ request: AggregationRequest, reference: ReferenceData, sinks: (Int) throws -> sending Sink
  ) throws -> sending DecisionPassResult<Sink>

  /// The SHA-256 of each named contract file's content, as hex, for the report's provenance.
  func contentHashes(of files: [String]) throws -> [String: String]

  /// Whether ``aggregate(_:reference:sinks:)`` works out `file`'s content hash from the bytes
  /// it reads anyway, when its request's ``AggregationRequest/digest`` asks (and the hash is
  /// not remembered): then the run's hashes do not read the file a second time.
  func hashesWhileAggregating(_ file: String) -> Bool
}

extension DecisionSource {
  /// No file: the run's hashes read every file themselves.
  public func hashesWhileAggregating(_ file: String) -> Bool { false }
}
