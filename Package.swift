// swift-tools-version: 6.2
// 6.2 is the real minimum: the code uses `InlineArray` and `nonisolated(nonsending)`.
import PackageDescription

let strictSwift: [SwiftSetting] = [
  .swiftLanguageMode(.v6),
  .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
  name: "Caliper",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "LuaKit", targets: ["LuaKit"]),
    .library(name: "CaliperCore", targets: ["CaliperCore"]),
    .library(name: "CaliperScripting", targets: ["CaliperScripting"]),
    .library(name: "CaliperSQLite", targets: ["CaliperSQLite"]),
    .executable(name: "caliper", targets: ["caliper"]),
    .executable(name: "caliper-bench", targets: ["caliper-bench"]),
    .plugin(name: "CaliperEval", targets: ["CaliperEval"]),
    .plugin(name: "CaliperPackValidator", targets: ["CaliperPackValidator"]),
    .plugin(name: "CaliperTest", targets: ["CaliperTest"]),
    .plugin(name: "CaliperDocs", targets: ["CaliperDocs"]),
    .executable(name: "caliper-pack-check", targets: ["caliper-pack-check"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // SHA-256 content hashes of packs and data files in every report (reproducibility).
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    // The SQLite data source and `caliper import` (system libsqlite3).
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    // `swift package generate-documentation`: the DocC catalogs of the public modules.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    // Benchmarks only: the CSV libraries the hand-written reader is measured against.
    .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
  ],
  targets: [
    // The system Lua 5.4 (Debian liblua5.4-dev / Homebrew lua); no vendored source.
    .systemLibrary(
      name: "CLua",
      pkgConfig: "lua5.4",
      providers: [.apt(["liblua5.4-dev"]), .brew(["lua"])]
    ),
    // Generic, domain-free Lua runtime.
    .target(name: "LuaKit", dependencies: ["CLua"], swiftSettings: strictSwift),
    // Domain model, ingestion and statistics; pure Swift, no Lua.
    .target(
      name: "CaliperCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: strictSwift
    ),
    // The data contract as an SQLite file: a data source and the importer (GRDB).
    .target(
      name: "CaliperSQLite",
      dependencies: [
        "CaliperCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: strictSwift),
    // The `caliper` Lua module and the pack runner.
    .target(
      name: "CaliperScripting",
      dependencies: ["LuaKit", "CaliperCore", .product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: strictSwift),
    .executableTarget(
      name: "caliper",
      dependencies: [
        "CaliperScripting",
        "CaliperSQLite",
        "LuaKit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strictSwift
    ),
    .executableTarget(
      name: "caliper-fuzz", dependencies: ["LuaKit", "CaliperCore", "CaliperScripting"], swiftSettings: strictSwift),
    .executableTarget(
      name: "caliper-bench",
      dependencies: [
        "LuaKit", "CLua", "CaliperScripting", "CaliperCore", .product(name: "CSV", package: "CSV.swift"),
        .product(name: "SwiftCSV", package: "SwiftCSV"),
      ],
      exclude: ["anchors"],  // the DuckDB anchor script `caliper-bench anchor` runs
      swiftSettings: strictSwift
    ),
    // Loads packs and prints each problem as a compiler diagnostic (the validator plugin's tool).
    .executableTarget(name: "caliper-pack-check", dependencies: ["CaliperScripting"], swiftSettings: strictSwift),
    // A host target that bundles packs gets them checked at build time, errors at file and line.
    .plugin(name: "CaliperPackValidator", capability: .buildTool(), dependencies: ["caliper-pack-check"]),
    // `swift package caliper-test`: every bundled pack's tests, with this package's caliper tool.
    .plugin(
      name: "CaliperTest",
      capability: .command(
        intent: .custom(verb: "caliper-test", description: "Run the tests of every bundled Caliper pack")),
      dependencies: ["caliper"]
    ),
    // `swift package caliper-docs`: a Markdown reference of every bundled pack.
    .plugin(
      name: "CaliperDocs",
      capability: .command(
        intent: .custom(verb: "caliper-docs", description: "Write a Markdown reference of every bundled Caliper pack")),
      dependencies: ["caliper"]
    ),
    // `swift package caliper-eval FILE.lua`: run pack scripts with this package's caliper tool.
    .plugin(
      name: "CaliperEval",
      capability: .command(
        intent: .custom(verb: "caliper-eval", description: "Run Lua scripts in Caliper's sandbox")),
      dependencies: ["caliper"]
    ),
    .testTarget(name: "LuaKitTests", dependencies: ["LuaKit", "CLua"], swiftSettings: strictSwift),
    // Fixtures are read from the source tree (see StatisticsFixtures.swift), not bundled.
    .testTarget(
      name: "CaliperCoreTests", dependencies: ["CaliperCore"], exclude: ["Fixtures"], swiftSettings: strictSwift),
    // Runs the built `caliper` executable as users do (exit codes, errors, formats).
    // ... and replays the fuzz targets' committed corpus (Fuzz/corpus) through caliper-fuzz.
    .testTarget(name: "CaliperCLITests", dependencies: ["caliper", "caliper-fuzz"], swiftSettings: strictSwift),
    // Golden reports are read from the source tree (see GoldenReportTests.swift), not bundled.
    // The SQLite source against the CSV folder it was imported from (reports, records, errors).
    .testTarget(
      name: "CaliperSQLiteTests", dependencies: ["CaliperSQLite", "CaliperScripting", "CaliperCore"],
      swiftSettings: strictSwift),
    .testTarget(
      name: "CaliperScriptingTests",
      dependencies: ["CaliperScripting", "CaliperCore", "LuaKit"],
      exclude: ["Golden"],
      swiftSettings: strictSwift
    ),
  ]
)
