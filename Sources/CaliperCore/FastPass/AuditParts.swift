import Foundation

/// What the decisions join and validation keep of the QA audits of one part of
/// `qa_audits.csv`, compactly: each audit's decision id (bytes, no `String`), its fact, and a
/// hash of its audit id. Made by ``AuditScanner`` in place, or from the exact reader's audits
/// (``AuditPartBuilder/append(_:)``): one form whichever reader read the file.
struct AuditPart: Sendable {
  /// The decision ids, concatenated; audit `i`'s ends at `decisionIDEnds[i]`.
  var decisionIDBytes: [UInt8] = []
  var decisionIDEnds: [Int] = []
  /// The part's distinct QA labels; each fact's `qaLabel` indexes them.
  var labels: [String] = []
  var facts: [AuditFact] = []
  /// A 64-bit hash of each audit id (validation looks for duplicates among them).
  var auditIDHashes: [UInt64] = []

  /// Audits in the part.
  var count: Int { facts.count }

  /// Calls `body` with the decision id of audit `index`.
  func withDecisionID<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
    let start = index == 0 ? 0 : decisionIDEnds[index - 1]
    return decisionIDBytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<decisionIDEnds[index]])) }
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
    part.decisionIDBytes.append(contentsOf: decisionID)
    part.decisionIDEnds.append(part.decisionIDBytes.count)
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
  /// `qa_audits.csv` as ``AuditPart``s in file order, with its reconciliation (`nil`: absent).
  /// Each core scans its part in place (``AuditScanner``); under a quarantine, a row with a bad
  /// value is quarantined in place (``InPlaceQuarantine``). When a part has anything else the
  /// scanner refuses, the exact reader reads the file under the policy (positioned errors, or
  /// rejects), so the audits are the same either way.
  func auditParts(
    workers: Int = ProcessInfo.processInfo.activeProcessorCount, rejectsKeptInPlace: Int = 10_000
  ) throws -> (parts: [AuditPart], tally: FileReconciliation)? {
    guard let (data, header, ranges) = try recordParts(.qaAudits, parts: workers) else { return nil }
    let quarantine: InPlaceQuarantine?
    if case .quarantine(let directory) = policy {
      var headerReader = CSVReader(data: data, name: ContractFile.qaAudits.fileName)
      quarantine = InPlaceQuarantine(
        file: .qaAudits, header: header, headerBytes: try readHeader(.qaAudits, &headerReader).0.raw,
        directory: directory, limit: rejectsKeptInPlace, decode: { _ = try QAAudit($0) })
    } else {
      quarantine = nil
    }
    let scanner = AuditScanner(header: header)
    let scanned = try ranges.concurrentMap { part in
      data.withUnsafeBytes { bytes -> (part: AuditPart, rejects: [InPlaceQuarantine.Reject])? in
        let start = Int(bitPattern: bytes.baseAddress!)
        var rejects: [InPlaceQuarantine.Reject] = []
        let refused = quarantine.map { quarantine in
          { (record: UnsafeRawBufferPointer) -> Bool in
            quarantine.keep(record, at: Int(bitPattern: record.baseAddress!) - start, in: &rejects)
          }
        }
        return scanner.scan(UnsafeRawBufferPointer(rebasing: bytes[part.range]), refused: refused).map {
          ($0, rejects)
        }
      }
    }
    if scanned.allSatisfy({ $0 != nil }) {
      let parts = scanned.map { $0!.part }
      let rejects = scanned.flatMap { $0!.rejects }  // parts are in file order
      if let quarantine, !rejects.isEmpty { try quarantine.write(rejects, of: try locate(.qaAudits)!) }
      let count = parts.reduce(0) { $0 + $1.count }
      return (
        parts,
        FileReconciliation(
          file: ContractFile.qaAudits.fileName, rowsRead: count + rejects.count, rowsAccepted: count,
          rowsRejected: rejects.count, extraColumns: header.extraColumns)
      )
    }
    guard let read = try readParts(.qaAudits, decode: QAAudit.init) else { return nil }
    let parts = read.parts.map { audits in
      var builder = AuditPartBuilder()
      for audit in audits { builder.append(audit) }
      return builder.finish()
    }
    return (parts, read.tally)
  }
}

extension ByteInterner {
  /// Interns the decision id of every audit in `parts`, in file order, into a table sized once
  /// for them all (growing by doubling rehashed it over and over), and hands `each` the part,
  /// the audit's position in it and the id. The table outgrows the caches: the slots of 16 ids
  /// are read in a loop of little else before they are interned, so that their cache misses
  /// are under way together. Ids skip the table of recent strings (most are seen once).
  mutating func internDecisionIDs(
    of parts: [AuditPart], _ each: (_ part: Int, _ position: Int, _ id: Int32) -> Void
  ) {
    reserve(strings: parts.reduce(0) { $0 + $1.count }, bytes: parts.reduce(0) { $0 + $1.decisionIDBytes.count })
    for (partIndex, part) in parts.enumerated() {
      part.decisionIDBytes.withUnsafeBytes { ids in
        let ends = part.decisionIDEnds
        func id(_ position: Int) -> UnsafeRawBufferPointer {
          UnsafeRawBufferPointer(rebasing: ids[(position == 0 ? 0 : ends[position - 1])..<ends[position]])
        }
        var hashes = InlineArray<16, UInt64>(repeating: 0)
        for position in 0..<part.count {
          if position & 15 == 0 {
            for ahead in position..<min(position + 16, part.count) {
              hashes[ahead & 15] = Self.hash(id(ahead))
              warm(hash: hashes[ahead & 15])
            }
          }
          each(partIndex, position, internOnce(id(position), hash: hashes[position & 15]))
        }
      }
    }
  }
}
