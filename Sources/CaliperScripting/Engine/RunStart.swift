import CaliperCore

/// What every kind of run starts with: its data files being hashed on a thread of their own
/// (for the report's provenance) and the reference data read, checking for cancellation after.
struct RunStart {
  /// The hashes the report will carry.
  let hashes: BackgroundHashes
  /// What decisions are joined with.
  let reference: ReferenceData

  /// Starts a run on `source`.
  init(source: any DecisionSource, cancellation: CancellationFlag) throws {
    hashes = BackgroundHashes(source: source, files: ContractFile.readByEveryRun.map(\.fileName))
    reference = try source.referenceData()
    try cancellation.check()
  }

  /// The hashes and the reference data, to bind at once.
  var parts: (BackgroundHashes, ReferenceData) { (hashes, reference) }
}
