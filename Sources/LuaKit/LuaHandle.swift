import CLua
import Synchronization

/// The owner of one `lua_State` and its accounting; shared by ``LuaState`` and every reference
/// into it (``LuaTable``, ``LuaFunction``...).
///
/// The public ``LuaState`` closes the handle when it goes away, even while references remain:
/// those then throw ``LuaError/Kind/closed``. This makes closing deterministic and keeps a
/// reference that outlives its state from touching freed memory.
@usableFromInline
final class LuaHandle {
  /// The main thread; `nil` once closed.
  @exclusivity(unchecked) @usableFromInline private(set) var mainThread: OpaquePointer?
  /// Memory and instruction accounting, read by the allocator and the hook.
  let limits: UnsafeMutablePointer<clua_limits>
  /// The thread-safe part: trips limits and arms running threads from other threads.
  let controller: LimitController
  /// True while `lua_close` runs: references must not touch the registry then.
  private(set) var isClosing = false
  /// Metatables of registered userdata types, by Swift type.
  var userTypes: [ObjectIdentifier: LuaReference] = [:]

  init() throws {
    limits = .allocate(capacity: 1)
    limits.initialize(to: clua_limits())
    guard let L = lua_newstate(clua_alloc, UnsafeMutableRawPointer(limits)) else {
      limits.deallocate()
      throw LuaError(.memory, "cannot create a Lua state")
    }
    // Every thread made from now on copies this from the main thread.
    clua_set_limits(L, limits)
    // Slots up to `topLevelCapacity` stay allocated for the state's whole life: `lua_checkstack`
    // raises the base frame's limit, and Lua never shrinks a stack below a live frame's limit.
    // So at top level a push within them needs no check (see `LuaStack.reserve`).
    guard lua_checkstack(L, Self.topLevelCapacity) != 0 else {
      lua_close(L)
      limits.deallocate()
      throw LuaError(.memory, "cannot create a Lua state")
    }
    mainThread = L
    controller = LimitController(limits: limits, mainThread: L)
    // The traceback handler lives in the main thread's first slot for the state's whole life,
    // so calls from the host need not push it each time (a light C function: no allocation).
    clua_pushcfunction(L, clua_traceback_handler)
    // Finalizers find this handle through the state (see `luaKitReleaseBox`); unretained: the
    // handle outlives every finalizer (it closes the state in its deinit).
    limits.pointee.host = Unmanaged.passUnretained(self).toOpaque()
  }

  /// The main thread's stack indices that are always allocated while the host is at top level.
  @usableFromInline static let topLevelCapacity: Int32 = 64

  /// The main-thread stack slot of the permanent traceback handler.
  @usableFromInline static let mainHandlerSlot: Int32 = 1
  /// Slots LuaKit keeps at the bottom of the main thread's stack.
  @usableFromInline static let reservedSlots: Int32 = 1

  deinit {
    close()
    limits.deallocate()
  }

  /// The main thread, or a `closed` error. Whoever asks may push on it: the stack is no longer
  /// known to be bare.
  @inlinable var L: OpaquePointer {
    get throws {
      guard let mainThread else { throw LuaHandle.closedError() }
      mainIsBare = false
      return mainThread
    }
  }

  /// The thread that called the running Swift callback (the main thread or a coroutine), or
  /// `nil` when no callback is running. Calling into Lua from a callback must use the caller's
  /// thread. At top level (`nil`) the host works on the main thread, whose permanent traceback
  /// handler is at a known absolute index; inside a callback, stack indices are relative to the
  /// callback's frame and calls push their own handler. One field for both facts: the common
  /// call from the host tests one word.
  @exclusivity(unchecked) @usableFromInline var callerThread: OpaquePointer?

  /// True only while the main thread's stack is known to hold exactly LuaKit's reserved slots
  /// at its base frame: set by a typed call from the host that found it so and used only
  /// conversions LuaKit trusts (``LuaPushable/luaKitTrustsPush``), cleared by that call while it
  /// runs (so calls made from inside it check for themselves) and by every other way to the
  /// main thread's stack (``L``, ``stack``, ``LuaStack/reserve(_:)``, ``LuaStack/rawState``).
  /// While it is set, the next typed call needs no `lua_gettop` to know the reserved room is
  /// free: that call cost a few percent of a Swift→Lua call (see `docs/luakit.md`).
  @exclusivity(unchecked) @usableFromInline var mainIsBare = false

  /// The error for a closed state (out of line: never on the hot path).
  @usableFromInline @inline(never) static func closedError() -> any Error {
    LuaError(.closed, "the Lua state is closed")
  }

  /// A stack view of the main thread.
  @inlinable var stack: LuaStack {
    get throws { LuaStack(try L, self) }
  }

  /// Whether registry references may still be released.
  @usableFromInline var acceptsReleases: Bool { mainThread != nil && !isClosing }

  /// Closes the state, running the remaining finalizers.
  ///
  /// Lua 5.4 turns hooks off while a finalizer runs (`GCTM` clears `allowhook`), so no limit can
  /// stop a `__gc` that loops forever; this is why the sandbox refuses `__gc` in scripts' metatables
  /// and only LuaKit's own C finalizers exist in a sandboxed state.
  func close() {
    guard let L = mainThread else { return }
    isClosing = true
    lua_close(L)
    // The metatable references point back at this handle; dropping them breaks that cycle.
    userTypes.removeAll()
    mainThread = nil
    isClosing = false
  }

  /// Pops the error value left by a failed call and maps it to a ``LuaError``.
  @usableFromInline func popError(status: Int32, on L: OpaquePointer) -> LuaError {
    let frame = StackGuard(LuaStack(L, self), popping: 1)
    let stack = frame.stack
    let tripped = Int(clua_limits_tripped(limits))
    if tripped != CLUA_TRIP_NONE || clua_is_sentinel(L, -1) != 0 {
      let limit = LimitController.limit(forTrip: tripped)
      return LuaError(.limitExceeded(limit), limit.explanation)
    }
    // An error a Swift callback threw comes back as the value it was, not as text.
    if let error = stack.callbackFailure(at: -1) { return error }
    let raw = stack.string(at: -1) ?? stack.describe(at: -1)
    switch status {
    case LUA_ERRSYNTAX:
      if raw.contains("attempt to load a binary chunk") {
        return LuaError(.syntax, "binary chunks are refused: only Lua source text can be loaded")
      }
      return LuaError.parsing(.syntax, raw)
    case LUA_ERRMEM:
      let message = limits.pointee.refused_allocations > 0 ? LuaError.Limit.memory.explanation : raw
      return LuaError(limits.pointee.refused_allocations > 0 ? .limitExceeded(.memory) : .memory, message)
    case LUA_ERRERR:
      return LuaError(.errorHandler, raw)
    default:
      return runtimeError(raw)
    }
  }

  /// Splits a traceback off a runtime message produced by the traceback handler.
  private func runtimeError(_ raw: String) -> LuaError {
    var message = raw
    var traceback: String?
    if let range = raw.range(of: "\nstack traceback:") {
      message = String(raw[..<range.lowerBound])
      traceback = String(raw[raw.index(after: range.lowerBound)...])
    }
    return LuaError.parsing(.runtime, message, traceback: traceback)
  }

}

extension LuaError.Limit {
  /// A one-line explanation for people.
  var explanation: String {
    switch self {
    case .memory: "memory limit exceeded"
    case .time: "time limit exceeded"
    case .instructions: "instruction limit exceeded"
    case .cancelled: "the run was cancelled"
    }
  }
}
