/// Records of one contract file and how the file reconciled.
public struct RecordBatch<Record: ContractRecord>: Sendable {
  /// Every accepted record, in source order.
  public var records: [Record]
  /// Rows read, accepted and rejected.
  public var reconciliation: FileReconciliation

  /// Records and their accounting.
  public init(records: [Record], reconciliation: FileReconciliation) {
    self.records = records
    self.reconciliation = reconciliation
  }
}

/// A source of the contract's small files as typed records (policies, queues, moderators,
/// golden items, audits, calibration, training, incidents, red team). The CSV folder is the
/// first conformer; a database source is another, and nothing that reads records changes.
public protocol RecordSource: Sendable {
  /// Every record of `type`'s file; `nil` when an optional file is absent (a required one that
  /// is absent is an error).
  func records<Record: ContractRecord>(_ type: Record.Type) throws -> RecordBatch<Record>?
}
