/// One BlazeFace model family: everything the detector needs to know about a model besides its
/// weights, and where its file is found.
///
/// The table is ``all``; names resolve through ``named(_:)`` for the CLI's `--model NAME`,
/// `inspect NAME`, `run NAME` and for ``FaceDetector/init(model:options:)``:
///
/// ```swift
/// let detector = try FaceDetector(model: .frontInt8)      // MediaPipe short range, int8, 128x128
/// let back = try FaceDetector(model: .named("back")!)      // 256x256
/// ```
///
/// To add a family: add a `static let` below, put it in ``all``, and give it a test in
/// `Tests/BlazeFaceTests/ModelFamilyTests.swift`.
public struct ModelFamily: Sendable, Hashable, CustomStringConvertible {
    /// The canonical name, e.g. `front`.
    public let name: String
    /// Other names accepted for the family (older CLI names such as `float`).
    public let aliases: [String]
    /// One line on what the model is.
    public let summary: String
    /// Side of the square model input, in pixels.
    public let inputSize: Int
    /// The anchor layout.
    public let anchors: SSDAnchorOptions
    /// How raw outputs become detections (``DecodeOptions/minScore`` is replaced by the
    /// detector's).
    public let decoding: DecodeOptions
    /// How 8-bit pixels become the model's input values.
    public let normalization: InputNormalization
    /// How the model's box moves to WIDER FACE's hairline-to-chin box (``BoxStyle/wider``).
    public let widerBox: BoxAdjustment
    /// The model's file name in the search folders.
    public let fileName: String
    /// An environment variable that, when set, gives the file's full path.
    public let environmentVariable: String?
    /// Whether `scripts/setup.sh` provides the file: it fetches MediaPipe's Apache-2.0 float
    /// models and makes their int8 forms with `blazeface quantize`.
    public let fetchedBySetup: Bool
    /// For an int8 model made by `blazeface quantize` (in `scripts/setup.sh`): the name of the
    /// float family it is quantized from.
    public let quantizedFrom: String?

    /// Creates a family.
    public init(name: String, aliases: [String] = [], summary: String, inputSize: Int, anchors: SSDAnchorOptions,
                decoding: DecodeOptions, normalization: InputNormalization, widerBox: BoxAdjustment = .widerFace,
                fileName: String, environmentVariable: String? = nil, fetchedBySetup: Bool, quantizedFrom: String? = nil) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.inputSize = inputSize
        self.anchors = anchors
        self.decoding = decoding
        self.normalization = normalization
        self.widerBox = widerBox
        self.fileName = fileName
        self.environmentVariable = environmentVariable
        self.fetchedBySetup = fetchedBySetup
        self.quantizedFrom = quantizedFrom
    }

    /// The family's name.
    public var description: String { name }

    /// Every name the family answers to: its name, then its aliases.
    public var names: [String] { [name] + aliases }

    /// One of MediaPipe's float models (Apache-2.0, fetched by `scripts/setup.sh`): [-1, 1] input.
    static func mediaPipe(_ name: String, aliases: [String] = [], _ summary: String, anchors: SSDAnchorOptions,
                          decoding: DecodeOptions, file: String) -> ModelFamily {
        ModelFamily(name: name, aliases: aliases, summary: "MediaPipe " + summary, inputSize: anchors.inputWidth,
                    anchors: anchors, decoding: decoding, normalization: .symmetric, fileName: file, fetchedBySetup: true)
    }

    /// MediaPipe's short-range (front camera) float model, 128x128, 896 anchors.
    public static let front = mediaPipe("front", aliases: ["float", "short-range"], "short-range (front camera) float model, 128x128",
                                        anchors: .blazeFaceFront, decoding: .blazeFaceFront, file: "face_detection_front.tflite")
    /// MediaPipe's back-camera float model, 256x256, 896 anchors.
    public static let back = mediaPipe("back", "back-camera float model, 256x256",
                                       anchors: .blazeFaceBack, decoding: .blazeFaceBack, file: "face_detection_back.tflite")
    /// MediaPipe's full-range float model, 192x192, 2,304 anchors.
    public static let fullRange = mediaPipe("full-range", "full-range float model, 192x192", anchors: .blazeFaceFullRange,
                                            decoding: .blazeFaceFullRange, file: "face_detection_full_range.tflite")
    /// MediaPipe's full-range model with sparse weights (same layout as ``fullRange``).
    public static let fullRangeSparse = mediaPipe("full-range-sparse", "full-range float model with sparse weights, 192x192",
                                                  anchors: .blazeFaceFullRange, decoding: .blazeFaceFullRange,
                                                  file: "face_detection_full_range_sparse.tflite")

    /// `float`'s int8 form, made by `blazeface quantize` in `scripts/setup.sh` (per-channel int8
    /// weights, int8 activations, a QUANTIZE taking the float model's [-1, 1] input).
    static func quantized(_ float: ModelFamily, aliases: [String] = []) -> ModelFamily {
        ModelFamily(name: float.name + "-int8", aliases: aliases,
                    summary: float.summary.replacingOccurrences(of: " float model", with: " model") + ", int8 by blazeface quantize",
                    inputSize: float.inputSize, anchors: float.anchors, decoding: float.decoding,
                    normalization: float.normalization, widerBox: float.widerBox,
                    fileName: float.fileName.replacingOccurrences(of: ".tflite", with: "_int8.tflite"),
                    fetchedBySetup: true, quantizedFrom: float.name)
    }

    /// MediaPipe's front model quantized to int8 by blazeface: the default model (when
    /// `scripts/setup.sh` has made it), as accurate as the float model with tiles and about twice
    /// as fast.
    public static let frontInt8 = quantized(.front, aliases: ["int8"])
    /// MediaPipe's back model quantized to int8 by blazeface.
    public static let backInt8 = quantized(.back)
    /// MediaPipe's full-range model quantized to int8 by blazeface.
    public static let fullRangeInt8 = quantized(.fullRange)

    /// ST's int8 front model (STM32 model zoo), 128x128, [0, 1] input quantized to int8. Not
    /// redistributable: found through `$BLAZEFACE_INT8_MODEL` or `../shared/models`.
    public static let stInt8 = ModelFamily(
        name: "st-int8", aliases: ["st"],
        summary: "ST's int8 front model (STM32 model zoo), 128x128",
        inputSize: 128, anchors: .blazeFaceFront, decoding: .blazeFaceFront, normalization: .unit,
        fileName: "blazeface_front_128_quant_pc_ff_od_wider_face.tflite",
        environmentVariable: "BLAZEFACE_INT8_MODEL", fetchedBySetup: false)

    /// Every family, in the order `blazeface models` lists them.
    public static let all: [ModelFamily] = [.front, .back, .fullRange, .fullRangeSparse,
                                            .frontInt8, .backInt8, .fullRangeInt8, .stInt8]

    /// The family called `name` (or one of its aliases); case and `_`/`-` do not matter.
    public static func named(_ name: String) -> ModelFamily? {
        let key = canonical(name)
        return all.first { family in family.names.contains { canonical($0) == key } }
    }

    static func canonical(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "_", with: "-")
    }

    /// The family of a model known only by its input side and the normalisation its graph asks
    /// for (`automatic` resolved): the first family in ``all`` with that input size, preferring
    /// one with that normalisation. Nil when no family has that input size.
    public static func matching(inputSize: Int, normalization: InputNormalization) -> ModelFamily? {
        let sized = all.filter { $0.inputSize == inputSize }
        return sized.first { $0.normalization == normalization } ?? sized.first
    }
}

/// How a model's face box moves to another box convention: the centre goes up by ``up`` of the
/// box height, the width is scaled by ``width`` and the height by ``height``.
public struct BoxAdjustment: Sendable, Hashable {
    /// Centre shift upwards (a fraction of the height), width factor and height factor.
    public var up, width, height: Float

    /// Creates an adjustment.
    public init(up: Float, width: Float, height: Float) {
        (self.up, self.width, self.height) = (up, width, height)
    }

    /// No change.
    public static let identity = BoxAdjustment(up: 0, width: 1, height: 1)

    /// BlazeFace's box to WIDER FACE's: up 8 % of the height, width x 0.92, height x 1.13 (the
    /// medians, rounded, of about 2,000 int8 front-model detections against the WIDER
    /// validation faces they overlap; the float, back and full-range models show the same
    /// offsets within 0.01-0.04).
    public static let widerFace = BoxAdjustment(up: 0.08, width: 0.92, height: 1.13)

    /// `box` (top-left corner and size, y down) moved by this adjustment.
    public func apply(to box: Face.Box) -> Face.Box {
        guard self != .identity else { return box }
        let centreX = box.x + box.width / 2
        let centreY = box.y + box.height / 2 - up * box.height
        let w = box.width * width, h = box.height * height
        return Face.Box(x: centreX - w / 2, y: centreY - h / 2, width: w, height: h)
    }
}
