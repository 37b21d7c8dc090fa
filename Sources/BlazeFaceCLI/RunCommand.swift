import ArgumentParser
import Engine
import Foundation
import TFLite

/// `blazeface run MODEL --input FILE.npy|GOLDEN_DIR [--dump DIR] [--all-tensors] [--compare DIR]`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model on a NumPy .npy input and summarise or dump its tensors.",
        discussion: """
        The input must match the model's input tensor: float32 for a float input (shape [1,H,W,C] \
        or [H,W,C]), or uint8/int8 for a quantized one. With --dump, every output is written as \
        .npy; with --all-tensors, every intermediate too, named by execution index and tensor \
        name, with index.json listing name, tensor index, op, shape, dtype, scale and zero point.

        --compare DIR checks every tensor of this run against another runtime's: DIR is a golden \
        folder (manifest.json + tensors.bin, as ../shared/golden), a --dump folder, or .npy files \
        named <tensor index>.npy or <tensor name>.npy. It prints each tensor that differs (elements \
        off by more than --tolerance; the largest difference in quantization steps for integer \
        tensors) and exits with status 1 when any does. --input may be a golden folder: its \
        recorded input is used.
        """
    )

    @Argument(help: ArgumentHelp("A model name (\(ModelNames.list)) or a .tflite file.", valueName: "name|file"))
    var model: String

    @Option(help: "Input tensor as a .npy file, or a golden folder whose recorded input is used.")
    var input: String

    @Option(help: "Write outputs (and with --all-tensors, intermediates) as .npy files into this folder.")
    var dump: String?

    @Flag(help: "With --dump, also write every intermediate tensor.")
    var allTensors = false

    @Option(help: "Compare every tensor with a reference run's (a golden folder, a --dump folder, or .npy files).")
    var compare: String?

    @Option(help: "With --compare: allowed difference (quantization steps for integer tensors, absolute for float).")
    var tolerance: Double = 0

    func validate() throws {
        if allTensors && dump == nil { throw ValidationError("--all-tensors needs --dump DIR") }
        guard tolerance >= 0, tolerance.isFinite else { throw ValidationError("--tolerance must be a finite number >= 0") }
    }

    func run() throws {
        try reportingErrors {
            let compiled = try CompiledModel(model: TFLiteModel(contentsOfFile: try ModelNames.path(model)))
            let array: NumpyArray
            if ReferenceTensors.isGoldenFolder(input) {
                guard let recorded = try ReferenceTensors(folder: input, tensors: compiled.tensors).input else {
                    throw CLIError("\(input)/manifest.json: records no input tensor")
                }
                array = recorded
            } else {
                array = try NumpyArray(contentsOfFile: input)
            }
            let reference = try compare.map { try ReferenceTensors(folder: $0, tensors: compiled.tensors) }
            var differences: [TensorDifference] = []
            func check(_ op: Int, _ t: Int, _ bytes: UnsafeRawBufferPointer) {
                guard let ref = reference?.byIndex[t], !differences.contains(where: { $0.tensor == t }) else { return }
                differences.append(TensorDifference(info: compiled.tensors[t], op: op, ours: Array(bytes), reference: ref, tolerance: tolerance))
            }
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
                        check(op, t, bytes)
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
                    interpreter.invoke(observer: check)
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
                interpreter.invoke(observer: check)
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
            if let reference {
                for (k, t) in compiled.outputIndices.enumerated() {
                    guard let b = interpreter.output(k) else { continue }
                    check(compiled.ops.last { $0.outputs.contains(t) }?.index ?? -1, t, UnsafeRawBufferPointer(b))
                }
                let inputs = Set(compiled.inputIndices)
                try Self.report(differences, reference: reference, tolerance: tolerance,
                                unmatched: reference.byIndex.keys.filter { k in !inputs.contains(k) && !differences.contains { $0.tensor == k } }.count)
            }
        }
    }

    /// Prints the tensors that differ and a summary; throws exit status 1 when any differs.
    static func report(_ differences: [TensorDifference], reference: ReferenceTensors, tolerance: Double, unmatched: Int) throws {
        let bad = differences.filter { !$0.matches }.sorted { ($0.op, $0.tensor) < ($1.op, $1.tensor) }
        if !bad.isEmpty {
            let rows = bad.map { d in
                [d.op >= 0 ? "\(d.op)" : "-", "\(d.tensor)", d.name.count > 48 ? d.name.prefix(45) + "..." : d.name,
                 d.mismatch ?? "\(d.differing) of \(d.count)", d.mismatch == nil ? String(format: "%.6g", d.maxDifference) : "-"]
            }
            print(Table(header: ["op", "tensor", "name", "elements differing", "max |diff|"], rows: rows).render(), terminator: "")
        }
        let exact = differences.filter { $0.mismatch == nil && $0.maxDifference == 0 }.count
        let within = differences.filter(\.matches).count - exact
        var line = "compared \(differences.count) tensors with \(reference.source): \(exact) identical"
        if within > 0 { line += ", \(within) within the tolerance \(tolerance)" }
        if let first = bad.first { line += ", \(bad.count) differ (first at op \(first.op), tensor \(first.tensor) '\(first.name)')" }
        if unmatched > 0 { line += "; \(unmatched) reference tensors not produced by this run (not in this model's plan)" }
        print(line)
        if !bad.isEmpty || differences.isEmpty { throw ExitCode.failure }
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
