import Foundation

/// Locates `../shared` (models, golden tensors, data) for tests: `$BLAZEFACE_SHARED`, else the
/// folder beside the package root. Tests read it in place; nothing from it is committed.
enum SharedData {
    static let root: String = {
        if let env = ProcessInfo.processInfo.environment["BLAZEFACE_SHARED"], !env.isEmpty { return env }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared").path
    }()

    static func path(_ relative: String) -> String { root + "/" + relative }

    static let int8Model = path("models/blazeface_front_128_quant_pc_ff_od_wider_face.tflite")
    static let floatModel = path("models/face_detection_front.tflite")
}

/// One case of `../shared/golden` (format `blazeface-golden/1`, see its FORMAT.md).
struct GoldenCase {
    struct Entry: Decodable {
        var kind: String
        var name: String
        var tensor_index: Int?
        var dtype: String
        var shape: [Int]
        var offset: Int
        var nbytes: Int
        var scale: [Double]?
        var zero_point: [Int]?
        var producer_op_index: Int?
        var producer_op: String?
        var output_position: Int?
    }
    struct Manifest: Decodable {
        var format: String
        var model: String
        var tensors: [Entry]
    }

    let name: String
    let manifest: Manifest
    let blob: [UInt8]

    init(model: String, name: String) throws {
        let dir = SharedData.path("golden/\(model)/\(name)")
        let m = try Data(contentsOf: URL(fileURLWithPath: dir + "/manifest.json"))
        manifest = try JSONDecoder().decode(Manifest.self, from: m)
        blob = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/tensors.bin")))
        self.name = name
    }

    func bytes(_ e: Entry) -> [UInt8] { Array(blob[e.offset..<(e.offset + e.nbytes)]) }

    func floats(_ e: Entry) -> [Float] {
        bytes(e).withUnsafeBytes { b in (0..<(e.nbytes / 4)).map { b.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
    }

    var input: Entry? { manifest.tensors.first { $0.kind == "input" } }
    var intermediates: [Entry] { manifest.tensors.filter { $0.kind == "intermediate" } }
    var outputs: [Entry] { manifest.tensors.filter { $0.kind == "output" } }
}
