import CLua

/// Puts a Lua stack's top back when the scope that owns the guard ends, however it ends (return
/// or throw): LuaKit's one way of leaving a stack as it found it, after mlua's `StackGuard`.
///
/// ```swift
/// let frame = StackGuard(try handle.stack)
/// let stack = frame.stack
/// try stack.pushTable()  // gone when `frame` goes out of scope
/// ```
///
/// It is non-copyable, so it restores exactly once, at the end of its binding's scope; its
/// `deinit` is one inlined `lua_settop`, the code the `defer` it replaces would be.
@usableFromInline
struct StackGuard: ~Copyable {
  /// The guarded stack.
  @usableFromInline let stack: LuaStack
  /// The `lua_settop` argument at exit: an absolute top, or `-(count + 1)` to drop `count` values.
  @usableFromInline let restore: Int32

  /// Restores the current top.
  @inlinable init(_ stack: LuaStack) {
    self.init(stack, top: stack.top)
  }

  /// Restores `top`, an absolute index at or below the current top: values already pushed above
  /// it belong to the guarded scope.
  @inlinable init(_ stack: LuaStack, top: Int32) {
    self.stack = stack
    restore = top
  }

  /// Drops the `count` values on top when the scope ends, counting from the top at that moment so
  /// that no `lua_gettop` is needed: for scopes that leave the rest of the stack balanced, on the
  /// call path.
  @inlinable init(_ stack: LuaStack, popping count: Int32) {
    self.stack = stack
    restore = -count - 1
  }

  @inlinable deinit { lua_settop(stack.L, restore) }
}
