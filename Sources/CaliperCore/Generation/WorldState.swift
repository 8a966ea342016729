import Foundation

/// The generated organisation: queues, moderators and the lookups decisions are drawn from.
struct WorldState {
  /// Decisions one moderator handles in a day, for staffing.
  static let dailyCapacity = 400

  var queues: [Queue] = []
  var queueByID: [String: Queue] = [:]
  var moderators: [Moderator] = []
  var activeModerators: [Moderator] = []
  var weakModerators: Set<String> = []
  var overreliantModerators: Set<String> = []
  var siteAccuracy: [String: Double] = [:]
  /// Per market: the labels that exist there and their cumulative weights.
  private var labelTables: [String: (names: [String], cumulative: [Double])] = [:]

  init(
    random: inout SeededGenerator, plants: Bool = true, moderatorsPerSite: Int = SyntheticWorld.moderatorsPerSite
  )
    throws
  {
    for market in SyntheticWorld.markets {
      let specs = SyntheticWorld.labels.filter { $0.markets == nil || $0.markets!.contains(market) }
      let weights = SyntheticWorld.marketLabelWeights[market] ?? [:]
      var total = 0.0
      labelTables[market] = (
        specs.map(\.name),
        specs.map {
          total += weights[$0.name] ?? $0.weight
          return total
        }
      )
      for lob in SyntheticWorld.linesOfBusiness {
        let id = "\(market.lowercased())-\(lob)"
        // The go-live queue exists either way; only its staffing and forecast are planted.
        let goesLive = id == SyntheticWorld.understaffedQueue
        let understaffed = plants && goesLive
        let goLive =
          goesLive
          ? CalendarDate(daysSinceEpoch: SyntheticDataGenerator.start.daysSinceEpoch + 70)
          : CalendarDate(year: 2025, month: 3 + random.index(below: 9), day: 1)
        let queue = Queue(
          queue: id, market: market, lineOfBusiness: lob, slaSeconds: lob == "video" ? 3_600 : 7_200,
          forecastDailyVolume: understaffed ? 9_000 : 1_500 + random.index(below: 2_500), goLive: goLive)
        queues.append(queue)
        queueByID[id] = queue
      }
    }
    for spec in SyntheticWorld.sites {
      siteAccuracy[spec.site] = spec.accuracy
      let code = spec.site.lowercased().replacingOccurrences(of: "-", with: "")
      for n in 0..<moderatorsPerSite {
        // Everyone works the market's video queue or ads queue alternately; the under-staffed
        // queue gets only one moderator per site.
        var lob = SyntheticWorld.linesOfBusiness[n % SyntheticWorld.linesOfBusiness.count]
        let candidate = "\(spec.market.lowercased())-\(lob)"
        if plants && candidate == SyntheticWorld.understaffedQueue && n > 1 { lob = SyntheticWorld.linesOfBusiness[0] }
        let moderator = Moderator(
          moderatorID: "m-\(code)-\(n)", vendor: spec.vendor, site: spec.site, market: spec.market,
          queue: "\(spec.market.lowercased())-\(lob)",
          hiredOn: CalendarDate(
            daysSinceEpoch: SyntheticDataGenerator.start.daysSinceEpoch - 30 - Int64(random.index(below: 900))),
          status: random.unit() < 0.05 ? .inactive : .active)
        moderators.append(moderator)
        if moderator.status == .active { activeModerators.append(moderator) }
        if plants && spec.site == SyntheticWorld.weakModeratorSite && SyntheticWorld.weakModeratorIndices.contains(n) {
          weakModerators.insert(moderator.moderatorID)
        }
        if plants && spec.site == SyntheticWorld.overreliantSite && SyntheticWorld.overreliantIndices.contains(n) {
          overreliantModerators.insert(moderator.moderatorID)
        }
      }
    }
  }

  /// A label drawn by the market's label weights.
  func drawLabel(market: String, _ random: inout SeededGenerator) -> String {
    let table = labelTables[market]!
    let target = random.unit() * table.cumulative.last!
    let index = table.cumulative.firstIndex { $0 > target } ?? table.names.count - 1
    return table.names[index]
  }

  /// A label of the market other than `label` (a wrong answer).
  func drawOther(than label: String, market: String, _ random: inout SeededGenerator) -> String {
    while true {
      let drawn = drawLabel(market: market, &random)
      if drawn != label { return drawn }
    }
  }
}

extension SeededGenerator {
  /// A uniform double in [0, 1) from the top 53 bits.
  mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

/// A CSV file written through a buffer; counts the data rows (lines after the header).
final class RowFile {
  private let handle: FileHandle
  private var buffer: [UInt8] = []
  private var lines = 0

  init(_ url: URL) throws {
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
      throw IngestionError(file: url.lastPathComponent, problem: "cannot create \(url.path)")
    }
    handle = try FileHandle(forWritingTo: url)
    buffer.reserveCapacity(1 << 20)
  }

  /// Appends a row field by field: text, then `,` before each later field, and a newline.
  func row(_ build: (inout RowBuilder) -> Void) {
    // Move the buffer into the builder and back (a copy here would cost the whole buffer per row).
    var builder = RowBuilder(bytes: [])
    swap(&builder.bytes, &buffer)
    build(&builder)
    swap(&builder.bytes, &buffer)
    buffer.append(UInt8(ascii: "\n"))
    lines += 1
    if buffer.count >= 1 << 20 { flush() }
  }

  /// Appends one line (a newline is added).
  func line(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    buffer.append(UInt8(ascii: "\n"))
    lines += 1
    if buffer.count >= 1 << 20 { flush() }
  }

  private func flush() {
    handle.write(Data(buffer))
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes what is left and returns the number of data rows.
  func close() throws -> Int {
    flush()
    try handle.close()
    return max(0, lines - 1)
  }
}

/// `value` with exactly `decimals` digits after the point (half away from zero), without
/// Foundation's `String(format:)`, which dominated the generator's time.
func fixed(_ value: Double, decimals: Int) -> String {
  var scale = 1.0
  for _ in 0..<decimals { scale *= 10 }
  let scaled = Int64((abs(value) * scale).rounded())
  let sign = value < 0 && scaled != 0 ? "-" : ""
  guard decimals > 0 else { return sign + String(scaled) }
  let unit = Int64(scale)
  let fraction = String(scaled % unit)
  return sign + String(scaled / unit) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
}

/// Writes one CSV row's fields straight into bytes (no intermediate strings for numbers and
/// timestamps, which dominated the generator's time).
struct RowBuilder {
  var bytes: [UInt8]
  private var first = true

  init(bytes: [UInt8]) { self.bytes = bytes }

  private mutating func separator() {
    if first { first = false } else { bytes.append(UInt8(ascii: ",")) }
  }

  /// A text field (the generator's values need no quoting).
  mutating func text(_ value: String) {
    separator()
    bytes.append(contentsOf: value.utf8)
  }

  /// A text field made of a prefix and an integer, e.g. `d-123`.
  mutating func id(_ prefix: StaticString, _ number: Int) {
    separator()
    prefix.withUTF8Buffer { bytes.append(contentsOf: $0) }
    appendDigits(Int64(number))
  }

  /// An ISO 8601 UTC timestamp.
  mutating func timestamp(_ value: Timestamp) {
    separator()
    let date = value.date
    let seconds = value.secondsSinceEpoch - date.daysSinceEpoch * 86_400
    appendPadded(Int64(date.year), 4)
    bytes.append(UInt8(ascii: "-"))
    appendPadded(Int64(date.month), 2)
    bytes.append(UInt8(ascii: "-"))
    appendPadded(Int64(date.day), 2)
    bytes.append(UInt8(ascii: "T"))
    appendPadded(seconds / 3_600, 2)
    bytes.append(UInt8(ascii: ":"))
    appendPadded(seconds / 60 % 60, 2)
    bytes.append(UInt8(ascii: ":"))
    appendPadded(seconds % 60, 2)
    bytes.append(UInt8(ascii: "Z"))
  }

  /// A non-negative number with `decimals` digits after the point.
  mutating func number(_ value: Double, decimals: Int) {
    separator()
    var scale: Int64 = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int64((max(0, value) * Double(scale)).rounded())
    appendDigits(scaled / scale)
    if decimals > 0 {
      bytes.append(UInt8(ascii: "."))
      appendPadded(scaled % scale, decimals)
    }
  }

  /// An empty (missing) field.
  mutating func empty() { separator() }

  private mutating func appendDigits(_ value: Int64) {
    if value >= 10 { appendDigits(value / 10) }
    bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
  }

  private mutating func appendPadded(_ value: Int64, _ width: Int) {
    var divisor: Int64 = 1
    for _ in 1..<width { divisor *= 10 }
    var remaining = value
    while divisor > 0 {
      bytes.append(UInt8(ascii: "0") + UInt8(remaining / divisor % 10))
      remaining %= divisor
      divisor /= 10
    }
  }
}
