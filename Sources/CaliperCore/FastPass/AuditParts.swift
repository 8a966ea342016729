import Foundation

/// What the decisions join and validation keep of the QA audits of one part of
/// `qa_audits.csv`, compactly: each audit's decision id (bytes, no `String`), its fact, and a
/// hash of its audit id. Made by ``AuditScanner`` in place, or from the exact reader's audits
/// (``AuditPartBuilder/append(_:)``): one form whichever reader read the file.
struct AuditPart: Sendable {
  /// The decision ids, audit by audit.
  var decisionIDs = PackedBytes()
  /// The part's distinct QA labels; each fact's `qaLabel` indexes them.
  var labels: [String] = []
  var facts: [AuditFact] = []
  /// A 64-bit hash of each audit id (validation looks for duplicates among them).
  var auditIDHashes: [UInt64] = []

  /// Audits in the part.
  var count: Int { facts.count }

  /// Calls `body` with the decision id of audit `index`.
  func withDecisionID<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
    decisionIDs.withString(index, body)
  }
}

/// Builds an ``AuditPart`` audit by audit, in file order.
struct AuditPartBuilder {
  private var part = AuditPart()
  private var labels = ByteInterner(capacity: 64)

  /// Adds an audit from its fields' bytes.
  mutating func append(
    auditID: UnsafeRawBufferPointer, decisionID: UnsafeRawBufferPointer, qaLabel: UnsafeRawBufferPointer,
    organisation: Organisation, disputed: Bool, overturned: Bool
  ) {
    part.decisionIDs.append(decisionID)
    part.auditIDHashes.append(ByteInterner.hash(auditID))
    part.facts.append(
      AuditFact(
        organisation: organisation, qaLabel: labels.intern(qaLabel), disputed: disputed, overturned: overturned))
  }

  /// Adds an audit the exact reader decoded.
  mutating func append(_ audit: QAAudit) {
    var (auditID, decisionID, qaLabel) = (audit.auditID, audit.decisionID, audit.qaLabel)
    auditID.withUTF8 { auditID in
      decisionID.withUTF8 { decisionID in
        qaLabel.withUTF8 { qaLabel in
          append(
            auditID: UnsafeRawBufferPointer(auditID), decisionID: UnsafeRawBufferPointer(decisionID),
            qaLabel: UnsafeRawBufferPointer(qaLabel), organisation: audit.auditorOrganisation,
            disputed: audit.disputed, overturned: audit.disputeOutcome == .overturned)
        }
      }
    }
  }

  /// The part built.
  func finish() -> AuditPart {
    var part = part
    part.labels = labels.strings
    return part
  }
}

extension ContractFileReader {
  /// `qa_audits.csv` as ``AuditPart``s in file order, with its reconciliation (`nil`: absent),
  /// scanned in place by ``AuditScanner`` (see ``scannedParts(_:workers:rejectsKeptInPlace:)``).
  func auditParts(
    workers: Int = ProcessInfo.processInfo.activeProcessorCount, rejectsKeptInPlace: Int = 10_000
  ) throws -> (parts: [AuditPart], tally: FileReconciliation)? {
    try scannedParts(AuditScanner.self, workers: workers, rejectsKeptInPlace: rejectsKeptInPlace)
  }
}

extension ByteInterner {
  /// Interns the decision id of every audit in `parts`, in file order, into a table sized once
  /// for them all (growing by doubling rehashed it over and over).
  mutating func internDecisionIDs(of parts: [AuditPart]) {
    reserve(strings: parts.reduce(0) { $0 + $1.count }, bytes: parts.reduce(0) { $0 + $1.decisionIDs.bytes.count })
    for part in parts { internDecisionIDs(of: part) { _, _ in } }
  }

  /// Interns the decision id of every audit in `part`, in order, and hands `each` the audit's
  /// position in the part and the id. The table outgrows the caches: the slots of 16 ids are
  /// read in a loop of little else before they are interned, so that their cache misses are
  /// under way together. Ids skip the table of recent strings (most are seen once).
  mutating func internDecisionIDs(of part: AuditPart, _ each: (_ position: Int, _ id: Int32) -> Void) {
    part.decisionIDs.bytes.withUnsafeBytes { ids in
      let ends = part.decisionIDs.ends
      func id(_ position: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: ids[(position == 0 ? 0 : ends[position - 1])..<ends[position]])
      }
      var hashes = InlineArray<16, UInt64>(repeating: 0)
      for position in 0..<part.count {
        if position & 15 == 0 {
          // Hashed first, then warmed in a loop of little but the loads: interleaved with the
          // hashing, the loads of a few ids filled the reorder window, and each stalled in turn.
          let end = min(position + 16, part.count)
          for ahead in position..<end { hashes[ahead & 15] = Self.hash(id(ahead)) }
          for ahead in position..<end { warm(hash: hashes[ahead & 15]) }
        }
        each(position, internOnce(id(position), hash: hashes[position & 15]))
      }
    }
  }
}
