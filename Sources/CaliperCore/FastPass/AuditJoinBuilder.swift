/// The QA audits grouped by decision, built as the parts of `qa_audits.csv` arrive in file
/// order (``ContractFileReader/scannedParts(_:workers:rejectsKeptInPlace:partBytes:consume:)``
/// hands them over while it scans later ones): each audited decision's id is interned (its
/// index) and every audit's fact kept in file order; ``finish(joinLabels:)`` then groups the
/// facts by decision by counting (an array per audited decision took more memory than the
/// audits themselves).
struct AuditJoinBuilder {
  private var audited = ByteInterner(capacity: 1024)
  private var tables = Tables()
  private var reserved = false

  /// What the audits added so far make, apart from the interned ids (so that interning, a
  /// mutation of `audited`, can add to them).
  private struct Tables {
    /// The QA labels met, by index.
    var labels = ByteInterner(capacity: 64)
    /// Audits per audited decision, by index.
    var auditsPerDecision: [Int32] = []
    /// By audit, in file order: its decision's index and its fact (QA label by `labels` index).
    var decisionOfAudit: [Int32] = []
    var inFileOrder: [AuditFact] = []
  }

  /// Adds the audits of the next part, one of `parts` of about equal bytes. The tables are
  /// sized once, for all the parts, when the first arrives (growing by doubling rehashed the
  /// ids over and over).
  mutating func add(_ part: AuditPart, of parts: Int) {
    var tables = self.tables
    self.tables = Tables()  // `tables` is the only reference while it grows
    if !reserved {
      reserved = true
      let expected = part.count * max(1, parts)
      audited.reserve(strings: expected, bytes: part.decisionIDs.bytes.count * max(1, parts))
      tables.decisionOfAudit.reserveHugePages(expected)
      tables.inFileOrder.reserveHugePages(expected)
    }
    let labelOfPart = part.labels.map { tables.labels.intern($0) }
    audited.internDecisionIDs(of: part) { position, index in
      if Int(index) == tables.auditsPerDecision.count { tables.auditsPerDecision.append(0) }
      tables.auditsPerDecision[Int(index)] += 1
      tables.decisionOfAudit.append(index)
      var fact = part.facts[position]
      fact.qaLabel = labelOfPart[Int(fact.qaLabel)]
      tables.inFileOrder.append(fact)
    }
    self.tables = tables
  }

  /// The audited decisions' ids (their lookup filter built), where each one's audits start in
  /// `auditFacts` (decision `i`'s are `auditStarts[i]..<auditStarts[i + 1]`), and the audits
  /// grouped by decision, each decision's in file order, their QA labels interned into
  /// `joinLabels`.
  consuming func finish(
    joinLabels: inout ByteInterner
  ) -> (audited: ByteInterner, auditStarts: [Int32], auditFacts: [AuditFact]) {
    let labelIDs = tables.labels.strings.map { joinLabels.intern($0) }
    var auditStarts: [Int32] = [0]
    auditStarts.reserveHugePages(tables.auditsPerDecision.count + 1)
    for count in tables.auditsPerDecision { auditStarts.append(auditStarts.last! + count) }
    tables.auditsPerDecision = []
    var nextSlot = Array(auditStarts.dropLast())
    var auditFacts: [AuditFact] = []
    auditFacts.reserveHugePages(tables.inFileOrder.count)
    auditFacts += tables.inFileOrder  // every position is overwritten below
    for (position, fact) in tables.inFileOrder.enumerated() {
      let decision = Int(tables.decisionOfAudit[position])
      var fact = fact
      fact.qaLabel = labelIDs[Int(fact.qaLabel)]
      auditFacts[Int(nextSlot[decision])] = fact  // a decision's audits stay in file order
      nextSlot[decision] += 1
    }
    audited.buildFilter()
    return (audited, auditStarts, auditFacts)
  }
}
