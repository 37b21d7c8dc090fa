import BlazeFace
import CMicroPlan
import Engine
import TFLite

/// A model prepared for a microcontroller: the steps the firmware runs (the host's own compact
/// plan with the `micro` kernels), where its input and outputs are, and how faces are decoded.
/// ``MicroProgram`` runs it on the host; ``MicroSource`` writes it as C.
public struct MicroExport: Sendable {
    /// The host preparation the plan was taken from.
    public let model: CompiledModel
    public let steps: [MicroStep]
    public let io: MicroIO
    public let detection: MicroDetection
    /// Arena bytes: the compact plan, then int32 accumulators for the depthwise kernels.
    public let arenaSize: Int
    public let scratchOffset: Int, scratchCount: Int
    /// The detector's input normalisation (pixel * scale + offset, then the model's QUANTIZE).
    public let normalization: InputNormalization

    /// Prepares `path` with the micro kernels and the compact plan and checks that the firmware
    /// can run every step.
    ///
    /// - Throws: `EngineError`, `DetectorError` or ``MicroExportError`` naming what the firmware
    ///   cannot do (a float model, an op without a micro kernel, another decoding).
    public init(modelPath path: String, family: ModelFamily? = nil, options: DetectorOptions = DetectorOptions()) throws {
        let compiled = try CompiledModel(model: TFLiteModel(contentsOfFile: path), options: EngineOptions(kernels: .micro, memory: .compact))
        let detector = try FaceDetector(model: compiled, family: family, options: options)
        try self.init(detector: detector)
    }

    /// The plan of a detector whose model was prepared with `EngineOptions(kernels: .micro, memory: .compact)`.
    public init(detector: FaceDetector) throws {
        model = detector.model
        if let op = model.ops.first(where: { $0.runs && $0.kernelName?.contains(".f32.") == true }) {
            throw MicroExportError("op \(op.index) (\(op.op)) computes in float32; the firmware runs int8 models: quantize it first (blazeface quantize)")
        }
        steps = try model.microSteps()
        io = try model.microIO()
        detection = try detector.microDetection()
        normalization = detector.normalization
        guard let input = model.inputs.first, input.shape.count == 4, input.shape[3] == 3 else {
            throw MicroExportError("the model's input is not [1, H, W, 3]")
        }
        var channels = 0
        for s in steps { if case .conv(let c, _, depthwise: true) = s.params { channels = max(channels, Int(c.out_c)) } }
        scratchOffset = (model.plan.arenaSize + 15) / 16 * 16
        scratchCount = channels
        arenaSize = scratchOffset + 4 * channels
        guard arenaSize < 1 << 30 else { throw MicroExportError("the arena needs \(arenaSize) bytes") }
    }

    /// Height, width and channels of the input frame.
    public var inputShape: (h: Int, w: Int, c: Int) {
        let s = model.inputs.first?.shape ?? [1, 0, 0, 0]
        return (s[1], s[2], s[3])
    }
}

/// Why a model cannot be exported.
public struct MicroExportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
