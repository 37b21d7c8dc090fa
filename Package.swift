// swift-tools-version: 6.0
//
// blazeface: BlazeFace face detection in Swift, with a bit-exact TFLite engine.
//
// Layers, bottom to top:
//   TFLite      - bounds-checked, zero-copy reader of .tflite flatbuffers (no I/O beyond reading a file)
//   CKernels    - x86-64 microkernels, one kernel family per file, chosen at run time by Engine
//   Engine      - interpreter: op registry (Ops/), kernel variants per ISA (Kernels/<Op>/), memory planner
//   ModelTools  - around the engine: NumPy files, the inspect report, benchmarks
//   Imaging     - image decoding (libjpeg-turbo, libpng, libwebp), resampling, drawing, encoding
//   BlazeFace   - model families, the detection entry point (one pass and tiles), decoding, NMS
//   FaceFormats - output formats behind one FaceWriter protocol (JSON, JSON lines, CSV, WIDER, COCO)
//   Evaluation  - WIDER FACE ground truth and AP (official and ST protocols)
//   Installation - the version, and where an installed binary finds its models
//   FaceService - the HTTP service (`blazeface serve`) on Hummingbird 2
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
        .library(name: "FaceFormats", targets: ["FaceFormats"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "Installation", targets: ["Installation"]),
        .library(name: "Anonymizer", targets: ["Anonymizer"]),
        .library(name: "Quantizer", targets: ["Quantizer"]),
        .library(name: "FaceService", targets: ["FaceService"]),
        .executable(name: "blazeface", targets: ["BlazeFaceCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The HTTP service (FaceService): Hummingbird 2, logging, metrics as Prometheus text, signals.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Tests only: a real HTTP client against the running server, and a YAML parser for deploy/.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Model file reader.
        .target(name: "TFLite"),
        // x86-64 microkernels (AVX-512/VNNI), selected at run time by Engine; no unsafe flags.
        .target(name: "CKernels"),
        // The static op plan layout of a model exported for a microcontroller (C header, data only).
        .target(name: "CMicroPlan"),
        // int8 kernels, the plan runner and face decoding in the Embedded Swift subset: the host
        // engine's `micro` kernels and, from the same source, the Cortex-M firmware's (scripts/mcu.sh).
        .target(name: "MicroKernels", dependencies: ["CMicroPlan"]),
        // Inference engine.
        .target(name: "Engine", dependencies: ["TFLite", "CKernels", "CMicroPlan", "MicroKernels"]),
        // Tools around the engine: NumPy .npy files, the inspect report, latency benchmarks.
        .target(name: "ModelTools", dependencies: ["Engine", "TFLite"]),
        // Image codecs through the system's C libraries (Debian/Ubuntu: libturbojpeg0-dev,
        // libpng-dev, libwebp-dev; Fedora/RHEL: turbojpeg-devel, libpng-devel, libwebp-devel;
        // Homebrew: jpeg-turbo, libpng, webp). pkgConfig finds them where they are not in the
        // default paths; providers make SwiftPM name the package to install when one is missing.
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG", pkgConfig: "libturbojpeg",
                       providers: [.apt(["libturbojpeg0-dev"]), .yum(["turbojpeg-devel"]), .brew(["jpeg-turbo"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng16",
                       providers: [.apt(["libpng-dev"]), .yum(["libpng-devel"]), .brew(["libpng"])]),
        .systemLibrary(name: "CWebP", path: "Sources/CWebP", pkgConfig: "libwebp",
                       providers: [.apt(["libwebp-dev"]), .yum(["libwebp-devel"]), .brew(["webp"])]),
        // Decoding, EXIF orientation, resampling, letterbox/stretch, drawing, encoding.
        .target(name: "Imaging", dependencies: ["CTurboJPEG", "CPNG", "CWebP"]),
        // zlib, for compressed elements of MATLAB files.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"]), .yum(["zlib-devel"]), .brew(["zlib"])]),
        // Model families, anchors, decoding, NMS, faces, and the FaceDetector entry point.
        .target(name: "BlazeFace", dependencies: ["Engine", "TFLite", "Imaging", "Installation"]),
        // Output formats: the FaceWriter protocol and its JSON, JSON lines, CSV, WIDER and COCO writers.
        .target(name: "FaceFormats", dependencies: ["BlazeFace"]),
        // WIDER FACE ground truth (MAT level 5 and text), official and ST protocols, PR curves.
        .target(name: "Evaluation", dependencies: ["CZlib", "FaceFormats", "TFLite"]),
        // Masking (blur, mosaic, solid), aligned crops, a face tracker, an AsyncSequence of
        // tracked frames, and video through Debian's ffmpeg/ffprobe as subprocesses.
        .target(name: "Anonymizer", dependencies: ["BlazeFace", "Imaging"]),
        // The package version, and the models folder of an installed binary (scripts/install.sh).
        .target(name: "Installation"),
        // Post-training int8 quantization of float models: calibration, TFLite conventions, SQNR report.
        .target(name: "Quantizer", dependencies: ["TFLite", "Engine", "Imaging", "BlazeFace"]),
        // The HTTP service behind `blazeface serve`: endpoints, limits, admission, metrics, the web page.
        .target(
            name: "FaceService",
            dependencies: [
                "BlazeFace", "FaceFormats", "Imaging", "Anonymizer", "Installation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Export for microcontrollers: the firmware's plan from the host's, run on the host, written as C.
        .target(name: "MicroExport", dependencies: ["BlazeFace", "Engine", "ModelTools", "TFLite", "CMicroPlan", "MicroKernels"]),
        // Command-line tool, built as `blazeface`.
        .executableTarget(
            name: "BlazeFaceCLI",
            dependencies: [
                "TFLite", "Engine", "ModelTools", "Imaging", "BlazeFace", "FaceFormats", "Evaluation", "Installation", "Anonymizer", "Quantizer", "MicroExport", "FaceService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test helpers: locating ../shared, golden files, a FlatBuffer writer, a seeded PRNG.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // Kernel testers (XNNPACK style): every registered variant of an op against its reference.
        .target(name: "KernelTesting", dependencies: ["Engine", "TestSupport"], path: "Tests/KernelTesting"),
        .testTarget(name: "TFLiteTests", dependencies: ["TFLite", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "ModelTools", "TFLite", "TestSupport", "KernelTesting", "CKernels"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "CWebP", "CPNG", "TestSupport"]),
        .testTarget(name: "BlazeFaceTests", dependencies: ["BlazeFace", "Imaging", "Engine", "TestSupport"]),
        // Runs scripts/install.sh into a temporary prefix; the version and CHANGELOG agree.
        .testTarget(name: "InstallationTests", dependencies: ["Installation", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "CZlib", "TestSupport"]),
        .testTarget(name: "FaceFormatsTests", dependencies: ["FaceFormats", "BlazeFace", "TestSupport"]),
        .testTarget(name: "AnonymizerTests", dependencies: ["Anonymizer", "BlazeFace", "Imaging", "TestSupport"]),
        .testTarget(name: "QuantizerTests", dependencies: ["Quantizer", "TFLite", "Engine", "BlazeFace", "Imaging", "TestSupport"]),
        .testTarget(name: "MicroExportTests", dependencies: ["MicroExport", "BlazeFace", "Engine", "Imaging", "CMicroPlan", "TestSupport"]),
        // Runs the built `blazeface` binary.
        .testTarget(name: "CLITests", dependencies: ["Engine", "ModelTools", "Imaging", "TestSupport"]),
        // Runs `blazeface serve` on a loopback port and talks to it over HTTP; checks deploy/.
        .testTarget(name: "ServiceTests", dependencies: [
            "FaceService", "Imaging", "TestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Yams", package: "Yams"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
