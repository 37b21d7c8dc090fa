// swift-tools-version: 6.0
//
// Coverage-guided libFuzzer targets for blazeface's parsers of outside data. A package of its own,
// so that the library package stays a clean dependency; built and run by scripts/fuzz.sh
// (-sanitize=fuzzer,address). Each target reads one input and must never trap, hang or leak.
import PackageDescription

let package = Package(
    name: "blazeface-fuzz",
    dependencies: [
        .package(name: "blazeface", path: ".."),
        // The http target parses raw bytes as the server does: NIO's HTTP/1 decoder, then
        // Hummingbird's types (the same versions as the library's, resolved together).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
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
        .executableTarget(name: "fuzz-npy", dependencies: ["FuzzDriver", .product(name: "ModelTools", package: "blazeface")]),
        // The MATLAB level-5 reader (WIDER's .mat ground truth), zlib elements included.
        .executableTarget(name: "fuzz-mat", dependencies: ["FuzzDriver", .product(name: "Evaluation", package: "blazeface")]),
        // WIDER text ground truth and prediction parsers.
        .executableTarget(name: "fuzz-wider", dependencies: ["FuzzDriver", .product(name: "Evaluation", package: "blazeface")]),
        // The HTTP request path without a socket: raw request bytes through NIO's HTTP/1 decoder
        // and the HTTPTypes codec (as Hummingbird's HTTP1Channel sets them up), then FaceServer's
        // router, middleware and endpoints: query options, body limits, decode, detect, errors.
        .executableTarget(name: "fuzz-http", dependencies: [
            "FuzzDriver", .product(name: "FaceService", package: "blazeface"),
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"), .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
