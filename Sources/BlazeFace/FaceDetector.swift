import Engine
import Foundation
import Imaging
import TFLite

/// Finds faces in images with a BlazeFace model: the int8 ST front model, or MediaPipe's float
/// front (short-range), back (256x256) and full-range (192x192, dense or sparse) models. The
/// input size tells which anchor layout and decoding scale apply.
///
/// ```swift
/// let detector = try FaceDetector(modelPath: "models/face_detection_front.tflite")
/// for face in try detector.detect(imageAt: "group.jpg") {
///     print(face.box, face.score, face.keypoints[.noseTip] as Any)
/// }
/// ```
///
/// Results are in source-image pixels: the box's top-left corner and size, the score (0...1),
/// and six named keypoints.
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
    /// The normalisation in use (``InputNormalization/automatic`` resolved).
    public let normalization: InputNormalization
    /// Side of the square model input, in pixels.
    public let inputSize: Int

    private let heads: [Head]
    private let decodeOptions: DecodeOptions
    private let pool: InterpreterPool

    /// Output pairs in anchor order, with their anchors.
    struct Head: Sendable {
        var regressors: Int   // output position
        var scores: Int
        var anchors: [Anchor]
        var firstAnchor: Int  // position of anchors[0] in the whole layout
    }

    /// Loads and prepares a model file with the engine's compact memory plan (for the int8
    /// model: 8-bit pixels in, 222 KiB in all).
    ///
    /// - Throws: `ModelError` or `EngineError` when the file cannot be read or run, and
    ///   ``DetectorError`` when its inputs and outputs are not those of a BlazeFace model.
    public convenience init(modelPath: String, options: DetectorOptions = DetectorOptions()) throws {
        do {
            try self.init(model: CompiledModel(model: TFLiteModel(contentsOfFile: modelPath), options: EngineOptions(memory: .compact)),
                          options: options)
        } catch let e as DetectorError {
            throw DetectorError("\(modelPath): \(e.description)")
        } catch let e as EngineError {
            throw DetectorError("\(modelPath): \(e.description)")
        }
    }

    /// Uses an already prepared model.
    public init(model: CompiledModel, options: DetectorOptions = DetectorOptions()) throws {
        guard (0...1).contains(options.minScore) else { throw DetectorError("min score \(options.minScore) is outside 0...1") }
        guard (0...1).contains(options.iouThreshold) else { throw DetectorError("IoU threshold \(options.iouThreshold) is outside 0...1") }
        if let m = options.maxFaces, m < 1 { throw DetectorError("max faces must be at least 1, got \(m)") }
        self.options = options
        self.model = model
        guard model.inputs.count == 1, let input = model.inputs.first, input.type == .float32,
              input.shape.count == 4, input.shape[0] == 1, input.shape[1] == input.shape[2], input.shape[3] == 3 else {
            throw DetectorError("expected one float32 input of shape [1, N, N, 3], found \(model.inputs.map { "\($0.type)\($0.shape)" })")
        }
        inputSize = input.shape[1]
        let anchorOptions: SSDAnchorOptions
        switch inputSize {
        case 128:
            anchorOptions = .blazeFaceFront
            decodeOptions = DecodeOptions(minScore: options.minScore)
        case 192:
            anchorOptions = .blazeFaceFullRange
            decodeOptions = DecodeOptions(xScale: 192, yScale: 192, wScale: 192, hScale: 192, minScore: options.minScore)
        case 256:
            anchorOptions = .blazeFaceBack
            var d = DecodeOptions.blazeFaceBack
            d.minScore = options.minScore
            decodeOptions = d
        default:
            throw DetectorError("no BlazeFace anchor layout for a \(inputSize)x\(inputSize) input (supported: 128 front/short range, 192 full range, 256 back)")
        }
        let anchors = generateAnchors(anchorOptions)
        heads = try Self.findHeads(model, anchors: anchors)
        normalization = InputNormalization.resolve(options.normalization, for: model)
        pool = InterpreterPool(model)
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

    // MARK: - Detection

    /// Detects faces in an image file (JPEG, PNG, PPM/PGM). Large JPEGs are decoded at a reduced
    /// scale; coordinates are still in the file's full-resolution pixels.
    ///
    /// - Throws: `ImageError` naming the file when it cannot be decoded.
    public func detect(imageAt path: String) throws -> [Face] {
        detect(in: try decodeForDetection(path: path))
    }

    /// Decodes an image file for one detection pass: a large JPEG at the smallest DCT scale
    /// that keeps the sides mapped onto the model input (the long side for letterbox, both for
    /// stretch) at least `inputSize` pixels. libjpeg-turbo's scaled decoding averages whole
    /// 8x8 blocks, so the reduced image is already area-averaged: a 1024-pixel WIDER photo is
    /// decoded at 1/8 scale (128 x 86) with the same accuracy as at 1/2 and 1.2x the speed.
    ///
    /// - Throws: `ImageError` naming the file when it cannot be decoded.
    public func decodeForDetection(path: String) throws -> DecodedImage {
        // decodeScaled keeps each considered side >= 2 * minimumSize.
        try ImageDecoder.decodeScaled(path: path, minimumSize: max(1, inputSize / 2), longSideOnly: options.resize == .letterbox)
    }

    /// Detects faces in an image decoded by `ImageDecoder.decodeScaled`; coordinates are in the
    /// file's full-resolution pixels.
    public func detect(in decoded: DecodedImage) -> [Face] {
        detect(in: decoded.image, scaleX: decoded.scaleX, scaleY: decoded.scaleY)
    }

    /// Detects faces in an RGB image; coordinates are in its pixels.
    public func detect(in image: RGBImage) -> [Face] {
        detect(in: image, scaleX: 1, scaleY: 1)
    }

    /// Detects faces in interleaved 8-bit RGB pixels (`width * height * 3` bytes, rows top to bottom).
    ///
    /// - Throws: ``DetectorError`` when the buffer size does not match.
    public func detect(rgb pixels: [UInt8], width: Int, height: Int) throws -> [Face] {
        guard width > 0, height > 0, pixels.count == width * height * 3 else {
            throw DetectorError("RGB buffer of \(pixels.count) bytes does not match \(width)x\(height)x3")
        }
        return detect(in: try RGBImage(width: width, height: height, pixels: pixels))
    }

    /// Raw detections in the model's normalised input frame (before mapping to pixels), with the
    /// transform that maps them back. For evaluation and debugging.
    public func detectNormalized(in image: RGBImage) -> (detections: [Detection], transform: InputTransform) {
        let (candidates, transform) = candidates(in: image)
        let kept = nonMaxSuppression(candidates, method: options.nms, iouThreshold: options.iouThreshold,
                                     maxDetections: options.maxFaces)
        return (kept, transform)
    }

    /// Every decoded detection scoring at least ``DetectorOptions/minScore``, before non-max
    /// suppression, in the model's normalised input frame.
    public func candidates(in image: RGBImage) -> (detections: [Detection], transform: InputTransform) {
        let (pixels, transform) = ModelInput.prepare(image, size: inputSize, mode: options.resize)
        return (candidates(pixels: pixels), transform)
    }

    /// Runs the model on prepared `inputSize x inputSize` RGB bytes and decodes every detection
    /// scoring at least ``DetectorOptions/minScore`` (before NMS), in normalised input coordinates.
    func candidates(pixels: [UInt8], minScore: Float? = nil) -> [Detection] {
        var decodeOptions = decodeOptions
        if let minScore { decodeOptions.minScore = minScore }
        let interpreter = pool.take()
        defer { pool.give(interpreter) }
        let (scale, offset) = normalization.affine
        if normalization == .unit && model.acceptsPixels(input: 0) {
            // The int8 model: pixels go straight into its quantized input (exactly QUANTIZE(p/255)).
            try? interpreter.setInput(0, pixels: pixels)
        } else if let input = interpreter.tensorBytes(model.inputIndices[0]) {
            let floats = input.bindMemory(to: Float.self)
            _ = ModelInput.normalize(pixels, into: floats, scale: scale, offset: offset)
        } else {
            // A quantized input fed other values than pixel/255: quantized while copied in.
            try? interpreter.setInput(0, floats: ModelInput.normalize(pixels, scale: scale, offset: offset))
        }
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

    func detect(in image: RGBImage, scaleX: Float, scaleY: Float) -> [Face] {
        let (detections, transform) = detectNormalized(in: image)
        return detections.map { d in
            face(from: d) { x, y in
                let p = transform.toSource(x: x, y: y)
                return (p.x * scaleX, p.y * scaleY)
            }
        }
    }

    /// The reported face of a detection: coordinates through `mapping`, box in the options' style.
    func face(from detection: Detection, mapping: (Float, Float) -> (Float, Float)) -> Face {
        var face = Face(detection: detection, mapping: mapping)
        face.box = options.boxStyle.apply(to: face.box)
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
