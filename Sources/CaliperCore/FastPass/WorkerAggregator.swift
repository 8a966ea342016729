/// One worker's built-in aggregation. Each row updates one *cell*: the state of its
/// (moderator, site, vendor, market, queue, day) combination, plus, when a grouping is by
/// label, one label cell (label instead of moderator). Groupings are roll-ups of cells, merged
/// at the end, so the per-row cost does not grow with the number of scorecards, and the
/// result is exactly that of updating every group per row (states merge exactly).
/// Per-id facts (a queue's SLA, a label's severity) are cached in arrays. A value type: its
/// owner mutates it through one access per row, so the hot loop pays no dynamic exclusivity
/// checks.
struct WorkerAggregator {
  private let groupings: [Grouping]
  private let reference: ReferenceData
  /// The policy labels errors take their severity from.
  var policyBook: PolicyBook { reference.policyBook }
  private let dictionary: RowDictionary
  private let needsLabelCells: Bool
  private var cells = CellStore()
  private var labelCells = CellStore()
  private let unknownModel: Int32
  private var time: CellTime
  private var queueSLA: [Int32] = []  // -2 unknown yet, -1 queue unknown
  /// Dictionary ids of `reference.joinLabels` (-2: not looked up yet).
  private var joinLabelIDs: [Int32]
  /// The current batch's audits, resolved (reused from batch to batch).
  private var resolved: [ResolvedAudit] = []
  /// Codes of the label pairs audits count, for both cell stores.
  private var pairCodes = LabelPairCodes()
  private var handleTimes = HandleTimeCache()

  init(groupings: [Grouping], reference: ReferenceData, dictionary: RowDictionary) {
    self.groupings = groupings
    self.reference = reference
    self.dictionary = dictionary
    needsLabelCells = groupings.contains { $0.grain == .label }
    unknownModel = dictionary.id(AIAggregate<String>.unknownModel)
    time = CellTime(
      byDay: groupings.contains { $0.period == .day || $0.filter.from != nil || $0.filter.through != nil })
    joinLabelIDs = Array(repeating: -2, count: reference.joinLabels.count)
  }

  /// Per-row values of one batch of `add(_:)`, kept on the stack.
  private typealias Batch<Element> = InlineArray<16, Element>
  /// Rows per batch of `add(_:)`.
  static var batchSize: Int { Batch<Int>.count }
  /// Where the loads that only warm the caches end up (see `add(_:)`), so that they are kept.
  private var touched: UInt64 = 0

  /// Adds rows in batches of `batchSize`, each swept seven times:
  /// 1. each row's cell key and id hashes are worked out;
  /// 2. the table entries its lookups start at are read;
  /// 3. its cell is found and its SLA and handle bucket worked out;
  /// 4. the counters and handle-time entry its update will write are read;
  /// 5. its audits and gold label are found;
  /// 6. its audits are resolved to label-pair codes and the pair counters they update read;
  /// 7. it is counted.
  ///
  /// The tables (cells, handle-time buckets, audited and golden ids) outgrow the caches, and
  /// row by row every lookup stalled on its cache miss in turn. Within a sweep the loads of
  /// different rows are independent, so their misses overlap, as many as fit in the
  /// processor's reorder window: sweeps 2 and 4 do little but load, so the window spans the
  /// loads of many rows (a row's work between its loads limited that to one or two).
  mutating func add(_ rows: UnsafeBufferPointer<DecisionRow>) {
    var start = rows.startIndex
    while start < rows.endIndex {
      let end = min(start + Self.batchSize, rows.endIndex)
      addBatch(UnsafeBufferPointer(rebasing: rows[start..<end]))
      start = end
    }
  }

  private mutating func addBatch(_ rows: UnsafeBufferPointer<DecisionRow>) {
    // Sweep 1: keys and hashes (nothing here misses the cache).
    var keys = Batch<CellKey>(repeating: CellKey())
    var cellHashes = Batch<UInt64>(repeating: 0)
    var labelHashes = Batch<UInt64>(repeating: 0)
    var auditHashes = Batch<UInt64>(repeating: 0)
    var goldHashes = Batch<UInt64>(repeating: 0)
    for index in rows.indices {
      let row = rows[index]
      let key = cellKey(of: row)
      keys[index] = key
      cellHashes[index] = key.hash
      if needsLabelCells { labelHashes[index] = Self.labelKey(key, row).hash }
      if reference.hasAudits { auditHashes[index] = reference.auditedDecisions.hash(of: row.decisionID) }
      if reference.hasGolden { goldHashes[index] = reference.goldenItems.hash(of: row.itemID) }
    }
    // Sweep 2: the first table entry of every lookup, in a loop of little else, so that the
    // cache misses of all the batch's rows are under way together.
    var touched = self.touched
    for index in rows.indices {
      touched ^= UInt64(UInt32(bitPattern: cells.touch(hash: cellHashes[index])))
      if needsLabelCells { touched ^= UInt64(UInt32(bitPattern: labelCells.touch(hash: labelHashes[index]))) }
      if reference.hasAudits { touched ^= reference.auditedDecisions.touch(hash: auditHashes[index]) }
      if reference.hasGolden { touched ^= reference.goldenItems.touch(hash: goldHashes[index]) }
    }
    // Sweep 3: cells found and each row's facts worked out.
    var slots = Batch<Int>(repeating: 0)
    var labelSlots = Batch<Int>(repeating: 0)
    var facts = Batch<RowFacts>(repeating: RowFacts())
    for index in rows.indices {
      let row = rows[index]
      slots[index] = cells.slot(keys[index], hash: cellHashes[index])
      if needsLabelCells {
        labelSlots[index] = labelCells.slot(Self.labelKey(keys[index], row), hash: labelHashes[index])
      }
      let sla = slaSeconds(row.queue)
      let handle = handleTimes.convert(row.handleSeconds)
      facts[index] = RowFacts(
        handleMillis: handle.millis, handleBucket: handle.bucket,
        within: sla >= 0
          ? Definitions.isWithinSLA(turnaroundSeconds: row.decidedAt - row.enqueuedAt, slaSeconds: Int64(sla)) : nil,
        gold: nil, audited: false)
    }
    // Sweep 4: the counters each row's update will write.
    for index in rows.indices {
      touched ^= cells.touch(slots[index], bucket: facts[index].handleBucket)
      if needsLabelCells { touched ^= labelCells.touch(labelSlots[index], bucket: facts[index].handleBucket) }
    }
    // Sweep 5: audits and gold labels.
    var auditRanges = Batch<Range<Int>>(repeating: 0..<0)
    for index in rows.indices {
      let row = rows[index]
      if reference.hasGolden, let gold = reference.goldLabel(of: row.itemID, hash: goldHashes[index]) {
        facts[index].gold = joinLabelID(gold)
      }
      if reference.hasAudits, let range = reference.audits(of: row.decisionID, hash: auditHashes[index]),
        !range.isEmpty
      {
        auditRanges[index] = range
        facts[index].audited = true
        touched ^= UInt64(reference.auditFacts[range.lowerBound].qaLabel)
      }
    }
    // Sweep 6: the audits resolved, with the codes of the label pairs they count, and the
    // pair counters they will update read (one table for every cell: most audits missed it).
    resolved.removeAll(keepingCapacity: true)
    for index in rows.indices where facts[index].audited {
      let row = rows[index]
      let start = resolved.count
      for position in auditRanges[index] {
        let audit = reference.auditFacts[position]
        let qaLabel = joinLabelID(audit.qaLabel)
        let qaCode = pairCodes.code(
          audit.organisation == .vendor ? .vendorQA : .internalQA, truth: qaLabel, predicted: row.label)
        let modelCode =
          row.aiLabel == RowDictionary.missing
          ? nil : pairCodes.code(.model, model: keys[index].model, truth: qaLabel, predicted: row.aiLabel)
        resolved.append(ResolvedAudit(fact: audit, qaLabel: qaLabel, qaCode: qaCode, modelCode: modelCode))
        touched ^= cells.touchPair(slots[index], qaCode)
        if let modelCode { touched ^= cells.touchPair(slots[index], modelCode) }
        if needsLabelCells { touched ^= labelCells.touchPair(labelSlots[index], qaCode) }
      }
      auditRanges[index] = start..<resolved.count
    }
    // Sweep 7: counting.
    resolved.withUnsafeBufferPointer { resolved in
      for index in rows.indices {
        let row = rows[index]
        let fact = facts[index]
        let audits = UnsafeBufferPointer(rebasing: resolved[fact.audited ? auditRanges[index] : 0..<0])
        Self.update(&cells, slots[index], row, fact, audits)
        if needsLabelCells { Self.update(&labelCells, labelSlots[index], row, fact, audits) }
      }
    }
    self.touched = touched
  }

  /// The first and last UTC day (days since the epoch) of the rows added, if any.
  var daySpan: ClosedRange<Int64>? { time.firstDay <= time.lastDay ? time.firstDay...time.lastDay : nil }

  /// A row's cell key.
  @inline(__always)
  private mutating func cellKey(of row: DecisionRow) -> CellKey {
    let day = time.key(forDay: row.decidedAt.floorDiv(86_400), dictionary)
    let model =
      row.aiLabel == RowDictionary.missing
      ? CellKey.unsuggested : row.modelVersion == RowDictionary.missing ? unknownModel : row.modelVersion
    return CellKey(
      who: row.moderator, site: row.site, vendor: row.vendor, market: row.market, queue: row.queue, day: day,
      model: model)
  }

  /// The label cell's key of a row with cell key `key`: the label in place of the moderator.
  @inline(__always)
  private static func labelKey(_ key: CellKey, _ row: DecisionRow) -> CellKey {
    var labelKey = key
    labelKey.lanes[0] = row.label
    return labelKey
  }

  /// Every grouping rolled up from the cells, still in this worker's ids (`LaneMerge`
  /// translates them to strings once, after merging the workers). Scalar counts add straight
  /// into each group; handle-time windows and audit pairs (the largest tables) are read once
  /// for all groupings; audit pairs add up per (group, pair) in a flat table per grouping.
  func rollUps() -> LaneRollUps {
    var rollUps = groupings.map { grouping in
      rollUp(grouping, grouping.grain == .label ? labelCells : cells)
    }
    for (store, byLabel) in [(cells, false), (labelCells, true)] {
      let users = groupings.indices.filter { (groupings[$0].grain == .label) == byLabel }
      guard !users.isEmpty else { continue }
      // A handle slot's cells share every group: its first cell stands for it.
      store.handleTimes.forEachWindow { handleSlot, low, window in
        let slot = Int(store.cellOfHandleSlot[handleSlot])
        for user in users {
          let index = rollUps[user].groupOfSlot[slot]
          if index >= 0 { rollUps[user].states[index].handle.sketch.add(bucketsFrom: low, counts: window) }
        }
      }
      store.handleTimes.forEachOutside { handleSlot, bucket, count in
        let slot = Int(store.cellOfHandleSlot[handleSlot])
        for user in users {
          let index = rollUps[user].groupOfSlot[slot]
          if index >= 0 { rollUps[user].states[index].handle.sketch.add(bucket: bucket, count: count) }
        }
      }
      store.auditPairs.forEach { key, count in
        let slot = store.representativeCell(ofPairKey: key)
        let code = key & 0xFFFF_FFFF
        for user in users {
          let index = rollUps[user].groupOfSlot[slot]
          if index >= 0 { rollUps[user].pairs.add(UInt64(index) << 32 | code, count: Int64(count)) }
        }
      }
    }
    // The period labels the roll-ups added are in the dictionary by now.
    return LaneRollUps(groupings: rollUps, pairs: pairCodes.pairs, strings: dictionary.strings)
  }

  /// Groups `store`'s cells by `grouping` (everything but the handle-time buckets).
  private func rollUp(_ grouping: Grouping, _ store: CellStore) -> GroupRollUp {
    var filter = FilterCache(filter: grouping.filter)
    var rollUp = GroupRollUp(groupOfSlot: Array(repeating: -1, count: store.keys.count))
    var groupIndex: [Int64: Int] = [:]
    var periods: [Int32: Int32] = [:]  // time key → period label id (formatting once per key)
    for (slot, key) in store.keys.enumerated() {
      guard filter.keeps(key, dictionary, reference) else { continue }
      let group: Int32
      switch grouping.grain {
      case .vendor: group = key.vendor
      case .site: group = key.site
      case .queue: group = key.queue
      case .market: group = key.market
      case .moderator, .label: group = key.who
      }
      let period: Int32
      if let known = periods[key.day] {
        period = known
      } else {
        period = time.periodID(key.day, grouping.period, dictionary)
        periods[key.day] = period
      }
      let packed = Int64(group) << 32 | Int64(period)
      let index: Int
      if let known = groupIndex[packed] {
        index = known
      } else {
        index = rollUp.states.count
        groupIndex[packed] = index
        rollUp.keys.append(packed)
        rollUp.states.append(GroupState())
      }
      rollUp.groupOfSlot[slot] = index
      if store.isRepresentative(slot) { store.auditCounters(ofCell: slot).add(to: &rollUp.states[index]) }
      store.addCounts(slot, to: &rollUp.states[index])
    }
    return rollUp
  }

  /// What a row contributes, worked out once for all its groups (its audits, when
  /// `audited`, are in `resolved`).
  private struct RowFacts {
    var handleMillis: Int64
    var handleBucket: Int32?
    var within: Bool?
    var gold: Int32?
    var audited: Bool

    /// Placeholder facts (filled in before use).
    init() { self.init(handleMillis: 0, handleBucket: nil, within: nil, gold: nil, audited: false) }

    init(handleMillis: Int64, handleBucket: Int32?, within: Bool?, gold: Int32?, audited: Bool) {
      self.handleMillis = handleMillis
      self.handleBucket = handleBucket
      self.within = within
      self.gold = gold
      self.audited = audited
    }
  }

  /// An audit with its label as a dictionary id, and the codes of the label pairs it counts:
  /// (QA label, decision label), and (QA label, model's label) when a model suggested one.
  private struct ResolvedAudit {
    var fact: AuditFact
    var qaLabel: Int32
    var qaCode: UInt32
    var modelCode: UInt32?
  }

  /// The dictionary id of a label of `reference.joinLabels`.
  @inline(__always)
  private mutating func joinLabelID(_ index: Int32) -> Int32 {
    let known = joinLabelIDs[Int(index)]
    if known != -2 { return known }
    let id = dictionary.id(reference.joinLabels[Int(index)])
    joinLabelIDs[Int(index)] = id
    return id
  }

  private static func update(
    _ store: inout CellStore, _ slot: Int, _ row: DecisionRow, _ facts: RowFacts,
    _ audits: UnsafeBufferPointer<ResolvedAudit>
  ) {
    let suggested = row.aiLabel != RowDictionary.missing
    store.add(slot) { counts in
      counts.decisions += 1
      counts.handleMillis += facts.handleMillis
      if let within = facts.within {
        counts.slaMeasured += 1
        if within { counts.slaWithin += 1 }
      }
      if let gold = facts.gold {
        counts.goldenSeen += 1
        if Definitions.isCorrect(label: row.label, reference: gold) { counts.goldenCorrect += 1 }
      }
      guard suggested else { return }
      if row.aiAssisted { counts.assisted += 1 }
      if Definitions.agreesWithAI(label: row.label, suggestion: row.aiLabel) { counts.agreed += 1 }
      guard row.aiAssisted else { return }
      let overridden = Definitions.overridesAI(assisted: true, label: row.label, suggestion: row.aiLabel)
      if overridden { counts.overridden += 1 }
      guard facts.audited else { return }
      for audit in audits {
        let correct = Definitions.isCorrect(label: row.label, reference: audit.qaLabel)
        if overridden {
          counts.overriddenAudited += 1
          if correct { counts.overriddenCorrect += 1 }
          if Definitions.isCorrect(label: row.aiLabel, reference: audit.qaLabel) {
            counts.overriddenSuggestionRight += 1
          }
        } else {
          counts.acceptedAudited += 1
          if correct { counts.acceptedCorrect += 1 }
        }
      }
    }
    store.addHandle(slot, bucket: facts.handleBucket)
    guard facts.audited else { return }
    var vendorCorrect: Bool?
    var internalCorrect: Bool?
    for audit in audits {
      let vendor = audit.fact.organisation == .vendor
      store.countPair(slot, audit.qaCode)
      if let modelCode = audit.modelCode { store.countPair(slot, modelCode) }
      let correct = Definitions.isCorrect(label: row.label, reference: audit.qaLabel)
      if vendor { vendorCorrect = correct } else { internalCorrect = correct }
    }
    store.updateAuditCounters(slot) { counters in
      for audit in audits {
        counters.add(
          vendor: audit.fact.organisation == .vendor, disputed: audit.fact.disputed, overturned: audit.fact.overturned)
      }
      if let vendorCorrect, let internalCorrect {
        counters.addPair(vendorCorrect: vendorCorrect, internalCorrect: internalCorrect)
      }
    }
  }

  private mutating func slaSeconds(_ queue: Int32) -> Int32 {
    grow(&queueSLA, to: dictionary.count)
    if queueSLA[Int(queue)] == -2 {
      queueSLA[Int(queue)] = reference.queues[dictionary.string(queue)].map { Int32(clamping: $0.slaSeconds) } ?? -1
    }
    return queueSLA[Int(queue)]
  }
}

/// Grows a per-id cache to `count` entries, new entries marked "not computed" (-2).
@inline(__always)
func grow<T: BinaryInteger>(_ cache: inout [T], to count: Int) {
  if cache.count < count { cache.append(contentsOf: repeatElement(-2, count: count - cache.count)) }
}

/// A filter's verdict per dictionary id and dimension, computed once per id.
struct FilterCache {
  let filter: RowFilter
  private let everything: Bool
  private var markets: [Int8] = []
  private var queues: [Int8] = []
  private var vendors: [Int8] = []
  private var sites: [Int8] = []
  private let firstDay: Int64
  private let lastDay: Int64
  /// Whether the filter has a date range, and whether it looks at queues (by name or line of
  /// business): what a row's check may skip.
  private let hasDayRange: Bool
  private let checksQueue: Bool

  init(filter: RowFilter) {
    self.filter = filter
    everything = filter.keepsEverything
    firstDay = filter.from?.daysSinceEpoch ?? .min
    lastDay = filter.through?.daysSinceEpoch ?? .max
    hasDayRange = filter.hasDates
    checksQueue = !filter.queues.isEmpty || !filter.linesOfBusiness.isEmpty
  }

  mutating func keeps(_ cell: CellKey, _ dictionary: RowDictionary, _ reference: ReferenceData) -> Bool {
    if everything { return true }
    guard Int64(cell.day) >= firstDay, Int64(cell.day) <= lastDay else { return false }
    return keeps(market: cell.market, vendor: cell.vendor, site: cell.site, queue: cell.queue, dictionary, reference)
  }

  /// The check of one decision row: its UTC day is worked out only when the filter has dates.
  @inline(__always)
  mutating func keeps(_ row: DecisionRow, _ dictionary: RowDictionary, _ reference: ReferenceData) -> Bool {
    if everything { return true }
    if hasDayRange {
      let day = row.decidedAt.floorDiv(86_400)
      guard day >= firstDay, day <= lastDay else { return false }
    }
    return keeps(market: row.market, vendor: row.vendor, site: row.site, queue: row.queue, dictionary, reference)
  }

  private mutating func keeps(
    market: Int32, vendor: Int32, site: Int32, queue: Int32, _ dictionary: RowDictionary, _ reference: ReferenceData
  ) -> Bool {
    Self.check(&markets, market, filter.markets, dictionary)
      && Self.check(&vendors, vendor, filter.vendors, dictionary)
      && Self.check(&sites, site, filter.sites, dictionary)
      && (!checksQueue || checkQueue(queue, dictionary, reference))
  }

  private mutating func checkQueue(_ id: Int32, _ dictionary: RowDictionary, _ reference: ReferenceData) -> Bool {
    grow(&queues, to: dictionary.count)
    if queues[Int(id)] == -2 {
      let name = dictionary.string(id)
      let queueOK = filter.queues.isEmpty || filter.queues.contains(name)
      let lob = reference.queues[name]?.lineOfBusiness
      let lobOK = filter.linesOfBusiness.isEmpty || lob.map(filter.linesOfBusiness.contains) == true
      queues[Int(id)] = queueOK && lobOK ? 1 : 0
    }
    return queues[Int(id)] == 1
  }

  private static func check(
    _ cache: inout [Int8], _ id: Int32, _ allowed: Set<String>, _ dictionary: RowDictionary
  )
    -> Bool
  {
    if allowed.isEmpty { return true }
    grow(&cache, to: dictionary.count)
    if cache[Int(id)] == -2 { cache[Int(id)] = allowed.contains(dictionary.string(id)) ? 1 : 0 }
    return cache[Int(id)] == 1
  }
}

extension Int64 {
  /// Division rounding toward negative infinity (days before 1970 are negative).
  @inline(__always)
  func floorDiv(_ divisor: Int64) -> Int64 {
    let quotient = self / divisor
    return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
  }
}
