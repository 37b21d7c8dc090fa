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
        .library(name: "Installation", targets: ["Installation"]),
        .library(name: "Anonymizer", targets: ["Anonymizer"]),
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
        // WIDER FACE ground truth (MAT level 5 and text), official and ST protocols, PR curves.
        .target(name: "Evaluation", dependencies: ["CZlib"]),
        // Anchors, decoding, NMS, faces, and the FaceDetector facade.
        .target(name: "BlazeFace", dependencies: ["Engine", "TFLite", "Imaging"]),
        // Masking (blur, mosaic, solid), aligned crops, a face tracker, an AsyncSequence of
        // tracked frames, and video through Debian's ffmpeg/ffprobe as subprocesses.
        .target(name: "Anonymizer", dependencies: ["BlazeFace", "Imaging"]),
        // The package version, and the models folder of an installed binary (scripts/install.sh).
        .target(name: "Installation"),
        // Command-line tool, built as `blazeface`.
        .executableTarget(
            name: "BlazeFaceCLI",
            dependencies: [
                "TFLite", "Engine", "Imaging", "BlazeFace", "Evaluation", "Installation", "Anonymizer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test helpers: locating ../shared, golden files, a FlatBuffer writer, a seeded PRNG.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TFLiteTests", dependencies: ["TFLite", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TFLite", "TestSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "CWebP", "CPNG", "TestSupport"]),
        .testTarget(name: "BlazeFaceTests", dependencies: ["BlazeFace", "Imaging", "Engine", "TestSupport"]),
        // Runs scripts/install.sh into a temporary prefix; the version and CHANGELOG agree.
        .testTarget(name: "InstallationTests", dependencies: ["Installation", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "CZlib", "TestSupport"]),
        .testTarget(name: "AnonymizerTests", dependencies: ["Anonymizer", "BlazeFace", "Imaging", "TestSupport"]),
        // Runs the built `blazeface` binary.
        .testTarget(name: "CLITests", dependencies: ["Engine", "Imaging", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
