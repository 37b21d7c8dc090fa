import Engine
import ModelTools
import Foundation
import TFLite

/// Tensors of a model run by another runtime, for `run --compare`, read from a folder:
/// - a golden folder (`manifest.json` of format `blazeface-golden/1` and its `tensors.bin`, see
///   ../shared/golden/FORMAT.md): every tensor by its `tensor_index`, and the input;
/// - a `run --dump` folder (`index.json` with `tensor_index` and `file` per tensor);
/// - any folder of `.npy` files named `<tensor index>.npy` or `<tensor name>.npy` (characters
///   other than letters, digits, `_-.` replaced by `_`, as `run --dump` does).
struct ReferenceTensors {
    /// Reference arrays by tensor index.
    var byIndex: [Int: NumpyArray] = [:]
    /// The input the reference run used, when the folder records it.
    var input: NumpyArray?
    /// Where they came from, for messages.
    var source: String

    private struct GoldenManifest: Decodable {
        struct Entry: Decodable {
            var kind: String
            var tensor_index: Int?
            var dtype: String
            var shape: [Int]
            var offset: Int
            var nbytes: Int
        }
        var format: String
        var blob: String?
        var tensors: [Entry]
    }

    private struct DumpEntry: Decodable {
        var file: String
        var tensor_index: Int
    }

    /// True when `path` is a folder holding a golden manifest.
    static func isGoldenFolder(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/manifest.json")
    }

    /// Loads the folder; `tensors` are the model's tensors (to match `.npy` files by name).
    init(folder: String, tensors: [TensorInfo]) throws {
        source = folder
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw CLIError("\(folder): not a folder of reference tensors")
        }
        if Self.isGoldenFolder(folder) {
            try loadGolden(folder)
        } else if FileManager.default.fileExists(atPath: folder + "/index.json") {
            let data = try Self.read(folder + "/index.json")
            let entries: [DumpEntry]
            do { entries = try JSONDecoder().decode([DumpEntry].self, from: Data(data)) } catch {
                throw CLIError("\(folder)/index.json: not a `run --dump` index (\(error))")
            }
            for e in entries {
                guard !e.file.contains("/"), !e.file.contains("..") else { throw CLIError("\(folder)/index.json: bad file name '\(e.file)'") }
                byIndex[e.tensor_index] = try Self.npy(folder + "/" + e.file)
            }
        } else {
            for t in tensors {
                for name in ["\(t.index).npy", RunCommand.safe(t.name) + ".npy"] where byIndex[t.index] == nil {
                    let path = folder + "/" + name
                    if FileManager.default.fileExists(atPath: path) { byIndex[t.index] = try Self.npy(path) }
                }
            }
        }
        guard !byIndex.isEmpty else { throw CLIError("\(folder): no reference tensors found (expected manifest.json, index.json, or <tensor index>.npy / <tensor name>.npy files)") }
    }

    private mutating func loadGolden(_ folder: String) throws {
        let m: GoldenManifest
        do { m = try JSONDecoder().decode(GoldenManifest.self, from: Data(try Self.read(folder + "/manifest.json"))) } catch let e as CLIError {
            throw e
        } catch {
            throw CLIError("\(folder)/manifest.json: not a golden manifest (\(error))")
        }
        guard m.format.hasPrefix("blazeface-golden/") else { throw CLIError("\(folder)/manifest.json: unknown format '\(m.format)'") }
        let blobName = m.blob ?? "tensors.bin"
        guard !blobName.contains("/"), !blobName.contains("..") else { throw CLIError("\(folder)/manifest.json: bad blob name '\(blobName)'") }
        let blob = try Self.read(folder + "/" + blobName)
        for e in m.tensors {
            guard let type = TensorType(numpyName: e.dtype) else { throw CLIError("\(folder)/manifest.json: unknown dtype '\(e.dtype)'") }
            guard e.offset >= 0, e.nbytes >= 0, e.offset <= blob.count, e.nbytes <= blob.count - e.offset else {
                throw CLIError("\(folder)/\(blobName): tensor at offset \(e.offset) with \(e.nbytes) bytes lies outside the \(blob.count)-byte file")
            }
            let array: NumpyArray
            do { array = try NumpyArray(type: type, shape: e.shape, data: Array(blob[e.offset..<(e.offset + e.nbytes)])) } catch {
                throw CLIError("\(folder)/manifest.json: tensor \(e.tensor_index.map(String.init) ?? "?"): \(error)")
            }
            if e.kind == "input" { input = array }
            if let i = e.tensor_index, e.kind != "source_rgb_u8" { byIndex[i] = array }
        }
    }

    private static func read(_ path: String) throws -> [UInt8] {
        guard let d = FileManager.default.contents(atPath: path) else { throw CLIError("\(path): cannot read") }
        return [UInt8](d)
    }

    private static func npy(_ path: String) throws -> NumpyArray {
        do { return try NumpyArray(contentsOfFile: path) } catch { throw CLIError("\(path): \(error)") }
    }
}

/// How one tensor of ours differs from its reference.
struct TensorDifference {
    var tensor: Int, op: Int
    var name: String
    var count: Int
    /// Elements farther apart than the tolerance.
    var differing: Int
    /// Largest |ours - reference|: quantization steps for integer tensors, absolute for float.
    var maxDifference: Double
    /// Set when shapes or types disagree (then nothing else is compared).
    var mismatch: String?

    /// Compares `ours` (raw bytes of a tensor of `info`) with `reference`.
    init(info: TensorInfo, op: Int, ours: [UInt8], reference: NumpyArray, tolerance: Double) {
        tensor = info.index
        self.op = op
        name = info.name
        count = info.elementCount
        differing = 0
        maxDifference = 0
        let shapeOK = reference.shape == info.shape || [1] + reference.shape == info.shape || reference.shape == [1] + info.shape
        guard reference.type == info.type, shapeOK, reference.data.count == ours.count else {
            mismatch = "reference is \(reference.type)\(reference.shape), ours \(info.type)\(info.shape)"
            return
        }
        guard let a = try? NumpyArray(type: info.type, shape: info.shape, data: ours).floats else {
            mismatch = "cannot compare \(info.type) tensors"
            return
        }
        let b = reference.floats
        for (x, y) in zip(a, b) {
            let d = x.isNaN || y.isNaN ? (x.isNaN && y.isNaN ? 0 : .infinity) : abs(Double(x) - Double(y))
            maxDifference = max(maxDifference, d)
            if d > tolerance { differing += 1 }
        }
    }

    var matches: Bool { mismatch == nil && differing == 0 }
}

extension TensorType {
    /// The type of a NumPy dtype name that ``NumpyArray`` can compare (`float32`, `float64`,
    /// `int8`, `uint8`, `int32`).
    init?(numpyName: String) {
        guard let t = [TensorType.float32, .float64, .int8, .uint8, .int32].first(where: { $0.description == numpyName }) else { return nil }
        self = t
    }
}
