// swift-tools-version: 6.0
//
// blazeface: BlazeFace face detection in Swift, with a bit-exact TFLite engine.
//
// Layers, bottom to top:
//   TFLite   - bounds-checked, zero-copy reader of .tflite flatbuffers (no I/O beyond reading a file)
//   Engine   - interpreter: memory planner, op prepare/eval, reference kernels (the exact oracle)
//   blazeface (BlazeFaceCLI) - the command-line tool
import PackageDescription

let package = Package(
    name: "blazeface",
    products: [
        .library(name: "TFLite", targets: ["TFLite"]),
        .library(name: "Engine", targets: ["Engine"]),
        .executable(name: "blazeface", targets: ["BlazeFaceCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Model file reader.
        .target(name: "TFLite"),
        // Inference engine.
        .target(name: "Engine", dependencies: ["TFLite"]),
        // Command-line tool, built as `blazeface`.
        .executableTarget(
            name: "BlazeFaceCLI",
            dependencies: [
                "TFLite", "Engine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test helpers: locating ../shared, golden files, a FlatBuffer writer, a seeded PRNG.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TFLiteTests", dependencies: ["TFLite", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TFLite", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
