// swift-tools-version: 6.0
//
// Coverage-guided libFuzzer targets for blazeface's parsers of outside data. A package of its own,
// so that the library package stays a clean dependency; built and run by scripts/fuzz.sh
// (-sanitize=fuzzer,address). Each target reads one input and must never trap, hang or leak.
import PackageDescription

let package = Package(
    name: "blazeface-fuzz",
    dependencies: [.package(name: "blazeface", path: "..")],
    targets: [
        // LLVMFuzzerRunDriver glue shared by every target.
        .target(name: "FuzzDriver"),
        // Model reader plus CompiledModel preparation (every op's checks).
        .executableTarget(name: "fuzz-model", dependencies: [
            "FuzzDriver", .product(name: "TFLite", package: "blazeface"), .product(name: "Engine", package: "blazeface"),
        ]),
        // Every image decoder (sniffed by content), EXIF, and the scaled JPEG decode.
        .executableTarget(name: "fuzz-image", dependencies: ["FuzzDriver", .product(name: "Imaging", package: "blazeface")]),
        // The .npy reader.
        .executableTarget(name: "fuzz-npy", dependencies: ["FuzzDriver", .product(name: "Engine", package: "blazeface")]),
        // The MATLAB level-5 reader (WIDER's .mat ground truth), zlib elements included.
        .executableTarget(name: "fuzz-mat", dependencies: ["FuzzDriver", .product(name: "Evaluation", package: "blazeface")]),
        // WIDER text ground truth and prediction parsers.
        .executableTarget(name: "fuzz-wider", dependencies: ["FuzzDriver", .product(name: "Evaluation", package: "blazeface")]),
    ],
    swiftLanguageModes: [.v6]
)
