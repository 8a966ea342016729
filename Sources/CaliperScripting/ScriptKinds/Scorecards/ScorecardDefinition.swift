import CaliperCore
import LuaKit

/// Which way a KPI is good.
public enum Direction: String, Sendable, Codable {
  /// Higher values are better (accuracy).
  case higher
  /// Lower values are better (handle time, error rates).
  case lower
}

/// How a KPI's value reads in reports.
public enum KPIFormat: String, Sendable, Codable, CaseIterable {
  /// A proportion shown as a percentage: `97.1%`.
  case percent
  /// A plain number: `0.8123`.
  case number
  /// Seconds: `12.5 s`.
  case seconds
  /// Per thousand: `3.2‰`.
  case rate_per_1000
  /// A whole count: `1,204`.
  case count
}

/// A score band: scores at or above `min` get `label` (the last band has no minimum).
struct Band: Sendable, Codable, Equatable {
  var min: Double?
  var label: String
}

/// One KPI as declared (or overridden) by a pack.
struct KPIDefinition {
  var id: String
  var label: String
  var weight: Double
  var target: Double?
  var better: Direction
  var minN: Int?
  var format: KPIFormat
  var value: LuaFunction
  /// The pack that last defined or changed this KPI.
  var source: String
}

/// A custom measure over decision rows (`caliper.measure`).
struct MeasureDefinition {
  enum Reduce: String, CaseIterable { case count, sum, mean, rate }
  var id: String
  var reduce: Reduce
  var predicate: LuaFunction?
  var of: LuaFunction?
}

/// A scorecard as a pack declares it, after `base` is resolved.
struct ScorecardDefinition {
  var id: String
  var name: String
  var pack: String
  var file: String
  var grain: Grain
  var period: PeriodGrain
  var filter: RowFilter
  var minN: Int
  var kpis: [KPIDefinition]
  var bands: [Band]
  var findings: [(pack: String, hook: LuaFunction)]
  var measures: [MeasureDefinition]
  /// Market, queue, vendor, site and line-of-business names its filter (or its pack's
  /// markets) uses: checked against each run's data, since packs are compiled once and run on
  /// any data.
  var namedValues: [NamedValues] = []

  var grouping: Grouping { Grouping(grain: grain, period: period, filter: filter) }

  /// `pack/id`: names this scorecard among every selected pack's, and matches the copies of
  /// it that each worker's state holds.
  var key: String { "\(pack)/\(id)" }
}

/// Reads a scorecard table returned by a script into a definition.
struct ScorecardReader: DeclarationReading {
  let pack: String
  let file: String

  func read(_ table: LuaTable, fallbackID: String, base: ScorecardDefinition?) throws -> ScorecardDefinition {
    let id = try get(table, "id", "", as: String.self) ?? base?.id ?? fallbackID
    let name = try get(table, "name", "", as: String.self) ?? base?.name ?? id
    let grain = try choice(table, "grain", Grain.self) ?? base?.grain
    guard let grain else {
      throw fail("grain", "required: one of \(Grain.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    let period = try choice(table, "period", PeriodGrain.self) ?? base?.period ?? .week
    let declared = try readFilter(table)
    let filter = declared?.filter ?? base?.filter ?? RowFilter()
    let namedValues = declared?.namedValues ?? base?.namedValues ?? []
    let minN = try get(table, "min_n", "", as: Int.self) ?? base?.minN ?? 30
    var kpis = base?.kpis ?? []
    for (index, entry) in try list(try get(table, "kpis", "", as: LuaTable.self)).enumerated() {
      guard case .table(let kpiTable) = entry else {
        throw fail("kpis[\(index + 1)]", "expected a table (got \(entry.typeName))")
      }
      let path = "kpis[\(index + 1)]"
      guard let kpiID = try get(kpiTable, "id", path, as: String.self) else { throw fail("\(path).id", "required") }
      let existing = kpis.firstIndex { $0.id == kpiID }
      if try get(kpiTable, "remove", path, as: Bool.self) == true {
        guard let existing else { throw fail(path, "removes KPI '\(kpiID)', which the base does not have") }
        kpis.remove(at: existing)
        continue
      }
      let kpi = try readKPI(kpiTable, path: path, id: kpiID, inherited: existing.map { kpis[$0] })
      if let existing { kpis[existing] = kpi } else { kpis.append(kpi) }
    }
    guard !kpis.isEmpty else { throw fail("kpis", "a scorecard needs at least one KPI") }
    let bands =
      try readBands(table) ?? base?.bands ?? [
        Band(min: 90, label: "green"), Band(min: 75, label: "amber"), Band(min: nil, label: "red"),
      ]
    var findings = base?.findings ?? []
    if let hook = try get(table, "findings", "", as: LuaFunction.self) { findings.append((pack, hook)) }
    var measures = base?.measures ?? []
    for (index, entry) in try list(try get(table, "measures", "", as: LuaTable.self)).enumerated() {
      guard case .table(let measureTable) = entry else {
        throw fail("measures[\(index + 1)]", "expected a table made by caliper.measure (got \(entry.typeName))")
      }
      let measure = try readMeasure(measureTable, path: "measures[\(index + 1)]")
      measures.removeAll { $0.id == measure.id }
      measures.append(measure)
    }
    return ScorecardDefinition(
      id: id, name: name, pack: pack, file: file, grain: grain, period: period, filter: filter, minN: minN,
      kpis: kpis, bands: bands, findings: findings, measures: measures, namedValues: namedValues)
  }

  private func readKPI(_ table: LuaTable, path: String, id: String, inherited: KPIDefinition?) throws -> KPIDefinition {
    let value = try get(table, "value", path, as: LuaFunction.self) ?? inherited?.value
    guard let value else { throw fail("\(path).value", "required: a function(g) returning the KPI's value") }
    let betterText = try get(table, "better", path, as: String.self)
    var better = inherited?.better ?? .higher
    if let betterText {
      guard let parsed = Direction(rawValue: betterText) else {
        throw fail("\(path).better", "expected \"higher\" or \"lower\" (got \"\(betterText)\")")
      }
      better = parsed
    }
    let formatText = try get(table, "format", path, as: String.self)
    var format = inherited?.format ?? .number
    if let formatText {
      guard let parsed = KPIFormat(rawValue: formatText) else {
        let known = KPIFormat.allCases.map(\.rawValue).joined(separator: ", ")
        throw fail("\(path).format", "expected one of \(known) (got \"\(formatText)\")")
      }
      format = parsed
    }
    let weight = try get(table, "weight", path, as: Double.self) ?? inherited?.weight ?? 0
    guard weight >= 0, weight.isFinite else {
      throw fail("\(path).weight", "must be a finite number ≥ 0 (got \(weight))")
    }
    let target = try get(table, "target", path, as: Double.self) ?? inherited?.target
    if let target, !target.isFinite { throw fail("\(path).target", "must be a finite number (got \(target))") }
    return KPIDefinition(
      id: id, label: try get(table, "label", path, as: String.self) ?? inherited?.label ?? id, weight: weight,
      target: target, better: better,
      minN: try get(table, "min_n", path, as: Int.self) ?? inherited?.minN, format: format, value: value,
      source: pack)
  }

  private func readBands(_ table: LuaTable) throws -> [Band]? {
    guard let bandsTable = try get(table, "bands", "", as: LuaTable.self) else { return nil }
    var bands: [Band] = []
    for (index, entry) in try list(bandsTable).enumerated() {
      guard case .table(let band) = entry, let label = try get(band, "label", "bands[\(index + 1)]", as: String.self)
      else { throw fail("bands[\(index + 1)]", "expected { min = number, label = string }") }
      let minimum = try get(band, "min", "bands[\(index + 1)]", as: Double.self)
      if let minimum, !minimum.isFinite {
        throw fail("bands[\(index + 1)].min", "must be a finite number (got \(minimum))")
      }
      bands.append(Band(min: minimum, label: label))
    }
    guard !bands.isEmpty, bands.last?.min == nil else {
      throw fail("bands", "the last band must have no `min` (it catches every lower score)")
    }
    return bands
  }

  private func readFilter(_ table: LuaTable) throws -> (filter: RowFilter, namedValues: [NamedValues])? {
    guard let filterTable = try get(table, "filter", "", as: LuaTable.self) else { return nil }
    var filter = RowFilter()
    var named: [NamedValues] = []
    func names(_ key: String, _ dimension: KnownValues.Dimension) throws -> Set<String> {
      let values = try strings(filterTable, key, "filter")
      named.append(NamedValues(dimension: dimension, names: values, location: "\(pack)/\(file): filter.\(key)"))
      return Set(values)
    }
    filter.markets = try names("market", .market)
    filter.queues = try names("queue", .queue)
    filter.vendors = try names("vendor", .vendor)
    filter.sites = try names("site", .site)
    filter.linesOfBusiness = try names("lob", .lob)
    for (key, keyPath) in [("from", \RowFilter.from), ("to", \RowFilter.through)] {
      if let text = try get(filterTable, key, "filter", as: String.self) {
        guard let date = CalendarDate(parsing: text) else {
          throw fail("filter.\(key)", "expected a date like 2026-07-01 (got \"\(text)\")")
        }
        filter[keyPath: keyPath] = date
      }
    }
    return (filter, named)
  }

  private func readMeasure(_ table: LuaTable, path: String) throws -> MeasureDefinition {
    guard let id = try get(table, "id", path, as: String.self) else { throw fail("\(path).id", "required") }
    let over = try get(table, "over", path, as: String.self) ?? "decisions"
    guard over == "decisions" else { throw fail("\(path).over", "only \"decisions\" is supported (got \"\(over)\")") }
    let reduceText = try get(table, "reduce", path, as: String.self) ?? "count"
    guard let reduce = MeasureDefinition.Reduce(rawValue: reduceText) else {
      let known = MeasureDefinition.Reduce.allCases.map(\.rawValue).joined(separator: ", ")
      throw fail("\(path).reduce", "expected one of \(known) (got \"\(reduceText)\")")
    }
    let predicate = try get(table, "where", path, as: LuaFunction.self)
    let of = try get(table, "of", path, as: LuaFunction.self)
    if reduce == .sum || reduce == .mean, of == nil {
      throw fail("\(path).of", "required for reduce = \"\(reduceText)\": a function(row) returning a number")
    }
    return MeasureDefinition(id: id, reduce: reduce, predicate: predicate, of: of)
  }
}

/// The values a filter may name, from the data's reference files, so that a typo is an error
/// that lists what exists rather than an empty scorecard.
struct KnownValues {
  enum Dimension: String { case market, queue, vendor, site, lob }
  var values: [Dimension: Set<String>]

  init(reference: ReferenceData) {
    var values: [Dimension: Set<String>] = [:]
    for queue in reference.queues.values {
      values[.market, default: []].insert(queue.market)
      values[.queue, default: []].insert(queue.queue)
      values[.lob, default: []].insert(queue.lineOfBusiness)
    }
    for moderator in reference.moderators.values {
      values[.market, default: []].insert(moderator.market)
      values[.vendor, default: []].insert(moderator.vendor)
      values[.site, default: []].insert(moderator.site)
    }
    self.values = values
  }

  /// The first name of `named` this data does not know, as a located error; `nil` when the
  /// data knows them all (or has no reference file that lists the dimension).
  func problem(_ named: NamedValues) -> PackError? {
    guard let known = values[named.dimension], !known.isEmpty,
      let unknown = named.names.first(where: { !known.contains($0) })
    else { return nil }
    let dimension = named.dimension.rawValue
    return PackError(
      location: named.location,
      problem: "unknown \(dimension) \"\(unknown)\" (known: \(known.sorted().joined(separator: ", ")))"
        + (named.fromManifest ? " (filter.\(dimension))" : ""))
  }
}

/// Names a declaration uses in one dimension, and where, checked against each run's data.
struct NamedValues {
  var dimension: KnownValues.Dimension
  var names: [String]
  /// `pack/file: filter.market`, or `pack/pack.lua: markets`.
  var location: String
  /// Whether the names are the pack manifest's markets (a bad one fails the whole run).
  var fromManifest = false
}
