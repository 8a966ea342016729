import LuaKit

/// What every pack script kind's reader shares: it reads the table one script returned, and
/// its errors name pack, file and field path (`jp/scorecards/x.lua: kpis[2].value`).
protocol DeclarationReading {
  /// The pack the script belongs to.
  var pack: String { get }
  /// The script, relative to its pack.
  var file: String { get }
}

extension DeclarationReading {
  func fail(_ path: String, _ problem: String) -> PackError {
    PackError(location: "\(pack)/\(file)" + (path.isEmpty ? "" : ": \(path)"), problem: problem)
  }

  func get<T: LuaReadable>(_ table: LuaTable, _ key: String, _ path: String, as type: T.Type) throws -> T? {
    do { return try table.get(key, as: T?.self) } catch {
      throw fail(path.isEmpty ? key : "\(path).\(key)", "\(error)")
    }
  }

  /// The table's `params` (numbers, strings or booleans by name) over the inherited `base`,
  /// key by key.
  func params(_ table: LuaTable, base: [String: LuaValue]) throws -> [String: LuaValue] {
    var params = base
    guard let paramsTable = try get(table, "params", "", as: LuaTable.self) else { return params }
    for (key, value) in try paramsTable.pairs() {
      guard case .string(let name) = key else { throw fail("params", "keys must be strings (got \(key.typeName))") }
      switch value {
      case .integer, .number, .string, .boolean: params[name] = value
      default: throw fail("params.\(name)", "must be a number, a string or a boolean (got \(value.typeName))")
      }
    }
    return params
  }

  /// Applies the script's list `key` (`rules`, `modules`) to the inherited `items` by id: an
  /// entry with an inherited id changes that item (`read` gets it), `remove = true` drops it,
  /// any other id is added; an id twice in one list is an error.
  func merged<Item>(
    _ table: LuaTable, _ key: String, into items: [Item], id: (Item) -> String, noun: String,
    read: (_ entry: LuaTable, _ id: String, _ path: String, _ inherited: Item?) throws -> Item
  ) throws -> [Item] {
    var items = items
    var seen: Set<String> = []
    for (index, entry) in try list(try get(table, key, "", as: LuaTable.self)).enumerated() {
      let path = "\(key)[\(index + 1)]"
      guard case .table(let entryTable) = entry else { throw fail(path, "expected a table (got \(entry.typeName))") }
      guard let entryID = try get(entryTable, "id", path, as: String.self) else { throw fail("\(path).id", "required") }
      guard seen.insert(entryID).inserted else { throw fail("\(path).id", "\(noun) id '\(entryID)' is used twice") }
      let existing = items.firstIndex { id($0) == entryID }
      if try get(entryTable, "remove", path, as: Bool.self) == true {
        guard let existing else { throw fail(path, "removes \(noun) '\(entryID)', which the base does not have") }
        items.remove(at: existing)
        continue
      }
      let item = try read(entryTable, entryID, path, existing.map { items[$0] })
      if let existing { items[existing] = item } else { items.append(item) }
    }
    return items
  }

  func list(_ table: LuaTable?) throws -> [LuaValue] {
    guard let table else { return [] }
    return try table.pairs().compactMap { pair -> (Int64, LuaValue)? in
      if case .integer(let index) = pair.key { return (index, pair.value) }
      return nil
    }.sorted { $0.0 < $1.0 }.map(\.1)
  }

  func strings(_ table: LuaTable, _ key: String, _ path: String) throws -> [String] {
    let raw = try table.get(key, as: LuaValue.self)
    switch raw {
    case .nil: return []
    case .string(let value): return [value]
    case .table(let values):
      return try list(values).enumerated().map { index, value in
        guard case .string(let text) = value else {
          throw fail("\(path).\(key)[\(index + 1)]", "expected a string (got \(value.typeName))")
        }
        return text
      }
    default: throw fail("\(path).\(key)", "expected a string or a list of strings (got \(raw.typeName))")
    }
  }

  func choice<T: RawRepresentable & CaseIterable>(
    _ table: LuaTable, _ key: String, _ type: T.Type, path: String = ""
  ) throws
    -> T? where T.RawValue == String
  {
    guard let text = try get(table, key, path, as: String.self) else { return nil }
    guard let value = T(rawValue: text) else {
      throw fail(
        path.isEmpty ? key : "\(path).\(key)",
        "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")) (got \"\(text)\")")
    }
    return value
  }
}
