import CLua

/// A value a ``LuaRecordView`` field holds for the current record.
public enum LuaRecordValue {
  /// `nil`.
  case `nil`
  /// An integer.
  case integer(Int64)
  /// A float.
  case number(Double)
  /// A boolean.
  case boolean(Bool)
  /// A string borrowed from the host: the bytes must stay valid until the view closes or
  /// moves to the next record.
  case bytes(UnsafeRawBufferPointer)
  /// An interned string, by the source's id: its text is asked of the source once and then
  /// served from a cache in Lua.
  case symbol(Int32)
  /// A string made for this read; it is asked of the source at every read (nothing is kept).
  case string(String)
}

/// Supplies the current record of a ``LuaRecordView``.
public protocol LuaRecordSource: AnyObject {
  /// The value of field `index` (a position in the view's field names) of the current record.
  func value(ofField index: Int) -> LuaRecordValue
  /// Calls `body` with the text of symbol `id`.
  func withSymbol<R>(_ id: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

/// One reusable, read-only userdata that scripts read like a table (`row.market`) while the
/// host moves it from record to record without allocating.
///
/// Reading a field does not call into Swift: the host writes the values of the fields scripts
/// have read so far straight into the userdata at ``open()``, and a C `__index` serves them. The
/// first read of a field, a field of kind ``LuaRecordValue/string(_:)``, an unknown key and any
/// read while the view is closed go to Swift, which computes the value or raises an error
/// positioned at the script. Values are stamped with a generation that ``open()`` and
/// ``close()`` advance, so a value of a past record (and a borrowed pointer) is never read.
///
/// ```swift
/// let view = try LuaRecordView(in: state, typeName: "row", fields: ["market", "seconds"], source: rows)
/// for index in rows.all.indices {
///   rows.current = index  // what `rows.value(ofField:)` now answers for
///   view.open()
///   let kept = try predicate.call(view, returning: LuaTruth.self).isTrue
///   view.close()
/// }
/// ```
public final class LuaRecordView: LuaPushable {
  /// The field names, in the order ``LuaRecordSource/value(ofField:)`` numbers them.
  public let fieldNames: [String]
  /// Whether fields may be read (between ``open()`` and ``close()``).
  public private(set) var isOpen = false

  private let source: any LuaRecordSource
  private let record: UnsafeMutablePointer<clua_record>
  private let fields: UnsafeMutablePointer<clua_field>
  private let userdata: LuaReference
  /// Fields scripts have read at least once: the ones ``open()`` fills in advance.
  private var demanded: [Int] = []
  private var isDemanded: [Bool]
  /// The fallback's way to this view (see ``ViewLink``).
  private let link: ViewLink

  /// Makes the view in `state`. `typeName` names it in `tostring` and in error messages;
  /// `closedMessage` is the error of a read outside ``open()``…``close()``.
  public init(
    in state: LuaState, typeName: String, fields fieldNames: [String], source: any LuaRecordSource,
    closedMessage: String? = nil
  ) throws {
    self.fieldNames = fieldNames
    self.source = source
    isDemanded = Array(repeating: false, count: fieldNames.count)
    let closedMessage = closedMessage ?? "a \(typeName) can only be read while the host provides one"
    let frame = StackGuard(try state.handle.stack)
    let stack = frame.stack
    try stack.reserve(6)

    try stack.pushTable(recordCapacity: 4)
    let metatable = stack.top
    try stack.push(typeName)
    try stack.rawSet(table: metatable, field: "__name")
    try stack.push(typeName)
    try stack.rawSet(table: metatable, field: "__metatable")
    try stack.pushFunction(named: "\(typeName).__newindex") { call in
      throw call.error("cannot assign field '\(call.stack.describe(at: 2))' of \(typeName): it is read-only")
    }
    try stack.rawSet(table: metatable, field: "__newindex")

    try stack.pushTable(recordCapacity: fieldNames.count)
    let names = stack.top
    for (index, name) in fieldNames.enumerated() {
      stack.push(Int64(index))
      try stack.rawSet(table: names, field: name)
    }
    let known = Dictionary(fieldNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    // The fallback reaches the view through a link the view clears when it goes: a script may
    // keep the userdata after the view is gone.
    let view = ViewLink()
    try stack.pushFunction(named: "\(typeName).__index") { call in
      // Level 2: level 1 is the C `__index` that called this fallback.
      guard let self = view.object, self.isOpen else { throw call.error(closedMessage, level: 2) }
      guard let key = call.stack.string(at: 2), let index = known[key] else {
        throw call.error(
          "a \(typeName) has no field '\(call.stack.describe(at: 2))' (fields: \(fieldNames.joined(separator: ", ")))",
          level: 2)
      }
      try self.serve(field: index, on: call.stack)
      return 1
    }

    var spec = clua_record_spec(count: Int32(fieldNames.count), record: nil)
    try withUnsafeMutablePointer(to: &spec) {
      try stack.protected(clua_op_newrecord, $0, arguments: 3, results: 1)
    }
    guard let record = spec.record else { throw LuaError(.memory, "cannot make the \(typeName) userdata") }
    self.record = record
    fields = clua_record_field(record, 0)
    userdata = try LuaReference(popping: stack)
    link = view
    view.object = self
  }

  deinit {
    link.object = nil
    // A script may still hold the userdata: make sure nothing borrowed stays readable.
    if isOpen, (try? userdata.handle.L) != nil { close() }
  }

  /// Moves to the host's current record: fills the fields scripts have read so far.
  public func open() {
    advance()
    isOpen = true
    fillDemanded()
  }

  /// Ends reading: from now on every read is an error, and no borrowed bytes are reachable.
  public func close() {
    advance()
    isOpen = false
  }

  /// Forgets the cached symbol strings (call when the source's ids change meaning).
  public func resetSymbols() throws {
    let frame = try userdata.pushOnMain()
    try frame.stack.protected(clua_op_resetsymbols, nil, arguments: 1, results: 0)
  }

  /// The fields scripts have read (or tried to) since ``forgetFieldsRead()``: bit `i` for field
  /// `i`, and bit 63 for every field from 63 on. With a function that reaches nothing but its
  /// arguments (``LuaFunction/capturesNothing``), these are all a call's result can depend on.
  public var fieldsRead: UInt64 { record.pointee.reads }

  /// Clears ``fieldsRead``.
  public func forgetFieldsRead() {
    record.pointee.reads = 0
  }

  /// Pushes the view's userdata.
  public func push(onto stack: LuaStack) throws {
    try stack.checkSameState(userdata.handle)
    try stack.reserve(1)
    userdata.push(on: stack.L)
  }

  private func advance() {
    record.pointee.generation &+= 1
  }

  private func fillDemanded() {
    let generation = record.pointee.generation
    for index in demanded { store(source.value(ofField: index), at: index, generation: generation) }
  }

  /// Writes `value` into field `index` for `generation`; a made string is not stored (it is
  /// asked again at every read).
  private func store(_ value: LuaRecordValue, at index: Int, generation: lua_Integer) {
    let field = fields + index
    switch value {
    case .nil: field.pointee.kind = Int32(CLUA_FIELD_NIL)
    case .integer(let number):
      field.pointee.kind = Int32(CLUA_FIELD_INTEGER)
      field.pointee.integer = lua_Integer(number)
    case .number(let number):
      field.pointee.kind = Int32(CLUA_FIELD_NUMBER)
      field.pointee.number = number
    case .boolean(let flag):
      field.pointee.kind = Int32(CLUA_FIELD_BOOLEAN)
      field.pointee.integer = flag ? 1 : 0
    case .bytes(let bytes):
      field.pointee.kind = Int32(CLUA_FIELD_BYTES)
      field.pointee.bytes = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
      field.pointee.length = bytes.count
    case .symbol(let id):
      field.pointee.kind = Int32(CLUA_FIELD_SYMBOL)
      field.pointee.integer = lua_Integer(id)
    case .string: return
    }
    field.pointee.generation = generation
  }

  /// The slow path of a read: computes field `index`, stores it for the rest of this record
  /// (and marks it to be filled in advance from now on), and pushes it.
  private func serve(field index: Int, on stack: LuaStack) throws {
    let value = source.value(ofField: index)
    // A made string is never stored, so filling it in advance would be wasted work.
    if case .string = value {
    } else if !isDemanded[index] {
      isDemanded[index] = true
      demanded.append(index)
    }
    store(value, at: index, generation: record.pointee.generation)
    switch value {
    case .nil: stack.pushNil()
    case .integer(let number): stack.push(number)
    case .number(let number): stack.push(number)
    case .boolean(let flag): stack.push(flag)
    case .bytes(let bytes): try stack.pushBytes(bytes.assumingMemoryBound(to: UInt8.self))
    case .string(let text): try stack.push(text)
    case .symbol(let id):
      try source.withSymbol(id) { try stack.pushBytes($0.assumingMemoryBound(to: UInt8.self)) }
      try cache(symbol: id, on: stack)
    }
  }

  /// Stores the string on top of `stack` as symbol `id` in the view's cache (leaves it there).
  private func cache(symbol id: Int32, on stack: LuaStack) throws {
    try stack.reserve(3)
    userdata.push(on: stack.L)
    stack.push(Int64(id))
    stack.pushCopy(of: -3)
    try stack.protected(clua_op_cachesymbol, nil, arguments: 3, results: 0)
  }
}

/// The fallback closure's reference to its view, cleared by the view's `deinit`. Not `weak`:
/// a weakly referenced object keeps its counts in a side table, and then every retain and
/// release of the view (one or two per row a script reads) takes the runtime's slow path, 6%
/// of a custom measure pass. An `unowned` reference keeps its count inline.
private final class ViewLink {
  unowned var object: LuaRecordView?
}
