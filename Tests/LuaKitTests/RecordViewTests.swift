import Testing

@testable import LuaKit

/// A record source over an array of rows, with symbols for a few city names.
final class CityRows: LuaRecordSource {
  struct Row {
    var city: Int32?
    var population: Int64
    var share: Double
    var coastal: Bool
    /// Owned by `CityRows` (freed in its deinit), so the view may borrow it.
    var code: UnsafeRawBufferPointer
  }

  static let fields = ["city", "population", "share", "coastal", "code", "label"]
  var symbols: [[UInt8]] = [Array("Osaka".utf8), Array("Seoul".utf8), Array("Jakarta".utf8)]
  var rows: [Row] = []
  var current = 0
  var valueCalls = 0
  var symbolCalls = 0

  func value(ofField index: Int) -> LuaRecordValue {
    valueCalls += 1
    let row = rows[current]
    switch index {
    case 0: return row.city.map { .symbol($0) } ?? .nil
    case 1: return .integer(row.population)
    case 2: return .number(row.share)
    case 3: return .boolean(row.coastal)
    case 4: return .bytes(row.code)
    default: return .string("row \(current)")
    }
  }

  /// A copy of `text` that lives as long as this source.
  func code(_ text: String) -> UnsafeRawBufferPointer {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: text.utf8.count, alignment: 1)
    buffer.copyBytes(from: text.utf8)
    codes.append(buffer)
    return UnsafeRawBufferPointer(buffer)
  }

  private var codes: [UnsafeMutableRawBufferPointer] = []
  deinit { codes.forEach { $0.deallocate() } }

  func withSymbol<R>(_ id: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    symbolCalls += 1
    return try symbols[Int(id)].withUnsafeBytes(body)
  }
}

@Suite("Record views")
struct RecordViewTests {
  func makeRows() -> CityRows {
    let rows = CityRows()
    rows.rows = [
      .init(city: 0, population: 2_700_000, share: 0.25, coastal: true, code: rows.code("JP-27")),
      .init(city: 1, population: 9_400_000, share: 0.5, coastal: false, code: rows.code("KR-11")),
      .init(city: nil, population: 0, share: 0, coastal: false, code: rows.code("")),
      .init(city: 0, population: 2_600_000, share: 0.125, coastal: true, code: rows.code("JP-27b")),
    ]
    return rows
  }

  @Test func readsEveryKindOfFieldRowAfterRow() throws {
    let state = try makeState()
    let rows = makeRows()
    let view = try LuaRecordView(in: state, typeName: "city", fields: CityRows.fields, source: rows)
    let describe = try state.load(
      """
      local r = ...
      return table.concat({ tostring(r.city), math.type(r.population), r.population, r.share,
        tostring(r.coastal), r.code, r.label }, "|")
      """, name: "=describe")
    var seen: [String] = []
    for index in rows.rows.indices {
      rows.current = index
      view.open()
      seen.append(try describe.call(view, returning: String.self))
      view.close()
    }
    #expect(
      seen == [
        "Osaka|integer|2700000|0.25|true|JP-27|row 0",
        "Seoul|integer|9400000|0.5|false|KR-11|row 1",
        "nil|integer|0|0.0|false||row 2",
        "Osaka|integer|2600000|0.125|true|JP-27b|row 3",
      ])
    // Each row: the five stored fields (read on the first row, filled in advance at each open
    // after it) and `label`, a made string asked at every read; plus one read of a symbol not
    // yet cached (Seoul).
    #expect(rows.valueCalls == 6 * 4 + 1)
    // Osaka and Seoul, once each: later reads come from the cache.
    #expect(rows.symbolCalls == 2)
    #expect(try state.stackDepth == 0)
  }

  @Test func aPredicateSeesOnlyTheCurrentRow() throws {
    let state = try makeState()
    let rows = makeRows()
    let view = try LuaRecordView(in: state, typeName: "city", fields: CityRows.fields, source: rows)
    let predicate = try state.load(
      "return function(r) return r.city == 'Osaka' and r.coastal and r.population > 2650000 end", name: "=p"
    ).call(returning: LuaFunction.self)
    var kept: [Int] = []
    for index in rows.rows.indices {
      rows.current = index
      view.open()
      if try predicate.call(view, returning: LuaTruth.self).isTrue { kept.append(index) }
      view.close()
    }
    #expect(kept == [0])
  }

  @Test func readsOutsideARecordAndUnknownFieldsAreErrorsAtTheScript() throws {
    let state = try makeState()
    let rows = makeRows()
    let view = try LuaRecordView(
      in: state, typeName: "city", fields: CityRows.fields, source: rows, closedMessage: "no city right now")
    let keep = try state.load("kept = ...", name: "=keep")
    view.open()
    _ = try keep.call(view, returning: LuaValue.self)
    let early = try state.load("return kept.city", name: "@early.lua")
    #expect(try early.call(returning: String.self) == "Osaka")
    view.close()
    // The script kept the userdata: after close, even a field read before is not served.
    let late = #expect(throws: LuaError.self) { try early.call(returning: LuaValue.self) }
    #expect(late?.description.contains("early.lua:1: no city right now") == true)

    view.open()
    let unknown = #expect(throws: LuaError.self) {
      try state.load("return kept.town", name: "@unknown.lua").call(returning: LuaValue.self)
    }
    #expect(
      unknown?.description.contains(
        "unknown.lua:1: a city has no field 'town' (fields: city, population, share, coastal, code, label)") == true)
    let assign = #expect(throws: LuaError.self) {
      try state.load("kept.city = 'Kobe'", name: "@assign.lua").call(returning: LuaValue.self)
    }
    #expect(assign?.description.contains("assign.lua:1: cannot assign field 'city' of city: it is read-only") == true)
    #expect(try state.evaluate("return tostring(kept):match('^city: ') ~= nil and getmetatable(kept)") == "city")
    view.close()
    #expect(try state.stackDepth == 0)
  }

  @Test func aViewThatIsGoneLeavesAnErrorNotACrash() throws {
    let state = try makeState()
    let rows = makeRows()
    do {
      let view = try LuaRecordView(in: state, typeName: "city", fields: CityRows.fields, source: rows)
      view.open()
      _ = try state.load("kept = ...; first = kept.city", name: "=keep").call(view, returning: LuaValue.self)
      // Dropped while open: the deinit closes it.
    }
    let error = #expect(throws: LuaError.self) { try state.evaluate("return kept.city", as: LuaValue.self) }
    #expect(error?.message.contains("a city can only be read while the host provides one") == true)
    #expect(try state.evaluate("return first") == "Osaka")
  }

  @Test func fieldsReadNamesTheFieldsAScriptTouched() throws {
    let state = try makeState()
    let rows = makeRows()
    let view = try LuaRecordView(in: state, typeName: "city", fields: CityRows.fields, source: rows)
    // Which fields it reads depends on what it read: `share` only for coastal cities.
    let predicate = try state.load(
      "return function(r) if r.coastal then return r.share > 0.2 end return r.population > 0 end", name: "=p"
    ).call(returning: LuaFunction.self)
    var reads: [UInt64] = []
    for index in rows.rows.indices {
      rows.current = index
      view.open()
      view.forgetFieldsRead()
      _ = try predicate.call(view, returning: LuaTruth.self)
      reads.append(view.fieldsRead)
      view.close()
    }
    // coastal is field 3, share 2, population 1; the first read of each went to Swift.
    #expect(reads == [0b1100, 0b1010, 0b1010, 0b1100])
    view.open()
    view.forgetFieldsRead()
    // An unknown key is no field: nothing counted.
    _ = try? state.load("local r = ...; return r.town", name: "=u").call(view, returning: LuaValue.self)
    #expect(view.fieldsRead == 0)
    _ = try state.load("local r = ...; return r.label", name: "=l").call(view, returning: LuaValue.self)
    #expect(view.fieldsRead == 1 << 5)
    view.close()
  }

  @Test func resetSymbolsForgetsCachedStrings() throws {
    let state = try makeState()
    let rows = makeRows()
    let view = try LuaRecordView(in: state, typeName: "city", fields: CityRows.fields, source: rows)
    let city = try state.load("return (...).city", name: "=city")
    view.open()
    #expect(try city.call(view, returning: String.self) == "Osaka")
    view.close()
    rows.symbols[0] = Array("Busan".utf8)
    view.open()
    #expect(try city.call(view, returning: String.self) == "Osaka")  // cached: ids kept their meaning
    view.close()
    try view.resetSymbols()
    view.open()
    #expect(try city.call(view, returning: String.self) == "Busan")
    view.close()
    #expect(rows.symbolCalls == 2)
    #expect(try state.stackDepth == 0)
  }
}
