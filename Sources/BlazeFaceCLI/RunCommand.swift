import ArgumentParser
import Engine
import Foundation
import TFLite

/// `blazeface run MODEL --input FILE.npy [--dump DIR] [--all-tensors]`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model on a NumPy .npy input and summarise or dump its tensors.",
        discussion: """
        The input must match the model's input tensor: float32 for a float input (shape [1,H,W,C] \
        or [H,W,C]), or uint8/int8 for a quantized one. With --dump, every output is written as \
        .npy; with --all-tensors, every intermediate too, named by execution index and tensor \
        name, with index.json listing name, tensor index, op, shape, dtype, scale and zero point.
        """
    )

    @Argument(help: "A .tflite model file.")
    var model: String

    @Option(help: "Input tensor as a .npy file.")
    var input: String

    @Option(help: "Write outputs (and with --all-tensors, intermediates) as .npy files into this folder.")
    var dump: String?

    @Flag(help: "With --dump, also write every intermediate tensor.")
    var allTensors = false

    func validate() throws {
        if allTensors && dump == nil { throw ValidationError("--all-tensors needs --dump DIR") }
    }

    func run() throws {
        try reportingErrors {
            let compiled = try CompiledModel(model: TFLiteModel(contentsOfFile: model))
            let array = try NumpyArray(contentsOfFile: input)
            let inTensor = compiled.inputs[0]
            guard array.type == inTensor.type else {
                throw CLIError("\(input): dtype \(array.type) does not match the model input '\(inTensor.name)' (\(inTensor.type))")
            }
            guard array.shape == inTensor.shape || [1] + array.shape == inTensor.shape else {
                throw CLIError("\(input): shape \(array.shape) does not match the model input \(inTensor.shape)")
            }
            let interpreter = Interpreter(compiled)
            try array.data.withUnsafeBytes { try interpreter.setInput(0, bytes: $0) }
            var dumped: [DumpEntry] = []
            if let dir = dump {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                if allTensors {
                    var failure: Error?
                    interpreter.invoke { op, t, bytes in
                        guard failure == nil, !compiled.outputIndices.contains(t) else { return }
                        do {
                            dumped.append(try Self.write(tensor: compiled.tensors[t], bytes: Array(bytes), op: op,
                                                         file: String(format: "%03d_%@.npy", op, Self.safe(compiled.tensors[t].name)), dir: dir))
                        } catch {
                            failure = error
                        }
                    }
                    if let failure { throw failure }
                } else {
                    interpreter.invoke()
                }
                for (k, t) in compiled.outputIndices.enumerated() {
                    guard let b = interpreter.output(k) else { continue }
                    let op = compiled.ops.last { $0.outputs.contains(t) }?.index ?? -1
                    dumped.append(try Self.write(tensor: compiled.tensors[t], bytes: Array(b), op: op,
                                                 file: "output\(k)_\(Self.safe(compiled.tensors[t].name)).npy", dir: dir))
                }
                let enc = JSONEncoder()
                enc.outputFormatting = [.prettyPrinted, .sortedKeys]
                try enc.encode(dumped).write(to: URL(fileURLWithPath: dir + "/index.json"))
            } else {
                interpreter.invoke()
            }
            for (k, t) in compiled.outputs.enumerated() {
                guard let b = interpreter.output(k) else { continue }
                let values = try NumpyArray(type: t.type, shape: t.shape, data: Array(b)).floats
                let mn = values.min() ?? 0, mx = values.max() ?? 0
                let mean = values.isEmpty ? 0 : values.reduce(0, +) / Float(values.count)
                let head = values.prefix(4).map { String(format: "%.5g", $0) }.joined(separator: ", ")
                print("output \(k) \(t.name) \(t.type)\(t.shape): min \(String(format: "%.5g", mn)) max \(String(format: "%.5g", mx)) mean \(String(format: "%.5g", mean)) first [\(head)]")
            }
            if let dir = dump { print("wrote \(dumped.count) tensors and index.json to \(dir)") }
        }
    }

    struct DumpEntry: Codable {
        var file: String
        var name: String
        var tensor_index: Int
        var op_index: Int
        var shape: [Int]
        var dtype: String
        var scale: [Float]
        var zero_point: [Int64]
    }

    static func safe(_ name: String) -> String {
        let s = String(name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." ? $0 : "_" })
        return String(s.prefix(80))
    }

    static func write(tensor t: TensorInfo, bytes: [UInt8], op: Int, file: String, dir: String) throws -> DumpEntry {
        try NumpyArray(type: t.type, shape: t.shape, data: bytes).write(to: dir + "/" + file)
        return DumpEntry(file: file, name: t.name, tensor_index: t.index, op_index: op, shape: t.shape,
                         dtype: t.type.description, scale: t.scales, zero_point: t.zeroPoints)
    }
}
