import CLua
import Foundation

/// One Lua 5.4 interpreter: owns a `lua_State`, closes it on deinit.
///
/// ## Threading
/// `LuaState` is not `Sendable`: it lives in one isolation domain (an actor, a task, a thread),
/// and Swift 6 rejects at compile time any attempt to use it from two. To work in parallel, make
/// one state per task (a pool of states). The only cross-thread entry is internal: a watchdog or
/// a task-cancellation handler trips the run limits, which is thread-safe.
///
/// ## Memory safety
/// Lua raises errors with `longjmp`. LuaKit never lets one cross a Swift frame: every Lua call
/// that can raise runs inside `lua_pcall` of a small C function (see `shim.h`), and Swift
/// callbacks report failure with a return code so that C raises only after the Swift frame has
/// returned. References into the state (``LuaTable``, ``LuaFunction``) live in the registry and
/// are released when Swift lets go of them.
public final class LuaState {
  @usableFromInline let handle: LuaHandle
  /// The options the state was made with.
  public let options: LuaOptions
  /// The sandbox, or `nil` for an unsandboxed state.
  let sandbox: Sandbox?
  /// Modules that `require` finds before looking at files, by name.
  var hostModules: [String: HostModule] = [:]

  /// Creates a state, sandboxed unless `options` say otherwise.
  public init(options: LuaOptions = LuaOptions()) throws {
    self.options = options
    handle = try LuaHandle()
    try handle.stack.protected(clua_op_openlibs, nil, arguments: 0, results: 0)
    if options.sandboxed {
      sandbox = try Sandbox(handle: handle, clock: options.clock)
    } else {
      sandbox = nil
    }
    handle.limits.pointee.memory_limit = options.memoryLimit.map { max(0, $0) } ?? 0
    // Lua seeds math.random from the time and addresses; a fixed seed makes runs reproducible.
    try seedRandom(0)
  }

  /// Seeds `math.random` for every script of this state: the same seed gives the same numbers.
  public func seedRandom(_ seed: Int64) throws {
    let math: LuaTable = try hostGlobals.get("math")
    let randomseed: LuaFunction = try math.get("randomseed")
    _ = try randomseed.callReturningAll(seed)
  }

  deinit { handle.close() }

  /// The memory cap in bytes (`nil` for none); may be changed between runs.
  public var memoryLimit: Int? {
    get {
      let limit = handle.limits.pointee.memory_limit
      return limit == 0 ? nil : Int(limit)
    }
    set { handle.limits.pointee.memory_limit = newValue.map { max(1, $0) } ?? 0 }
  }

  /// Bytes the state holds now.
  public var memoryInUse: Int { Int(handle.limits.pointee.memory_used) }

  /// Runs a full garbage collection (finalizers of host objects run in protected mode), and a
  /// second one: Lua frees an object whose finalizer ran only in the next cycle, and host objects
  /// and Swift errors that crossed Lua have finalizers.
  public func collectGarbage() throws {
    let L = try handle.L
    clua_collect(L)
    clua_collect(L)
  }

  /// The number of values on the main thread's stack above LuaKit's own reserved slots:
  /// unchanged by every public operation.
  public var stackDepth: Int32 {
    get throws { lua_gettop(try handle.L) - LuaHandle.reservedSlots }
  }

  /// The real global table of the state (not what sandboxed scripts see).
  public var hostGlobals: LuaTable {
    get throws {
      let stack = try handle.stack
      try stack.reserve(1)
      lua_rawgeti(stack.L, clua_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
      return LuaTable(try LuaReference(popping: stack))
    }
  }

  /// Compiles Lua source text (binary chunks are refused) into a function whose globals are
  /// `environment`: by default a fresh sandbox environment, or the real globals when unsandboxed.
  ///
  /// - Parameters:
  ///   - source: the Lua text.
  ///   - name: the chunk name; start it with `@` for a file (`@jp.lua` gives `jp.lua:3:`).
  ///   - environment: the chunk's globals (default: a fresh sandbox environment).
  public func load(_ source: String, name: String, environment: LuaTable? = nil) throws -> LuaFunction {
    let env = try environment ?? defaultEnvironment()
    return try loadChunk(source, name: name, environment: env)
  }

  /// Compiles and runs `source`, returning every value the chunk returns.
  public func execute(
    _ source: String, name: String = "=chunk", environment: LuaTable? = nil
  ) throws
    -> [LuaValue]
  {
    try load(source, name: name, environment: environment).callReturningAll()
  }

  /// A new environment for scripts: sandboxed globals of their own (with `require` resolving
  /// host modules and then the Lua files `modules` gives), or the real globals when the state is
  /// unsandboxed.
  public func makeEnvironment(modules: (any LuaModuleSource)? = nil) throws -> LuaTable {
    guard let sandbox else { return try hostGlobals }
    return try sandbox.makeEnvironment(state: self, modules: modules)
  }

  /// Wraps a Swift closure as a Lua function (raw form: read ``LuaCall`` arguments, push results,
  /// return how many). Do not capture this state strongly in `body`: use `call.stack`.
  @inlinable @inline(__always)
  public func function(named name: String, _ body: @escaping (LuaCall) throws -> Int32) throws -> LuaFunction {
    try function(named: name, run: CallbackBox.run(calling: body))
  }

  /// Wraps a whole call (``CallbackBox/Run``) as a Lua function; the typed forms build theirs
  /// with their body inlined.
  @usableFromInline func function(named name: String, run: @escaping CallbackBox.Run) throws -> LuaFunction {
    let stack = try handle.stack
    try stack.pushFunction(named: name, run: run)
    return LuaFunction(try LuaReference(popping: stack))
  }

  /// Makes a new empty table.
  public func newTable() throws -> LuaTable {
    let stack = try handle.stack
    try stack.pushTable()
    return LuaTable(try LuaReference(popping: stack))
  }

  /// Converts a Swift value into a Lua value held by Swift.
  public func value(_ value: some LuaPushable) throws -> LuaValue {
    let frame = StackGuard(try handle.stack)
    let stack = frame.stack
    try stack.reserve(1)
    try value.push(onto: stack)
    return try LuaValue.read(from: stack, at: -1)
  }

  /// Gives `body` the main thread's stack for direct work; the stack is restored afterwards.
  public func withStack<R>(_ body: (LuaStack) throws -> R) throws -> R {
    let frame = StackGuard(try handle.stack)
    return try body(frame.stack)
  }

  // MARK: Internals

  private var cachedDefaultEnvironment: LuaTable?

  /// The environment used when none is given: created once.
  func defaultEnvironment() throws -> LuaTable {
    if let cachedDefaultEnvironment { return cachedDefaultEnvironment }
    let env = try makeEnvironment()
    cachedDefaultEnvironment = env
    return env
  }

  /// Loads text with `env` as the chunk's `_ENV`.
  func loadChunk(_ source: String, name: String, environment env: LuaTable) throws -> LuaFunction {
    let stack = try handle.stack
    try stack.reserve(2)
    var source = source
    let status = source.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) {
        clua_load_text(stack.L, $0.baseAddress, $0.count, name)
      }
    }
    if status != LUA_OK { throw handle.popError(status: status, on: stack.L) }
    try env.push(onto: stack)
    // The first upvalue of a main chunk is _ENV; setting it never raises.
    if lua_setupvalue(stack.L, -2, 1) == nil { stack.pop() }
    return LuaFunction(try LuaReference(popping: stack))
  }
}
