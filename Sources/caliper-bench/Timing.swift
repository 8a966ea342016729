/// What the async suites share: one measured run and the median of several.
enum Timing {
  /// Seconds `body` took.
  static func seconds(_ body: () async throws -> Void) async throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try await body()
    return (clock.now - start).seconds
  }

  /// The median (the upper one of an even count).
  static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
