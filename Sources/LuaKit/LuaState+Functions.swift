import CLua

// Typed Swift closures as Lua functions, in fixed arities (0 to 3 arguments, fully specialized
// by the optimizer) and a variadic form for more.

extension LuaState {
  /// Wraps a typed Swift closure of no arguments as a Lua function.
  @inlinable @inline(__always)
  public func function<R: LuaPushable>(named name: String, _ body: @escaping () throws -> R) throws -> LuaFunction {
    try function(
      named: name,
      run: { L, box, failure in
        box.invoke(L, failure) { call in
          try call.pushResult(body())
          return 1
        }
      })
  }

  /// Wraps a typed Swift closure as a Lua function: the argument is converted from Lua (a
  /// mismatch is a `bad argument #1 to 'name'` error at the caller) and the result pushed back.
  @inlinable @inline(__always)
  public func function<A: LuaReadable, R: LuaPushable>(
    named name: String, _ body: @escaping (A) throws -> R
  ) throws -> LuaFunction {
    try function(
      named: name,
      run: { L, box, failure in
        box.invoke(L, failure) { call in
          try call.pushResult(body(call.argument(1)))
          return 1
        }
      })
  }

  /// Wraps a typed two-argument Swift closure as a Lua function.
  ///
  /// ```swift
  /// let add = try state.function(named: "add") { (a: Double, b: Double) in a + b }
  /// ```
  @inlinable @inline(__always)
  public func function<A: LuaReadable, B: LuaReadable, R: LuaPushable>(
    named name: String, _ body: @escaping (A, B) throws -> R
  ) throws -> LuaFunction {
    try function(
      named: name,
      run: { L, box, failure in
        box.invoke(L, failure) { call in
          try call.pushResult(body(call.argument(1), call.argument(2)))
          return 1
        }
      })
  }

  /// Wraps a typed three-argument Swift closure as a Lua function.
  @inlinable @inline(__always)
  public func function<A: LuaReadable, B: LuaReadable, C: LuaReadable, R: LuaPushable>(
    named name: String, _ body: @escaping (A, B, C) throws -> R
  ) throws -> LuaFunction {
    try function(
      named: name,
      run: { L, box, failure in
        box.invoke(L, failure) { call in
          try call.pushResult(body(call.argument(1), call.argument(2), call.argument(3)))
          return 1
        }
      })
  }

  /// Wraps a typed Swift closure of any arity as a Lua function.
  public func function<each A: LuaReadable, R: LuaPushable>(
    named name: String, _ body: @escaping (repeat each A) throws -> R
  ) throws -> LuaFunction {
    try function(
      named: name,
      run: { L, box, failure in
        box.invoke(L, failure) { call in
          var position: Int32 = 0
          let result = try body(repeat call.nextArgument(&position, as: (each A).self))
          try call.push(result)
          return 1
        }
      })
  }

  /// Wraps a typed Swift closure of any arity that returns nothing.
  public func function<each A: LuaReadable>(
    named name: String, _ body: @escaping (repeat each A) throws -> Void
  ) throws -> LuaFunction {
    try function(
      named: name,
      run: { L, box, failure in
        box.invoke(L, failure) { call in
          var position: Int32 = 0
          try body(repeat call.nextArgument(&position, as: (each A).self))
          return 0
        }
      })
  }
}

extension LuaCall {
  /// Reads the argument after `position` and advances it.
  @inlinable public func nextArgument<T: LuaReadable>(_ position: inout Int32, as type: T.Type) throws -> T {
    position += 1
    return try argument(position, as: type)
  }
}
