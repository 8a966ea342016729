import Testing

@testable import LuaKit

struct KPI: Codable, Equatable {
  var id: String
  var weight: Double
  var target: Double?
  var better: String
}

struct Scorecard: Codable, Equatable {
  var name: String
  var grain: String
  var minN: Int
  var kpis: [KPI]
  var tags: [String]
  var thresholds: [String: Double]
  var active: Bool
}

struct Empties: Codable, Equatable {
  var list: [Int]
  var map: [String: Int]
}

@Suite("Codable bridging")
struct CodableTests {
  let sample = Scorecard(
    name: "JP vendor weekly", grain: "site", minN: 30,
    kpis: [
      KPI(id: "qa_accuracy", weight: 0.4, target: 0.97, better: "higher"),
      KPI(id: "critical_errors", weight: 0.2, target: nil, better: "lower"),
    ],
    tags: ["jp", "weekly"], thresholds: ["green": 90, "amber": 75], active: true)

  @Test func nestedStructsRoundTrip() throws {
    let state = try makeState()
    let value = try LuaEncoder().encode(sample, in: state)
    let decoded = try LuaDecoder(rootName: "scorecard").decode(Scorecard.self, from: value, in: state)
    #expect(decoded == sample)
    #expect(try state.stackDepth == 0)
  }

  @Test func encodedTablesLookNaturalToLua() throws {
    let state = try makeState()
    let value = try LuaEncoder().encode(sample, in: state)
    let inspect = try state.load(
      """
      local s = ...
      return s.kpis[2].id, s.kpis[2].target == nil, #s.kpis, math.type(s.minN), math.type(s.kpis[1].weight),
        s.thresholds.green, s.active
      """, name: "=inspect")
    let values = try inspect.callReturningAll(value)
    #expect(
      values.map { "\($0.scalar ?? "nil")" } == ["critical_errors", "true", "2", "integer", "float", "90.0", "true"])
  }

  @Test func decodingErrorsNameThePath() throws {
    let state = try makeState()
    let table: LuaValue = try state.load(
      """
      return { name = "x", grain = "site", minN = 30, tags = {}, thresholds = {}, active = true,
        kpis = { {id = "a", weight = 1, better = "higher"}, {id = "b", weight = 1, better = "higher"},
                 {id = "c", weight = "heavy", better = "higher"} } }
      """, name: "=t"
    ).call()
    let error = #expect(throws: LuaError.self) {
      try LuaDecoder(rootName: "scorecard").decode(Scorecard.self, from: table, in: state)
    }
    #expect(error?.kind == .conversion)
    #expect(error?.message == "scorecard.kpis[3].weight: expected number, got string")
  }

  @Test func missingFieldsAndWrongShapesAreNamed() throws {
    let state = try makeState()
    func decodeError(_ source: String) throws -> String? {
      let value: LuaValue = try state.load(source, name: "=t").call()
      do {
        _ = try LuaDecoder(rootName: "kpi").decode(KPI.self, from: value, in: state)
        return nil
      } catch let error as LuaError {
        return error.message
      }
    }
    #expect(try decodeError("return {id = 'a', better = 'x'}") == "kpi.weight: missing (expected number)")
    #expect(try decodeError("return 5") == "kpi: expected table, got number")
    #expect(
      try decodeError("return {id = 'a', weight = 1, better = print}") == "kpi.better: expected string, got function")
    #expect(try decodeError("return {id = 'a', weight = 1, better = 'x', target = 0.5}") == nil)
  }

  @Test func integersAndFloats() throws {
    struct Numbers: Codable { var count: Int; var ratio: Double }
    let state = try makeState()
    let exact: LuaValue = try state.load("return {count = 3.0, ratio = 2}", name: "=t").call()
    let numbers = try LuaDecoder().decode(Numbers.self, from: exact, in: state)
    #expect(numbers.count == 3 && numbers.ratio == 2)
    let fractional: LuaValue = try state.load("return {count = 3.5, ratio = 2}", name: "=t").call()
    let error = #expect(throws: LuaError.self) {
      try LuaDecoder(rootName: "n").decode(Numbers.self, from: fractional, in: state)
    }
    #expect(error?.message == "n.count: expected integer, got number 3.5")
  }

  @Test func emptyTableIsBothEmptyArrayAndEmptyRecord() throws {
    let state = try makeState()
    let encoded = try LuaEncoder().encode(Empties(list: [], map: [:]), in: state)
    let kinds = try state.load(
      "local e = ... return type(e.list), next(e.list) == nil, type(e.map), next(e.map) == nil", name: "=k"
    ).callReturningAll(encoded)
    #expect(kinds.map { "\($0.scalar ?? "nil")" } == ["table", "true", "table", "true"])
    let fromLua: LuaValue = try state.load("return {list = {}, map = {}}", name: "=t").call()
    #expect(try LuaDecoder().decode(Empties.self, from: fromLua, in: state) == Empties(list: [], map: [:]))
    let wrongShape: LuaValue = try state.load("return {list = {a = 1}, map = {}}", name: "=t").call()
    let error = #expect(throws: LuaError.self) {
      try LuaDecoder(rootName: "e").decode(Empties.self, from: wrongShape, in: state)
    }
    #expect(error?.message == "e.list: expected a sequence (keys 1...n), got a table with other keys")
  }

  @Test func cyclesAreRefused() throws {
    let state = try makeState()
    let cyclic: LuaValue = try state.load("local t = {} t.kpis = {t} return t", name: "=t").call()
    let error = #expect(throws: LuaError.self) {
      try LuaDecoder(rootName: "s").decode(Scorecard.self, from: cyclic, in: state)
    }
    #expect(error?.message.contains("refers to itself") == true)
  }

  @Test func specialFloatsAndUnicodeSurvive() throws {
    struct Odd: Codable { var values: [Double]; var text: String }
    let state = try makeState()
    let value = try LuaEncoder().encode(Odd(values: [.infinity, -.infinity, -0.0], text: "a\u{0}日本"), in: state)
    let back = try LuaDecoder().decode(Odd.self, from: value, in: state)
    #expect(back.values == [.infinity, -.infinity, -0.0])
    #expect(back.text == "a\u{0}日本")
  }
}

@Suite("Codable bridge bounds")
struct CodableBoundsTests {
  @Test func aTableSharedManyTimesIsRefusedNotExpanded() throws {
    let state = try makeState()
    let values = try state.load(
      "local t = {1} for i = 1, 60 do t = {t, t} end return t", name: "@shared.lua"
    ).callReturningAll()
    let error = #expect(throws: LuaError.self) {
      _ = try LuaDecoder(rootName: "t").decode([LuaDecodedAny].self, from: values[0], in: state)
    }
    #expect(error?.message.contains("more than 1000000 values") == true, "\(String(describing: error))")
  }
}

/// Any nested array of numbers, to decode a deep shared table.
indirect enum LuaDecodedAny: Decodable {
  case number(Double)
  case list([LuaDecodedAny])

  init(from decoder: any Decoder) throws {
    if let value = try? decoder.singleValueContainer().decode(Double.self) {
      self = .number(value)
    } else {
      self = .list(try [LuaDecodedAny](from: decoder))
    }
  }
}
