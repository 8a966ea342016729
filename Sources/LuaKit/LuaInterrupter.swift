import CLua

/// Stops a state's run in progress from any thread (a task's cancellation handler, a host
/// shutting down): the run ends with ``LuaError/Limit/cancelled``, which scripts cannot catch.
/// Between runs it does nothing, so a caller that must stop later runs too checks its own flag
/// before starting each one.
public struct LuaInterrupter: Sendable {
  let controller: LimitController

  /// Stops the run in progress, if any.
  public func interrupt() {
    controller.tripCurrentRun(Int32(CLUA_TRIP_CANCELLED))
  }
}

extension LuaState {
  /// A handle that stops this state's run in progress from any thread.
  public var interrupter: LuaInterrupter { LuaInterrupter(controller: handle.controller) }
}
