/// A row type of the data contract: the file it lives in and how one row of that file decodes.
/// Every contract file but `decisions.csv` (which streams through a ``DecisionSource``) has one,
/// so any ``RecordSource`` can hand it over typed.
public protocol ContractRecord: Sendable {
  /// The contract file the records come from.
  static var contractFile: ContractFile { get }
  /// Decodes one row, with errors naming the column and what is wrong.
  init(_ row: RowReader) throws
}

extension PolicyLabel: ContractRecord {
  /// `policies.csv`.
  public static var contractFile: ContractFile { .policies }
}

extension Queue: ContractRecord {
  /// `queues.csv`.
  public static var contractFile: ContractFile { .queues }
}

extension Moderator: ContractRecord {
  /// `moderators.csv`.
  public static var contractFile: ContractFile { .moderators }
}

extension GoldenItem: ContractRecord {
  /// `golden.csv`.
  public static var contractFile: ContractFile { .golden }
}

extension QAAudit: ContractRecord {
  /// `qa_audits.csv`.
  public static var contractFile: ContractFile { .qaAudits }
}

extension CalibrationRating: ContractRecord {
  /// `calibration.csv`.
  public static var contractFile: ContractFile { .calibration }
}

extension TrainingRecord: ContractRecord {
  /// `training.csv`.
  public static var contractFile: ContractFile { .training }
}

extension Incident: ContractRecord {
  /// `incidents.csv`.
  public static var contractFile: ContractFile { .incidents }
}

extension RedTeamCase: ContractRecord {
  /// `redteam.csv`.
  public static var contractFile: ContractFile { .redteam }
}

extension VendorReport: ContractRecord {
  /// `vendor_reports.csv`.
  public static var contractFile: ContractFile { .vendorReports }
}
