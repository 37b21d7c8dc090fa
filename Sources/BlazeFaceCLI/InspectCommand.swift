import ArgumentParser
import Engine
import Foundation
import TFLite

/// `blazeface inspect MODEL`: ops, shapes, quantization and totals.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a model's ops in execution order, its size, MACs and memory plan."
    )

    @Argument(help: ArgumentHelp("A model name (\(ModelNames.list)) or a .tflite file.", valueName: "name|file"))
    var model: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let report = try reportingErrors { ModelReport(try CompiledModel(model: TFLiteModel(contentsOfFile: try ModelNames.path(model)))) }
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try enc.encode(report), as: UTF8.self))
        } else {
            print(Self.render(report), terminator: "")
        }
    }

    static func kib(_ b: Int) -> String { String(format: "%.1f KiB", Double(b) / 1024) }

    static func render(_ r: ModelReport) -> String {
        var out = "Model: \(r.model)\n"
        out += "Inputs:  \(r.inputs.joined(separator: ", "))\n"
        out += "Outputs: \(r.outputs.joined(separator: ", "))\n\n"
        let rows = r.ops.map { op in
            [String(op.index), op.op + (op.runs ? "" : " (folded)"), op.options, op.inputs.joined(separator: ", "), op.output, op.quantization]
        }
        out += Table(header: ["#", "op", "options", "inputs", "output", "output quantization"], rows: rows).render()
        out += "\nTotals\n"
        out += "  parameters        \(r.parameters.formatted())\n"
        out += String(format: "  MACs              %@ (%.2f M)\n", r.macs.formatted(), Double(r.macs) / 1e6)
        let c = r.constantBytes
        out += "  constant bytes    \(c.total.formatted()) (weights \(c.weights.formatted()), biases \(c.biases.formatted()), other \(c.other.formatted()))\n"
        let m = r.memory
        out += "\nActivation memory (tensor-level plan)\n"
        out += "  internal activations  \(m.arenaActivations.formatted()) B (\(kib(m.arenaActivations)))\n"
        out += "  lower bound           \(m.lowerBound.formatted()) B (\(kib(m.lowerBound))) at op \(m.peakOp): \(m.peakTensors.joined(separator: " + "))\n"
        out += "  with float I/O        \(m.arenaWithIO.formatted()) B (\(kib(m.arenaWithIO))), the arena this engine allocates\n"
        if let k = m.compact {
            out += "\nCompact plan (EngineOptions(memory: .compact)), the whole arena\n"
            out += "  arena                 \(k.arena.formatted()) B (\(kib(k.arena))), input and outputs included\n"
            out += "  peak                  \(k.lowerBound.formatted()) B at op \(k.peakOp): \(k.peakBuffers.joined(separator: " + "))\n"
            var how: [String] = []
            if k.pixelInput { how.append("8-bit pixel input (p ^ 0x80 = QUANTIZE(p/255), no float buffer)") }
            else if k.inputQuantizedOnCopy { how.append("input quantized while copied in (no float buffer)") }
            if k.fusedAdds > 0 {
                how.append("\(k.fusedAdds) ADDs fused with their 1x1 conv (\(k.fusedPads) with the channel PAD) in \(k.bandPixels)-pixel bands, \(k.inPlaceAdds) written over their skip")
            }
            out += "  how                   \(how.isEmpty ? "same tensors as the tensor-level plan" : how.joined(separator: "; "))\n"
            out += "  not materialised      \(k.unmaterialized.count) tensors\(k.unmaterialized.isEmpty ? "" : ": " + k.unmaterialized.map(String.init).joined(separator: ", "))\n"
        }
        out += "  STM32Cube.AI 10.2     528 KiB on STM32N6 (336 KiB activations + 192 KiB float input buffer)"
        if let k = m.compact, k.pixelInput { out += String(format: ", %.2fx this compact arena", 528 * 1024 / Double(max(k.arena, 1))) }
        out += "\n"
        if !r.outputRanges.isEmpty {
            out += "\nQuantized output ranges (real values the int8 source can represent)\n"
            let rows = r.outputRanges.map { o -> [String] in
                var cells = [o.name, "[" + o.shape.map(String.init).joined(separator: ",") + "]",
                             String(format: "%.6g", o.scale), String(o.zeroPoint),
                             String(format: "[%.4g, %.4g]", o.min, o.max)]
                if let lo = o.scoreMin, let hi = o.scoreMax {
                    cells.append(String(format: "score [%.4f, %.4f]", lo, hi))
                } else {
                    cells.append("")
                }
                return cells
            }
            out += Table(header: ["output", "shape", "scale", "zero point", "real range", "sigmoid"], rows: rows).render()
        }
        return out
    }
}
