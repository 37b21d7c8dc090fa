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
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "BlazeFace", targets: ["BlazeFace"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "Quantizer", targets: ["Quantizer"]),
        .executable(name: "blazeface", targets: ["BlazeFaceCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Model file reader.
        .target(name: "TFLite"),
        // x86-64 microkernels (AVX-512/VNNI), selected at run time by Engine; no unsafe flags.
        .target(name: "CKernels"),
        // Inference engine.
        .target(name: "Engine", dependencies: ["TFLite", "CKernels"]),
        // Image codecs through Debian's C libraries (TurboJPEG API of libjpeg-turbo, libpng).
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", providers: [.apt(["libpng-dev"])]),
        // Decoding, EXIF orientation, resampling, letterbox/stretch, drawing, encoding.
        .target(name: "Imaging", dependencies: ["CTurboJPEG", "CPNG"]),
        // zlib, for compressed elements of MATLAB files.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // WIDER FACE ground truth (MAT level 5 and text), official and ST protocols, PR curves.
        .target(name: "Evaluation", dependencies: ["CZlib"]),
        // Anchors, decoding, NMS, faces, and the FaceDetector facade.
        .target(name: "BlazeFace", dependencies: ["Engine", "TFLite", "Imaging"]),
        // Post-training int8 quantization of float models: calibration, TFLite conventions, SQNR report.
        .target(name: "Quantizer", dependencies: ["TFLite", "Engine", "Imaging", "BlazeFace"]),
        // Command-line tool, built as `blazeface`.
        .executableTarget(
            name: "BlazeFaceCLI",
            dependencies: [
                "TFLite", "Engine", "Imaging", "BlazeFace", "Evaluation", "Quantizer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test helpers: locating ../shared, golden files, a FlatBuffer writer, a seeded PRNG.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TFLiteTests", dependencies: ["TFLite", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TFLite", "TestSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "TestSupport"]),
        .testTarget(name: "BlazeFaceTests", dependencies: ["BlazeFace", "Imaging", "Engine", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "CZlib", "TestSupport"]),
        .testTarget(name: "QuantizerTests", dependencies: ["Quantizer", "TFLite", "Engine", "BlazeFace", "Imaging", "TestSupport"]),
        // Runs the built `blazeface` binary.
        .testTarget(name: "CLITests", dependencies: ["Engine", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
