// swift-tools-version: 6.2
// An example host service: Caliper's engine behind HTTP (Hummingbird 2), depending on Caliper by path.
import PackageDescription

let strictSwift: [SwiftSetting] = [.swiftLanguageMode(.v6), .enableUpcomingFeature("ExistentialAny")]

let package = Package(
  name: "CaliperService",
  platforms: [.macOS(.v15)],
  products: [.executable(name: "caliper-service", targets: ["caliper-service"])],
  dependencies: [
    .package(name: "Caliper", path: "../.."),
    // No default traits: the service needs neither swift-configuration nor full Foundation.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
  ],
  targets: [
    .target(
      name: "CaliperServiceKit",
      dependencies: [
        .product(name: "CaliperScripting", package: "Caliper"),
        .product(name: "LuaKit", package: "Caliper"),
        .product(name: "CaliperCore", package: "Caliper"),
        .product(name: "CaliperSQLite", package: "Caliper"),
        .product(name: "Hummingbird", package: "hummingbird"),
      ],
      // Packs the service serves when it is given none; checked at build time.
      resources: [.copy("Packs")],
      swiftSettings: strictSwift,
      plugins: [.plugin(name: "CaliperPackValidator", package: "Caliper")]),
    .executableTarget(
      name: "caliper-service",
      dependencies: ["CaliperServiceKit", .product(name: "CaliperCore", package: "Caliper")],
      swiftSettings: strictSwift),
    // Starts the service on loopback and calls every route over real HTTP (URLSession).
    .testTarget(
      name: "CaliperServiceTests",
      dependencies: ["CaliperServiceKit", .product(name: "CaliperCore", package: "Caliper")],
      swiftSettings: strictSwift),
  ]
)
