import Dispatch
import Foundation

/// `caliper validate`'s fast path, under either bad-row policy: the small files through the
/// exact reader as always, `qa_audits.csv` scanned in place on every core (its audit ids hashed for
/// duplicates, its QA labels checked), and `decisions.csv` through the
/// decisions pass's in-place scan on every core (no aggregation), each worker counting the
/// decisions' problems without positions: an unknown moderator, queue or label, a decision
/// decided before it was enqueued; it also keeps a 64-bit hash of each decision id and marks
/// the audited decisions it sees. When any count is not zero, two ids share a hash, or an
/// audit's decision was not seen, ``run()`` returns `nil` and the validator reads the folder
/// again with the exact reader, which gives each finding its line: a clean folder, the common
/// case, never pays for positions, and a folder with problems gets the same report either way.
struct FastValidation {
  let validator: DataFolderValidator

  /// The report, or `nil` when the exact reader must read the folder (a problem was found, or
  /// a file could not be read: the exact reader gives the error in its own order).
  func run() throws -> ValidationReport? {
    let decisionsFile = validator.folder.appendingPathComponent(ContractFile.decisions.fileName)
    guard FileManager.default.fileExists(atPath: decisionsFile.path),
      var context = try? ValidationContext(validator: validator)
    else { return nil }
    let audits: (parts: [AuditPart], tally: FileReconciliation?)
    do {
      let read = try context.reader.auditParts()
      audits = (read?.parts ?? [], read?.tally)
    } catch {
      return nil
    }
    let book = context.book
    guard audits.parts.allSatisfy({ $0.labels.allSatisfy { book[$0] != nil } }),
      !Self.shareAHash(audits.parts.map(\.auditIDHashes))
    else { return nil }
    var audited = ByteInterner(capacity: 1024)
    audited.internDecisionIDs(of: audits.parts)
    audited.buildFilter()
    let keys = KnownKeys(
      moderators: context.haveModerators ? context.moderators : nil, queues: context.haveQueues ? context.queues : nil,
      book: context.book)
    var pass = DecisionPass(folder: validator.folder, policy: validator.policy, groupings: [])
    pass.aggregates = false
    // When the fast path cannot read decisions.csv (a syntax error), the exact report reads it:
    // the pass's own exact reading would only be a first of two (7.3-7.5 -> 4.0-4.1 s at 1M decisions
    // with one stray quote under a quarantine).
    pass.fastPathOnly = true
    guard
      let result = try? pass.run(
        reference: try ReferenceData.none(), makeSink: { _ in ValidationSink(keys: keys, audited: audited) })
    else { return nil }
    let sinks = result.sinks.map(\.sink)
    guard sinks.allSatisfy({ $0.problems == 0 }) else { return nil }
    var seen = Array(repeating: false, count: audited.count)
    for sink in sinks {
      for (index, flag) in sink.seen.enumerated() where flag { seen[index] = true }
    }
    guard !seen.contains(false) else { return nil }
    // Taken out of the sinks: the slots hold the only copies, sorted in place.
    let hashes = WorkerSlots(count: sinks.count) { sinks[$0].takeHashes() }
    guard !Self.shareAHash(hashes) else { return nil }
    context.record(.decisions, result.reconciliation)
    context.record(.qaAudits, audits.tally)
    try context.readOtherFiles()
    return context.report
  }

  /// Whether two of the hashes (from every worker) are equal.
  static func shareAHash(_ parts: [[UInt64]]) -> Bool { shareAHash(WorkerSlots(count: parts.count) { parts[$0] }) }

  /// Whether two of the hashes are equal: each worker's are sorted in place on its own core,
  /// then the sorted runs are walked together, smallest first (no merged copy: at 10M decisions
  /// the hashes alone are 80 MB).
  static func shareAHash(_ parts: WorkerSlots<[UInt64]>) -> Bool {
    DispatchQueue.concurrentPerform(iterations: parts.count) { index in parts.withSlot(index) { $0.sort() } }
    let sorted = parts.takeAll()
    var cursors = Array(repeating: 0, count: sorted.count)
    var previous: UInt64?
    while true {
      var smallest: Int?
      for part in sorted.indices where cursors[part] < sorted[part].count {
        if let best = smallest, sorted[best][cursors[best]] <= sorted[part][cursors[part]] { continue }
        smallest = part
      }
      guard let part = smallest else { return false }
      let value = sorted[part][cursors[part]]
      if value == previous { return true }
      previous = value
      cursors[part] += 1
    }
  }
}

/// The keys decisions must refer to; `nil` when the file is absent (not checked).
struct KnownKeys: Sendable {
  var moderators: Set<String>?
  var queues: Set<String>?
  var book: PolicyBook
}

/// One worker's checks of the decisions it scans (see ``FastValidation``). Its stored
/// properties skip the dynamic exclusivity checks: one worker uses a sink at a time
/// (``DecisionRowSink``), and the checks, about five a row with their thread-local lookups,
/// were 14% of the instructions of `caliper validate` (callgrind, 1M decisions).
final class ValidationSink: DecisionRowSink {
  /// Problems found (any sends the validation to the exact reader).
  @exclusivity(unchecked) private(set) var problems = 0
  /// A hash of each decision id scanned.
  @exclusivity(unchecked) private(set) var idHashes: [UInt64] = []

  /// This sink's hashes, which it forgets (so that the taker holds the only copy and can sort
  /// it in place).
  func takeHashes() -> [UInt64] {
    defer { idHashes = [] }
    return idHashes
  }
  /// Per audited decision (by its index in `audited`): whether this worker saw it.
  @exclusivity(unchecked) private(set) var seen: [Bool]
  private let keys: KnownKeys
  private let audited: ByteInterner
  /// Per dictionary id: 0 not looked up, 1 known, 2 unknown; one table per kind of key.
  @exclusivity(unchecked) private var moderatorStatus: [UInt8] = []
  @exclusivity(unchecked) private var queueStatus: [UInt8] = []
  @exclusivity(unchecked) private var labelStatus: [UInt8] = []

  init(keys: KnownKeys, audited: ByteInterner) {
    self.keys = keys
    self.audited = audited
    seen = Array(repeating: false, count: audited.count)
  }

  /// Forgets the rows seen (the per-id lookups stay: the dictionary outlives a restart).
  func restart() {
    problems = 0
    idHashes = []
    seen = Array(repeating: false, count: audited.count)
  }

  func consume(_ row: DecisionRow, dictionary: RowDictionary) {
    idHashes.append(ByteInterner.hash(row.decisionID))
    if row.decidedAt < row.enqueuedAt { problems += 1 }
    if let moderators = keys.moderators,
      !Self.isKnown(row.moderator, in: &moderatorStatus, dictionary, { moderators.contains($0) })
    {
      problems += 1
    }
    if let queues = keys.queues, !Self.isKnown(row.queue, in: &queueStatus, dictionary, { queues.contains($0) }) {
      problems += 1
    }
    let book = keys.book
    if !Self.isKnown(row.label, in: &labelStatus, dictionary, { book[$0] != nil }) { problems += 1 }
    if row.aiLabel != RowDictionary.missing,
      !Self.isKnown(row.aiLabel, in: &labelStatus, dictionary, { book[$0] != nil })
    {
      problems += 1
    }
    if let index = audited.find(row.decisionID) { seen[Int(index)] = true }
  }

  /// Whether the value of dictionary id `id` passes `check`, looked up once per id.
  @inline(__always)
  private static func isKnown(
    _ id: Int32, in status: inout [UInt8], _ dictionary: RowDictionary, _ check: (String) -> Bool
  ) -> Bool {
    let index = Int(id)
    if index >= status.count { status += repeatElement(0, count: index + 1 - status.count + 64) }
    if status[index] == 0 { status[index] = check(dictionary.string(id)) ? 1 : 2 }
    return status[index] == 1
  }
}
