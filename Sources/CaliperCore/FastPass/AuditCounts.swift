/// Dense codes `0, 1, 2, ...` for what an audit counts: (kind, model, truth label, given label),
/// so that a worker keeps every confusion-matrix count in one flat integer table keyed by
/// (slot, code) instead of a dictionary per tally per cell. Everything else a QA tally holds
/// (audits, correct, errors by label and by severity) follows from its confusion matrix and is
/// derived at roll-up. Codes are a worker's own, like its dictionary ids.
struct LabelPairCodes {
  /// Whose labels a pair compares.
  enum Kind: UInt8 {
    /// An audit by vendor QA: (QA label, moderator's label).
    case vendorQA
    /// An audit by internal QA: (QA label, moderator's label).
    case internalQA
    /// An audit of a suggested decision: (QA label, the model's label).
    case model
  }

  /// A coded pair.
  struct Pair: Hashable {
    var kind: Kind
    /// The model version's id for `.model` pairs, -1 otherwise.
    var model: Int32
    var truth: Int32
    var predicted: Int32
  }

  /// Pairs by code.
  private(set) var pairs: [Pair] = []
  private var codeOf: [Pair: UInt32] = [:]
  /// Recent pairs, direct-mapped, three words an entry: (truth, predicted), (kind, model) and
  /// code + 1 (labels are few, so nearly every lookup hits here and hashes nothing with SipHash).
  private var recent = [UInt64](repeating: 0, count: 3 * 512)

  /// The code of a pair, assigning the next one when new.
  @inline(__always)
  mutating func code(_ kind: Kind, model: Int32 = -1, truth: Int32, predicted: Int32) -> UInt32 {
    let labels = UInt64(UInt32(bitPattern: truth)) << 32 | UInt64(UInt32(bitPattern: predicted))
    let tag = UInt64(kind.rawValue) << 32 | UInt64(UInt32(bitPattern: model))
    let entry = Int(truncatingIfNeeded: ((labels ^ tag &* 0xBF58_476D_1CE4_E5B9) &* 0x9E37_79B9_7F4A_7C15) >> 55) * 3
    if recent[entry] == labels, recent[entry + 1] == tag, recent[entry + 2] != 0 {
      return UInt32(truncatingIfNeeded: recent[entry + 2] - 1)
    }
    let pair = Pair(kind: kind, model: model, truth: truth, predicted: predicted)
    let code: UInt32
    if let known = codeOf[pair] {
      code = known
    } else {
      code = UInt32(pairs.count)
      pairs.append(pair)
      codeOf[pair] = code
    }
    recent[entry] = labels
    recent[entry + 1] = tag
    recent[entry + 2] = UInt64(code) + 1
    return code
  }
}

/// The audit counts of a handle slot (a cell without its model version) that are not by
/// label: disputes by organisation and the vendor-vs-internal paired table.
struct SlotAuditCounters {
  var vendorDisputed: Int32 = 0
  var vendorOverturned: Int32 = 0
  var internalDisputed: Int32 = 0
  var internalOverturned: Int32 = 0
  var paired = PairedCounters()

  /// `PairedQATally` in 32-bit counters.
  struct PairedCounters {
    var bothCorrect: Int32 = 0
    var onlyVendorCorrect: Int32 = 0
    var onlyInternalCorrect: Int32 = 0
    var bothWrong: Int32 = 0
  }

  /// Counts one decision's audits (`organisation`, QA found it `correct`, and its dispute)
  /// except the by-label parts, which go to the confusion table.
  @inline(__always)
  mutating func add(vendor: Bool, disputed: Bool, overturned: Bool) {
    if vendor {
      if disputed { vendorDisputed += 1 }
      if overturned { vendorOverturned += 1 }
    } else {
      if disputed { internalDisputed += 1 }
      if overturned { internalOverturned += 1 }
    }
  }

  /// Counts a decision audited by both organisations.
  @inline(__always)
  mutating func addPair(vendorCorrect: Bool, internalCorrect: Bool) {
    switch (vendorCorrect, internalCorrect) {
    case (true, true): paired.bothCorrect += 1
    case (true, false): paired.onlyVendorCorrect += 1
    case (false, true): paired.onlyInternalCorrect += 1
    case (false, false): paired.bothWrong += 1
    }
  }

  /// Adds these counts to a group's state (each organisation's tally and the overall one).
  func add<Key>(to state: inout GroupState<Key>) {
    state.qa.vendorQA.disputed += Int(vendorDisputed)
    state.qa.vendorQA.overturned += Int(vendorOverturned)
    state.qa.internalQA.disputed += Int(internalDisputed)
    state.qa.internalQA.overturned += Int(internalOverturned)
    state.qa.all.disputed += Int(vendorDisputed) + Int(internalDisputed)
    state.qa.all.overturned += Int(vendorOverturned) + Int(internalOverturned)
    state.qa.paired.bothCorrect += Int(paired.bothCorrect)
    state.qa.paired.onlyVendorCorrect += Int(paired.onlyVendorCorrect)
    state.qa.paired.onlyInternalCorrect += Int(paired.onlyInternalCorrect)
    state.qa.paired.bothWrong += Int(paired.bothWrong)
  }
}
