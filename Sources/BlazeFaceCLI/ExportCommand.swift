import ArgumentParser
import BlazeFace
import Engine
import Foundation
import Imaging
import MicroExport
import ModelTools
import TFLite

/// `blazeface export MODEL --target cortex-m55 -o DIR`: a firmware project for a Cortex-M55.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a firmware project that runs an int8 model on a Cortex-M55 (Embedded Swift).",
        discussion: """
        DIR gets model_data.c (the weights as constant arrays and the op plan with every \
        multiplier, shift and arena offset, from this host's compact memory plan), the Embedded \
        Swift kernels and runner (the same source as the host's `micro` kernels), a C API \
        (blazeface.h: blazeface_detect(rgb, faces, max)), a QEMU demo for mps3-an547 and a \
        Makefile. Before writing, the plan is run on this host and checked against the engine. \
        With --image, DIR/input.rgb is that image prepared exactly as `detect` prepares it \
        (letterboxed to the model's input) and DIR/input.npy the same frame as the float input \
        `blazeface run --input` takes; `make run` in DIR runs it under QEMU and writes the outputs \
        as `run --dump` does, so `blazeface run MODEL --input input.npy --compare DIR` checks them. \
        scripts/mcu.sh wraps all of this.
        """
    )

    @Argument(help: ArgumentHelp("An int8 model: a name (\(ModelNames.list)) or a .tflite file.", valueName: "model"))
    var model: String

    @Option(help: "The target CPU (only cortex-m55).")
    var target: String = "cortex-m55"

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The project folder to write (created; existing generated files are replaced).", valueName: "dir"))
    var output: String

    @Option(help: ArgumentHelp("Also write DIR/input.rgb from this image.", valueName: "image"))
    var image: String?

    @Option(help: "Lowest score of a reported face (0...1).")
    var minScore: Float = 0.5

    func validate() throws {
        guard target == "cortex-m55" else { throw ValidationError("--target \(target) is not supported; the only target is cortex-m55") }
        guard (0...1).contains(minScore) else { throw ValidationError("--min-score must be in 0...1") }
    }

    func run() throws {
        try reportingErrors {
            let path = try ModelNames.path(model)
            let export: MicroExport
            do {
                export = try MicroExport(modelPath: path, options: DetectorOptions(minScore: minScore))
            } catch {
                // Reader errors already start with the path.
                let why = "\(error)".hasPrefix(path + ": ") ? String("\(error)".dropFirst(path.count + 2)) : "\(error)"
                throw CLIError("\(path): cannot be exported for \(target): \(why)")
            }
            let shape = export.inputShape
            var pixels = [UInt8](repeating: 0, count: shape.h * shape.w * 3)
            if let image {
                let decoded = try ImageDecoder.decode(path: image)
                pixels = ModelInput.prepare(decoded, size: shape.h, mode: .letterbox).pixels
            }
            try Self.check(export, pixels: pixels)
            let sources = try FirmwareSources.locate()
            try FirmwareSources.writeProject(export, modelName: (path as NSString).lastPathComponent, sources: sources, to: output,
                                             outputFiles: Self.outputFiles(export.model), dumpIndex: try Self.dumpIndex(export.model))
            if image != nil {
                // The frame as 8-bit pixels for the firmware, and as the float input `blazeface run --input` takes.
                try Data(pixels).write(to: URL(fileURLWithPath: output + "/input.rgb"))
                let (scale, offset) = export.normalization.affine
                try NumpyArray(shape: [1, shape.h, shape.w, 3], floats: ModelInput.normalize(pixels, scale: scale, offset: offset)).write(to: output + "/input.npy")
            }
            let weights = export.steps.reduce(0) { n, s in
                switch s.params {
                case .conv(_, let k, _): return n + k.weights.count + 12 * k.bias.count
                case .banded(let b): return n + b.constants.weights.count + 12 * b.constants.bias.count
                default: return n
                }
            }
            print("wrote \(output): \(export.steps.count) steps, arena \(export.arenaSize) bytes, \(weights) bytes of weights, biases and multipliers")
            print("host check: the plan's outputs are byte-identical with the engine's")
        }
    }

    /// Runs the plan on this host and compares its outputs with the engine's.
    static func check(_ export: MicroExport, pixels: [UInt8]) throws {
        let (_, arena) = MicroProgram(export).run(pixels: pixels)
        let host = Interpreter(try CompiledModel(model: export.model.model))
        let (scale, offset) = export.normalization.affine
        try host.setInput(0, floats: ModelInput.normalize(pixels, scale: scale, offset: offset))
        host.invoke()
        for (k, o) in export.io.outputs.enumerated() {
            guard let ours = Optional(Array(arena[o.offset..<(o.offset + 4 * o.count)])), let theirs = host.output(k), ours == Array(theirs) else {
                throw CLIError("internal error: output \(k) of the exported plan differs from the engine's; please report it")
            }
        }
    }

    /// The `.npy` names `run --dump` gives the outputs.
    static func outputFiles(_ m: CompiledModel) -> [String] {
        m.outputIndices.enumerated().map { k, t in "output\(k)_\(RunCommand.safe(m.tensors[t].name)).npy" }
    }

    /// The `index.json` that `run --dump` writes for these outputs.
    static func dumpIndex(_ m: CompiledModel) throws -> Data {
        let files = outputFiles(m)
        let entries = m.outputIndices.enumerated().map { k, t in
            let info = m.tensors[t]
            return RunCommand.DumpEntry(file: files[k], name: info.name, tensor_index: t, op_index: m.ops.last { $0.outputs.contains(t) }?.index ?? -1,
                                        shape: info.shape, dtype: info.type.description, scale: info.scales, zero_point: info.zeroPoints)
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try enc.encode(entries)
    }
}
