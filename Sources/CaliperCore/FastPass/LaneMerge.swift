import Dispatch

/// One grouping's groups over one worker's cells, in that worker's dictionary ids: the states
/// without their confusion matrices, and every audit's label pair counted apart, per (group,
/// pair code).
struct GroupRollUp {
  /// Group id << 32 | period id, by group index.
  var keys: [Int64] = []
  /// The groups' states (no confusion counts yet: those are in `pairs`).
  var states: [GroupState<Int32>] = []
  /// (group index << 32 | `LabelPairCodes` code) → audits.
  var pairs = IntegerCounts()
  /// The group index of each cell slot (-1: filtered out); used while rolling up.
  var groupOfSlot: [Int]
}

/// What a worker hands to the merge: its groupings rolled up, the label pairs its codes stand
/// for and the strings of its ids.
struct LaneRollUps {
  /// By grouping, in request order.
  var groupings: [GroupRollUp]
  /// The worker's label pairs, by code.
  var pairs: [LabelPairCodes.Pair]
  /// The worker's dictionary, by id.
  var strings: [String]
}

/// Merges the workers' roll-ups into one table per grouping. The merge runs in one id space
/// (the first worker's ids, then every other worker's new strings) on integers, and only the
/// merged groups are translated to strings, each once: translating each worker's groups and
/// merging string-keyed confusion matrices did the costliest work of the roll-up once per
/// worker. Groups are split into shards by key so that every core merges and translates a
/// share of each grouping.
struct LaneMerge {
  private let lanes: [LaneRollUps]
  /// Strings of the merged id space.
  private let names: [String]
  /// Per worker, its id → merged id (empty for the first worker, whose ids are the merged ones).
  private let idMaps: [[Int32]]
  /// Per worker, its pair code → merged code (empty for the first worker).
  private let codeMaps: [[UInt32]]
  /// Merged pairs by code, in strings, with the error's severity.
  private let pairs: [TranslatedPair]

  private struct TranslatedPair {
    var kind: LabelPairCodes.Kind
    var model: String
    var labels: LabelPair<String>
    var severity: Severity?
  }

  /// Prepares the merge of `lanes` (at least one); `policy` gives errors their severity.
  init(_ lanes: [LaneRollUps], policy: PolicyBook) {
    precondition(!lanes.isEmpty, "a pass has at least one worker")
    self.lanes = lanes
    var names = lanes[0].strings
    var idOf = [String: Int32](minimumCapacity: names.count)
    for (id, name) in names.enumerated() { idOf[name] = Int32(id) }
    var idMaps: [[Int32]] = [[]]
    for lane in lanes.dropFirst() {
      idMaps.append(
        lane.strings.map { name in
          if let id = idOf[name] { return id }
          let id = Int32(names.count)
          names.append(name)
          idOf[name] = id
          return id
        })
    }
    var merged = lanes[0].pairs
    var codeOf = [LabelPairCodes.Pair: UInt32](minimumCapacity: merged.count)
    for (code, pair) in merged.enumerated() { codeOf[pair] = UInt32(code) }
    var codeMaps: [[UInt32]] = [[]]
    for (lane, idMap) in zip(lanes, idMaps).dropFirst() {
      codeMaps.append(
        lane.pairs.map { pair in
          let mapped = LabelPairCodes.Pair(
            kind: pair.kind, model: Self.map(pair.model, idMap), truth: Self.map(pair.truth, idMap),
            predicted: Self.map(pair.predicted, idMap))
          if let code = codeOf[mapped] { return code }
          let code = UInt32(merged.count)
          merged.append(mapped)
          codeOf[mapped] = code
          return code
        })
    }
    pairs = merged.map { pair in
      let (truth, predicted) = (names[Int(pair.truth)], names[Int(pair.predicted)])
      return TranslatedPair(
        kind: pair.kind, model: pair.model < 0 ? "" : names[Int(pair.model)],
        labels: LabelPair(truth: truth, predicted: predicted), severity: policy.errorSeverity(truth, predicted))
    }
    self.names = names
    self.idMaps = idMaps
    self.codeMaps = codeMaps
  }

  /// Every grouping's merged groups, with `shards` tasks per grouping run concurrently.
  func tables(shards: Int) -> [[GroupKey: GroupAggregate]] {
    let groupingCount = lanes[0].groupings.count
    let shards = max(1, shards)
    let parts = ConcurrentSlots<[GroupKey: GroupAggregate]>(count: groupingCount * shards, initial: [:])
    DispatchQueue.concurrentPerform(iterations: groupingCount * shards) { task in
      let (grouping, shard) = task.quotientAndRemainder(dividingBy: shards)
      parts.set(task, table(grouping, shard: shard, of: shards))
    }
    let all = parts.all
    return (0..<groupingCount).map { grouping in
      var table = all[grouping * shards]
      for shard in 1..<shards {
        table.merge(all[grouping * shards + shard]) { first, _ in first }  // keys are disjoint
      }
      return table
    }
  }

  /// The groups of one shard of a grouping, merged over the workers and translated.
  private func table(_ grouping: Int, shard: Int, of shards: Int) -> [GroupKey: GroupAggregate] {
    var indexOfKey: [Int64: Int] = [:]
    var keys: [Int64] = []
    var states: [GroupState<Int32>] = []
    var pairCounts = IntegerCounts()
    for (lane, rollUp) in lanes.map({ $0.groupings[grouping] }).enumerated() {
      let idMap = idMaps[lane]
      let codeMap = codeMaps[lane]
      var mergedIndex = [Int](repeating: -1, count: rollUp.keys.count)
      for (index, key) in rollUp.keys.enumerated() {
        let mapped =
          idMap.isEmpty
          ? key
          : Int64(Self.map(Int32(key >> 32), idMap)) << 32 | Int64(Self.map(Int32(truncatingIfNeeded: key), idMap))
        guard Self.shard(of: mapped, among: shards) == shard else { continue }
        let state = idMap.isEmpty ? rollUp.states[index] : rollUp.states[index].mapKeys { Self.map($0, idMap) }
        if let known = indexOfKey[mapped] {
          states[known].merge(state)
          mergedIndex[index] = known
        } else {
          indexOfKey[mapped] = states.count
          mergedIndex[index] = states.count
          keys.append(mapped)
          states.append(state)
        }
      }
      rollUp.pairs.forEach { key, count in
        let target = mergedIndex[Int(key >> 32)]
        guard target >= 0 else { return }
        let code = codeMap.isEmpty ? key & 0xFFFF_FFFF : UInt64(codeMap[Int(key & 0xFFFF_FFFF)])
        pairCounts.add(UInt64(target) << 32 | code, count: Int64(count))
      }
    }
    var translated = states.map { $0.mapKeys { names[Int($0)] } }
    pairCounts.forEach { key, count in
      let pair = pairs[Int(key & 0xFFFF_FFFF)]
      let index = Int(key >> 32)
      let (truth, predicted) = (pair.labels.truth, pair.labels.predicted)
      switch pair.kind {
      case .vendorQA:
        translated[index].qa.vendorQA.add(
          decisionLabel: predicted, qaLabel: truth, severity: pair.severity, count: count)
        translated[index].qa.all.add(decisionLabel: predicted, qaLabel: truth, severity: pair.severity, count: count)
      case .internalQA:
        translated[index].qa.internalQA.add(
          decisionLabel: predicted, qaLabel: truth, severity: pair.severity, count: count)
        translated[index].qa.all.add(decisionLabel: predicted, qaLabel: truth, severity: pair.severity, count: count)
      case .model:
        translated[index].ai.byModel[pair.model, default: AITally()].confusion.add(pair.labels, count)
      }
    }
    var result = [GroupKey: GroupAggregate](minimumCapacity: keys.count)
    for (index, packed) in keys.enumerated() {
      result[GroupKey(group: names[Int(packed >> 32)], period: names[Int(packed & 0xFFFF_FFFF)])] = translated[index]
    }
    return result
  }

  /// A worker's id in the merged id space (negative ids, "none", stay as they are).
  @inline(__always)
  private static func map(_ id: Int32, _ idMap: [Int32]) -> Int32 { id < 0 || idMap.isEmpty ? id : idMap[Int(id)] }

  /// The shard of a merged group key.
  @inline(__always)
  private static func shard(of key: Int64, among shards: Int) -> Int {
    Int((UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 33) % shards
  }
}
