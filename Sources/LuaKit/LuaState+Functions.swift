extension LuaState {
  /// Wraps a typed Swift closure as a Lua function: arguments are converted from Lua (a mismatch
  /// is a `bad argument #n to 'name'` error at the caller) and the result is pushed back.
  ///
  /// ```swift
  /// let add = try state.function(named: "add") { (a: Double, b: Double) in a + b }
  /// ```
  @inlinable
  public func function<each A: LuaReadable, R: LuaPushable>(
    named name: String, _ body: @escaping (repeat each A) throws -> R
  ) throws -> LuaFunction {
    try function(named: name) { call in
      var position: Int32 = 0
      let result = try body(repeat call.nextArgument(&position, as: (each A).self))
      try call.push(result)
      return 1
    }
  }

  /// Wraps a typed Swift closure that returns nothing.
  @inlinable
  public func function<each A: LuaReadable>(
    named name: String, _ body: @escaping (repeat each A) throws -> Void
  ) throws -> LuaFunction {
    try function(named: name) { call in
      var position: Int32 = 0
      try body(repeat call.nextArgument(&position, as: (each A).self))
      return 0
    }
  }
}

extension LuaCall {
  /// Reads the argument after `position` and advances it.
  @inlinable public func nextArgument<T: LuaReadable>(_ position: inout Int32, as type: T.Type) throws -> T {
    position += 1
    return try argument(position, as: type)
  }
}
