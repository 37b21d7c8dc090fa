import Engine
import Foundation
import Imaging
import TFLite

/// Finds faces in images with a BlazeFace model: the int8 ST front model, or MediaPipe's float
/// front (short-range), back (256x256) and full-range (192x192, dense or sparse) models. The
/// model's ``ModelFamily`` gives its anchors, decoding and normalisation.
///
/// ```swift
/// let detector = try FaceDetector(model: .front)
/// let result = try detector.detect(.file("group.jpg"))
/// for face in result.faces {
///     print(face.box, face.score, face.keypoints[.noseTip] as Any)
/// }
/// ```
///
/// Results are in source-image pixels: the box's top-left corner and size, the score (0...1),
/// and six named keypoints. ``detect(_:options:)`` is the one entry point (one pass or tiles);
/// ``detect(imageAt:)``, ``detect(in:)-(DecodedImage)`` and ``detect(rgb:width:height:)`` wrap it.
///
/// ## Concurrency
/// `FaceDetector` is `Sendable`: share one instance between tasks and threads. The model is
/// prepared once; each call borrows an interpreter (the 336 KiB activation arena) from a small
/// pool, creating one when all are busy, so concurrent calls never wait on each other.
public final class FaceDetector: Sendable {
    /// The options the detector was created with.
    public let options: DetectorOptions
    /// The prepared model.
    public let model: CompiledModel
    /// The model's family (given, or recognised from its input).
    public let family: ModelFamily
    /// The normalisation in use (``InputNormalization/automatic`` resolved).
    public var normalization: InputNormalization { input.normalization }
    /// Side of the square model input, in pixels.
    public var inputSize: Int { input.size }

    let input: DetectorInput
    let heads: [Head]
    let decodeOptions: DecodeOptions
    private let pool: InterpreterPool

    /// Output pairs in anchor order, with their anchors.
    struct Head: Sendable {
        var regressors: Int   // output position
        var scores: Int
        var anchors: [Anchor]
        var firstAnchor: Int  // position of anchors[0] in the whole layout
    }

    /// Loads a family's model file, found by ``ModelFamily/locate()`` (its environment
    /// variable, then the search folders).
    ///
    /// - Throws: ``ModelNotFound`` when the file is in none of the folders, and the errors of
    ///   ``init(modelPath:family:options:)``.
    public convenience init(model family: ModelFamily, options: DetectorOptions = DetectorOptions()) throws {
        try self.init(modelPath: try family.locate(), family: family, options: options)
    }

    /// Loads and prepares a model file with the engine's compact memory plan (for the int8
    /// model: 8-bit pixels in, 222 KiB in all).
    ///
    /// - Parameter family: The model's family; nil to recognise it from the model's input.
    /// - Throws: `ModelError` or `EngineError` when the file cannot be read or run, and
    ///   ``DetectorError`` when its inputs and outputs are not those of a BlazeFace model.
    public convenience init(modelPath: String, family: ModelFamily? = nil, options: DetectorOptions = DetectorOptions()) throws {
        do {
            try self.init(model: CompiledModel(model: TFLiteModel(contentsOfFile: modelPath), options: EngineOptions(memory: .compact)),
                          family: family, options: options)
        } catch let e as DetectorError {
            throw DetectorError("\(modelPath): \(e.description)")
        } catch let e as EngineError {
            throw DetectorError("\(modelPath): \(e.description)")
        }
    }

    /// Uses an already prepared model.
    ///
    /// - Parameter family: The model's family; nil to recognise it from the model's input size
    ///   and the normalisation its graph asks for (``ModelFamily/matching(inputSize:normalization:)``).
    public init(model: CompiledModel, family: ModelFamily? = nil, options: DetectorOptions = DetectorOptions()) throws {
        try Self.check(options)
        self.options = options
        self.model = model
        guard model.inputs.count == 1, let tensor = model.inputs.first, tensor.type == .float32,
              tensor.shape.count == 4, tensor.shape[0] == 1, tensor.shape[1] == tensor.shape[2], tensor.shape[3] == 3 else {
            throw DetectorError("expected one float32 input of shape [1, N, N, 3], found \(model.inputs.map { "\($0.type)\($0.shape)" })")
        }
        let size = tensor.shape[1]
        let fromGraph = InputNormalization.resolve(.automatic, for: model)
        let resolvedFamily = try Self.family(family, inputSize: size, graphNormalization: fromGraph)
        self.family = resolvedFamily
        var decoding = resolvedFamily.decoding
        decoding.minScore = options.minScore
        decodeOptions = decoding
        // `automatic`: the named family's normalisation, or the graph's for a recognised one.
        let normalization = options.normalization != .automatic ? options.normalization
            : (family == nil ? fromGraph : resolvedFamily.normalization)
        input = DetectorInput(model: model, size: size, resize: options.resize, normalization: normalization)
        heads = try Self.findHeads(model, anchors: generateAnchors(resolvedFamily.anchors))
        pool = InterpreterPool(model)
    }

    /// A detector with other options on the same prepared model and the same pool of
    /// interpreters: cheap enough to make per request (a server's per-request minimum score,
    /// box style or face cap), with no model preparation and no new arenas.
    ///
    /// - Throws: ``DetectorError`` for options out of range.
    public func with(options: DetectorOptions) throws -> FaceDetector {
        try FaceDetector(sharing: self, options: options)
    }

    private init(sharing other: FaceDetector, options: DetectorOptions) throws {
        try Self.check(options)
        self.options = options
        model = other.model
        family = other.family
        var decoding = other.decodeOptions
        decoding.minScore = options.minScore
        decodeOptions = decoding
        let normalization = options.normalization != .automatic ? options.normalization : other.input.normalization
        input = options.resize == other.options.resize && normalization == other.input.normalization ? other.input
            : DetectorInput(model: other.model, size: other.input.size, resize: options.resize, normalization: normalization)
        heads = other.heads
        pool = other.pool
    }

    static func check(_ options: DetectorOptions) throws {
        guard (0...1).contains(options.minScore) else { throw DetectorError("min score \(options.minScore) is outside 0...1") }
        guard (0...1).contains(options.iouThreshold) else { throw DetectorError("IoU threshold \(options.iouThreshold) is outside 0...1") }
        if let m = options.maxFaces, m < 1 { throw DetectorError("max faces must be at least 1, got \(m)") }
    }

    /// The given family checked against the model's input size, or the family recognised from it.
    static func family(_ given: ModelFamily?, inputSize: Int, graphNormalization: InputNormalization) throws -> ModelFamily {
        if let given {
            guard given.inputSize == inputSize else {
                throw DetectorError("the model's input is \(inputSize)x\(inputSize), but family '\(given.name)' expects \(given.inputSize)x\(given.inputSize)")
            }
            return given
        }
        guard let found = ModelFamily.matching(inputSize: inputSize, normalization: graphNormalization) else {
            let known = ModelFamily.all.map { "\($0.inputSize) \($0.name)" }.joined(separator: ", ")
            throw DetectorError("no BlazeFace anchor layout for a \(inputSize)x\(inputSize) input (supported: \(known))")
        }
        return found
    }

    /// Pairs regressor outputs [1, N, 16] with score outputs [1, N, 1] by N, and orders the pairs
    /// so that they cover the anchors in order (the larger, finer-grid block first). The int8
    /// model lists its outputs as 512 regressors, 512 scores, 384 scores, 384 regressors.
    static func findHeads(_ model: CompiledModel, anchors: [Anchor]) throws -> [Head] {
        var regressors: [Int: Int] = [:], scores: [Int: Int] = [:]
        for (k, t) in model.outputs.enumerated() {
            guard t.type == .float32, t.shape.count == 3, t.shape[0] == 1 else {
                throw DetectorError("output \(k) '\(t.name)' is \(t.type)\(t.shape); expected float32 [1, N, 16] or [1, N, 1]")
            }
            switch t.shape[2] {
            case 16: regressors[t.shape[1]] = k
            case 1: scores[t.shape[1]] = k
            default: throw DetectorError("output \(k) '\(t.name)' has shape \(t.shape); expected [1, N, 16] or [1, N, 1]")
            }
        }
        guard Set(regressors.keys) == Set(scores.keys), !regressors.isEmpty else {
            throw DetectorError("regressor outputs for \(regressors.keys.sorted()) anchors do not pair with score outputs for \(scores.keys.sorted())")
        }
        let sizes = regressors.keys.sorted(by: >)
        guard sizes.reduce(0, +) == anchors.count else {
            throw DetectorError("outputs cover \(sizes.reduce(0, +)) anchors, the anchor layout has \(anchors.count)")
        }
        var start = 0
        return sizes.map { n in
            defer { start += n }
            return Head(regressors: regressors[n] ?? 0, scores: scores[n] ?? 0, anchors: Array(anchors[start..<(start + n)]), firstAnchor: start)
        }
    }

    // MARK: - Running the model

    /// Runs the model on prepared `inputSize x inputSize` RGB bytes and decodes every detection
    /// scoring at least ``DetectorOptions/minScore`` (before NMS), in normalised input coordinates.
    func candidates(pixels: [UInt8], minScore: Float? = nil) -> [Detection] {
        var decodeOptions = decodeOptions
        if let minScore { decodeOptions.minScore = minScore }
        let interpreter = pool.take()
        defer { pool.give(interpreter) }
        input.feed(pixels, into: interpreter, model: model)
        interpreter.invoke()
        var detections: [Detection] = []
        for head in heads {
            guard let r = interpreter.output(head.regressors), let s = interpreter.output(head.scores) else { continue }
            let part = try? decodeDetections(regressors: r.bindMemory(to: Float.self), scores: s.bindMemory(to: Float.self),
                                             anchors: head.anchors, options: decodeOptions)
            // anchorIndex counts across the whole anchor layout, not within one head.
            detections += (part ?? []).map { d in
                var d = d
                d.anchorIndex += head.firstAnchor
                return d
            }
        }
        return detections
    }

    /// The reported face of a detection: coordinates through `mapping`, box in the options' style.
    func face(from detection: Detection, mapping: (Float, Float) -> (Float, Float)) -> Face {
        var face = Face(detection: detection, mapping: mapping)
        face.box = options.boxStyle.apply(to: face.box, widerBox: family.widerBox)
        return face
    }
}

/// Interpreters waiting to be reused. Each is handed to one caller at a time under the lock,
/// which is what makes the unchecked `Sendable` conformance sound.
final class InterpreterPool: @unchecked Sendable {
    private let model: CompiledModel
    private let lock = NSLock()
    private var idle: [Interpreter] = []

    init(_ model: CompiledModel) { self.model = model }

    func take() -> Interpreter {
        lock.lock()
        let i = idle.popLast()
        lock.unlock()
        return i ?? Interpreter(model)
    }

    func give(_ i: Interpreter) {
        lock.lock()
        if idle.count < 16 { idle.append(i) }
        lock.unlock()
    }
}
