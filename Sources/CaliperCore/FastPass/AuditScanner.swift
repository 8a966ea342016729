/// The fast path over `qa_audits.csv` (a ``PartScanner``): splits a part of the file in place
/// (``RecordSplitter``) and checks every field as `QAAudit.init` does (required values present,
/// `auditor_org` vendor or internal, `audited_at` a contract timestamp, `disputed` a boolean,
/// `dispute_outcome` empty, upheld or overturned), keeping what ``AuditPart`` holds. It accepts
/// only what the exact reader accepts, with the same values; at anything else it gives up and
/// the exact reader reads the file.
struct AuditScanner: PartScanner {
  static var file: ContractFile { .qaAudits }
  /// The columns checked, in field order.
  enum Field: Int, CaseIterable {
    case auditID, decisionID, auditorID, auditorOrganisation, auditedAt, qaLabel, disputed, disputeOutcome

    var column: String {
      switch self {
      case .auditID: "audit_id"
      case .decisionID: "decision_id"
      case .auditorID: "auditor_id"
      case .auditorOrganisation: "auditor_org"
      case .auditedAt: "audited_at"
      case .qaLabel: "qa_label"
      case .disputed: "disputed"
      case .disputeOutcome: "dispute_outcome"
      }
    }
  }

  private let splitter: RecordSplitter

  init(header: CSVHeader) {
    splitter = RecordSplitter(header: header, fields: Field.allCases.map(\.column))
  }

  static func decode(_ row: RowReader) throws -> QAAudit { try QAAudit(row) }

  static func part(of rows: [QAAudit]) -> AuditPart {
    var builder = AuditPartBuilder()
    for audit in rows { builder.append(audit) }
    return builder.finish()
  }

  static func count(of part: AuditPart) -> Int { part.count }

  /// The audits of `buffer` (whole records), or `nil` at the first the scanner refuses (with
  /// `refused`, one it refuses whose end it found goes there first: see
  /// `RecordSplitter.split(_:refused:_:)`).
  func scan(_ buffer: UnsafeRawBufferPointer, refused: ((UnsafeRawBufferPointer) -> Bool)? = nil) -> AuditPart? {
    var builder = AuditPartBuilder()
    var dates = DateCache()
    let records = splitter.split(buffer, refused: refused) { fields in
      let field = { (name: Field) in fields[name.rawValue] }
      let outcome = field(.disputeOutcome)
      guard !field(.auditID).isEmpty, !field(.decisionID).isEmpty, !field(.auditorID).isEmpty,
        !field(.qaLabel).isEmpty, let organisation = Self.organisation(field(.auditorOrganisation)),
        dates.timestamp(field(.auditedAt)) != nil, let disputed = FieldParsing.boolean(field(.disputed)),
        outcome.isEmpty || Self.equals(outcome, "upheld") || Self.equals(outcome, "overturned")
      else { return false }
      builder.append(
        auditID: field(.auditID), decisionID: field(.decisionID), qaLabel: field(.qaLabel),
        organisation: organisation, disputed: disputed, overturned: Self.equals(outcome, "overturned"))
      return true
    }
    return records == nil ? nil : builder.finish()
  }

  /// `vendor` or `internal` (the policy team does not audit decisions).
  private static func organisation(_ bytes: UnsafeRawBufferPointer) -> Organisation? {
    if equals(bytes, "vendor") { return .vendor }
    if equals(bytes, "internal") { return .internal }
    return nil
  }

  private static func equals(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
    bytes.count == text.utf8CodeUnitCount
      && bytes.elementsEqual(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }
}
