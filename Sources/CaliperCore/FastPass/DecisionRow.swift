/// One decision as the streaming pass hands it to consumers: text fields as ids in the worker's
/// `RowDictionary`, numbers parsed. It is built afresh for each row without allocating;
/// `decisionID` and `itemID` point into the pass's buffer and are valid only during the call.
public struct DecisionRow {
  /// The decision id's bytes (valid during the call only).
  public var decisionID: UnsafeRawBufferPointer
  /// The item id's bytes (valid during the call only).
  public var itemID: UnsafeRawBufferPointer
  /// Dictionary ids of the text fields.
  public var queue: Int32
  /// See `queue`.
  public var market: Int32
  /// See `queue`.
  public var vendor: Int32
  /// See `queue`.
  public var site: Int32
  /// See `queue`.
  public var moderator: Int32
  /// See `queue`.
  public var label: Int32
  /// The AI's label, or `RowDictionary.missing`.
  public var aiLabel: Int32
  /// The model version, or `RowDictionary.missing`.
  public var modelVersion: Int32
  /// `enqueued_at`, seconds since the epoch (UTC).
  public var enqueuedAt: Int64
  /// `decided_at`, seconds since the epoch (UTC).
  public var decidedAt: Int64
  /// `handle_seconds`.
  public var handleSeconds: Double
  /// `ai_confidence`, if given.
  public var aiConfidence: Double?
  /// `ai_assisted`.
  public var aiAssisted: Bool

  /// The id of `grain`'s value.
  @inline(__always)
  public func id(of grain: Grain) -> Int32 {
    switch grain {
    case .vendor: vendor
    case .site: site
    case .queue: queue
    case .market: market
    case .moderator: moderator
    case .label: label
    }
  }
}

/// A worker's dictionary of the text values it has seen (markets, sites, labels, ...): ids are
/// dense, so per-value caches are arrays. Each worker of a pass has its own; results translate
/// ids back to strings before they are merged.
public final class RowDictionary {
  /// The id of a missing optional field.
  public static let missing: Int32 = -1

  /// Held through a pointer rather than a stored `var`: the scanner interns several fields a
  /// row, and a class's stored property would pay a dynamic exclusivity check on each.
  private let storage: UnsafeMutablePointer<ByteInterner>
  private var interner: ByteInterner {
    _read { yield storage.pointee }
    _modify { yield &storage.pointee }
  }

  /// An empty dictionary.
  public init() {
    storage = .allocate(capacity: 1)
    storage.initialize(to: ByteInterner(capacity: 1024))
  }

  deinit {
    storage.deinitialize(count: 1)
    storage.deallocate()
  }

  /// How many values.
  public var count: Int { interner.count }

  /// The text of `id`.
  public func string(_ id: Int32) -> String { interner.string(id) }

  /// Every value's text, by id.
  public var strings: [String] { interner.strings }

  /// Calls `body` with the bytes of `id` (no `String` made).
  public func withBytes<R>(_ id: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try interner.withBytes(id, body)
  }

  /// The id of `text`, adding it when new.
  public func id(_ text: String) -> Int32 { interner.intern(text) }

  /// The id of `text` if it has been seen.
  public func existingID(_ text: String) -> Int32? { interner.find(text) }

  @inline(__always)
  func id(_ bytes: UnsafeRawBufferPointer) -> Int32 { interner.intern(bytes) }
}
