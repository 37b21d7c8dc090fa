import ArgumentParser
import BlazeFace
import Dispatch
import Foundation
import Quantizer
import TFLite

extension CalibrationMethod: ExpressibleByArgument {}

/// `blazeface quantize FLOAT.tflite --calibration DIR -o OUT.tflite`: a full-integer model from a
/// float one, calibrated on photos.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize a float BlazeFace model to int8 (TFLite conventions), calibrated on photos.",
        discussion: """
        Runs the float model on photos from the calibration folder, prepared as detection \
        prepares them (decoded, resampled and normalised by the detector; by default the centred \
        square crop of each photo and tiles of its --tiles auto plan inside the photo, without black \
        padding; --no-content-only for letterboxes), chooses each activation's range, and writes a \
        model with per-channel int8 weights, int32 biases, int8 activations, a QUANTIZE at the \
        input (floats in the model's own range) and DEQUANTIZE at the outputs. Score heads keep \
        logits up to at least 5.3 (score 0.995). Then reports each tensor's SQNR against the \
        float model on held-out photos (letterboxed, with tiles), worst first, and the output error.
        """
    )

    @Argument(help: "The float .tflite model (float32, float16 or sparse weights).")
    var model: String

    @Option(help: "Folder of calibration photos (searched recursively). Never the images you evaluate on.")
    var calibration: String

    @Option(name: [.customShort("o"), .long], help: "Where to write the int8 model.")
    var output: String

    @Option(help: "How activation ranges are chosen: minmax, percentile or mse.")
    var method: CalibrationMethod = .percentile

    @Option(help: "Percentile kept at each tail with --method percentile.")
    var percentile: Double = 99.99

    @Option(help: "Percentile kept for the outputs of depthwise convs without an activation (feeding a 1x1 conv); default: --percentile.")
    var depthwisePercentile: Double?

    @Option(help: "Photos to use (the first ones by sorted path, after the held-out ones); default all.")
    var images: Int?

    @Option(help: "Tiles of each photo's --tiles auto plan added to the calibration inputs.")
    var tiles: Int = 4

    @Option(help: "Photos held out of calibration for the SQNR report.")
    var holdout: Int = 20

    @Flag(inversion: .prefixedNo, help: "Calibrate on inputs without black padding: centred square crops instead of letterboxes, and tiles inside the photo (black drives the float model's activations to extremes that would set the ranges).")
    var contentOnly = true

    @Flag(help: "Cross-layer equalization of each depthwise conv and the 1x1 conv after it, from calibration ranges, before quantizing.")
    var equalize = false

    @Option(help: "Rounds of empirical bias correction: each conv's per-channel mean int8 error on the calibration inputs subtracted from its bias (0: none).")
    var biasCorrection: Int = 0

    @Flag(help: "Bias correction of the output heads only (the convs whose outputs feed the graph outputs).")
    var biasCorrectionHeadsOnly = false

    @Option(help: "Calibration inputs used for bias correction (the first ones; default all).")
    var biasCorrectionInputs: Int?

    @Flag(help: "One scale per weight tensor instead of per output channel (an ablation).")
    var perTensor = false

    @Option(help: ArgumentHelp("Also write float models that quantize only some tensors, to find which ones cost accuracy: PREFIX-0.tflite, PREFIX-1.tflite... one per group of --ablate-ops.", valueName: "prefix"))
    var ablate: String?

    @Option(help: ArgumentHelp("With --ablate: ';'-separated groups of op positions (e.g. \"0-29;0-62,70;0-145w\"). The outputs of the ops at those positions get a QUANTIZE and DEQUANTIZE with the int8 model's parameters; a trailing w also rounds every filter to int8. Positions count the float model's ops from 0 without the DEQUANTIZE/DENSIFY ops that only unpack constants.", valueName: "groups"))
    var ablateOps: String?

    @Option(help: "Worst tensors listed in the report.")
    var worst: Int = 10

    func validate() throws {
        if let images, images < 1 { throw ValidationError("--images must be at least 1, got \(images)") }
        if tiles < 0 { throw ValidationError("--tiles must be 0 or more, got \(tiles)") }
        if biasCorrection < 0 { throw ValidationError("--bias-correction must be 0 or more, got \(biasCorrection)") }
        if let n = biasCorrectionInputs, n < 1 { throw ValidationError("--bias-correction-inputs must be at least 1, got \(n)") }
        if holdout < 0 { throw ValidationError("--holdout must be 0 or more, got \(holdout)") }
        if !(50...100).contains(percentile) { throw ValidationError("--percentile must be within 50...100, got \(percentile)") }
        if ablateOps != nil, ablate == nil { throw ValidationError("--ablate-ops needs --ablate PREFIX") }
        var written = [output]
        if let ablate {
            let groups = try Self.ablationGroups(ablateOps ?? "")
            written += groups.indices.map { "\(ablate)-\($0).tflite" }
        }
        let input = DrawTargets.resolved(DrawTargets.absolute(model))
        for path in written where DrawTargets.resolved(DrawTargets.absolute(path)) == input {
            throw ValidationError("\(path) would overwrite the input model \(model); choose another output")
        }
        if let p = depthwisePercentile, !(50...100).contains(p) { throw ValidationError("--depthwise-percentile must be within 50...100, got \(p)") }
    }

    func run() throws {
        try reportingErrors {
            let start = DispatchTime.now().uptimeNanoseconds
            func elapsed() -> String { String(format: "%.1f s", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
            let floatModel = try TFLiteModel(contentsOfFile: model)
            let detector = try FaceDetector(modelPath: model)
            let files = try CalibrationImages.imageFiles(in: calibration)
            guard files.count > holdout else {
                throw CLIError("\(calibration): \(files.count) photos, need more than the \(holdout) held out (--holdout)")
            }
            // Every k-th photo is held out, so both sets span the folder.
            let step = holdout > 0 ? files.count / holdout : 0
            let heldOutIndices = Set(holdout > 0 ? (0..<holdout).map { $0 * step + step / 2 } : [])
            var calibrationFiles = files.indices.filter { !heldOutIndices.contains($0) }.map { files[$0] }
            if let images { calibrationFiles = Array(calibrationFiles.prefix(images)) }
            let heldOutFiles = heldOutIndices.sorted().map { files[$0] }
            let calibrationSet = try CalibrationImages(paths: calibrationFiles, detector: detector, tilesPerImage: tiles,
                                                       contentOnly: contentOnly)
            printError("calibration: \(calibrationFiles.count) photos, \(calibrationSet.pixels.count) inputs (\(elapsed()))")
            var quantizer = try Quantizer(model: floatModel)
            if equalize {
                let (q, pairs) = try quantizer.equalizingDepthwise(count: calibrationSet.pixels.count, input: calibrationSet.input)
                quantizer = q
                printError("equalized \(pairs) depthwise/1x1 pairs (\(elapsed()))")
            }
            let stats = try quantizer.calibrate(count: calibrationSet.pixels.count, input: calibrationSet.input)
            printError("statistics of \(stats.count) activations (\(elapsed()))")
            let low: Float = calibrationSet.offset, high = calibrationSet.offset + 255 * calibrationSet.scale
            let provenance = "blazeface quantize \((model as NSString).lastPathComponent): method \(method.rawValue)"
                + (method == .percentile ? " \(percentile)" : "") + (depthwisePercentile.map { ", depthwise outputs \($0)" } ?? "")
                + (contentOnly ? ", content only" : "") + (equalize ? ", equalized" : "")
                + (biasCorrection > 0 ? ", bias correction \(biasCorrection) rounds" + (biasCorrectionHeadsOnly ? " (heads)" : "") : "") + ", \(perTensor ? "per-tensor" : "per-channel") weights, \(calibrationFiles.count) photos + \(calibrationSet.pixels.count - calibrationFiles.count) tiles"
            var options = QuantizerOptions(method: method, percentile: percentile, perChannel: !perTensor,
                                           inputRange: low...high, provenance: provenance)
            options.depthwisePercentile = depthwisePercentile
            if biasCorrection > 0 {
                let n = min(biasCorrectionInputs ?? calibrationSet.pixels.count, calibrationSet.pixels.count)
                options.biasCorrection = try quantizer.biasCorrections(statistics: stats, options: options, rounds: biasCorrection,
                                                                       headsOnly: biasCorrectionHeadsOnly, count: n, input: calibrationSet.input)
                printError("bias correction: \(options.biasCorrection.count) ops, \(biasCorrection) rounds on \(n) inputs (\(elapsed()))")
            }
            let quantized = try quantizer.quantize(statistics: stats, options: options)
            try Data(quantized.bytes).write(to: URL(fileURLWithPath: output))
            print("wrote \(output): \(quantized.bytes.count) bytes (\(provenance))")
            if let ablate {
                for (i, group) in try Self.ablationGroups(ablateOps ?? "").enumerated() {
                    let m = try quantizer.fakeQuantized(quantized, activations: { group.ops.contains($0) }, int8Weights: group.weights,
                                                        perChannel: !perTensor)
                    let path = "\(ablate)-\(i).tflite"
                    try Data(try ModelWriter.serialize(try ModelBlueprint(m))).write(to: URL(fileURLWithPath: path))
                    print("wrote \(path): outputs of \(group.ops.count) op positions quantized\(group.weights ? ", int8 filters" : "")")
                }
            }
            if !heldOutFiles.isEmpty {
                let held = try CalibrationImages(paths: heldOutFiles, detector: detector, tilesPerImage: tiles)
                let report = try QuantizationReport(float: quantizer.floatModel, quantized: quantized,
                                                    count: held.pixels.count, input: held.input)
                print(report.formatted(worst: worst))
            }
            printError("done (\(elapsed()))")
        }
    }

    /// The groups of `--ablate-ops`: op positions and whether filters are rounded.
    static func ablationGroups(_ text: String) throws -> [(ops: Set<Int>, weights: Bool)] {
        var groups: [(ops: Set<Int>, weights: Bool)] = []
        for group in text.split(separator: ";") {
            let weights = group.hasSuffix("w")
            var ops = Set<Int>()
            for part in group.dropLast(weights ? 1 : 0).split(separator: ",") {
                let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard (1...2).contains(bounds.count), let lo = bounds.first ?? nil, let hi = bounds.last ?? nil, lo >= 0, lo <= hi, hi < 1_000_000 else {
                    throw ValidationError("--ablate-ops: '\(part)' is not a position or a range like 0-29")
                }
                ops.formUnion(lo...hi)
            }
            groups.append((ops, weights))
        }
        guard !groups.isEmpty else { throw ValidationError("--ablate-ops: no group given (e.g. \"0-29;0-62w\")") }
        return groups
    }
}
