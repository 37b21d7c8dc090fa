// swift-tools-version: 6.0
//
// blazeface: BlazeFace face detection in Swift, with a bit-exact TFLite engine.
//
// Layers, bottom to top:
//   TFLite   - bounds-checked, zero-copy reader of .tflite flatbuffers (no I/O beyond reading a file)
//   Engine   - interpreter: op registry (Ops/), kernel variants per ISA (Kernels/<Op>/), memory planner
//   ModelTools - around the engine: NumPy files, the inspect report, benchmarks
//   blazeface (BlazeFaceCLI) - the command-line tool
import PackageDescription

let package = Package(
    name: "blazeface",
    products: [
        .library(name: "TFLite", targets: ["TFLite"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "ModelTools", targets: ["ModelTools"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "BlazeFace", targets: ["BlazeFace"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
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
        // Tools around the engine: NumPy .npy files, the inspect report, latency benchmarks.
        .target(name: "ModelTools", dependencies: ["Engine", "TFLite"]),
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
        // Command-line tool, built as `blazeface`.
        .executableTarget(
            name: "BlazeFaceCLI",
            dependencies: [
                "TFLite", "Engine", "ModelTools", "Imaging", "BlazeFace", "Evaluation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test helpers: locating ../shared, golden files, a FlatBuffer writer, a seeded PRNG.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // Kernel testers (XNNPACK style): every registered variant of an op against its reference.
        .target(name: "KernelTesting", dependencies: ["Engine", "TestSupport"], path: "Tests/KernelTesting"),
        .testTarget(name: "TFLiteTests", dependencies: ["TFLite", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "ModelTools", "TFLite", "TestSupport", "KernelTesting", "CKernels"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "TestSupport"]),
        .testTarget(name: "BlazeFaceTests", dependencies: ["BlazeFace", "Imaging", "Engine", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "CZlib", "TestSupport"]),
        // Runs the built `blazeface` binary.
        .testTarget(name: "CLITests", dependencies: ["Engine", "ModelTools", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
