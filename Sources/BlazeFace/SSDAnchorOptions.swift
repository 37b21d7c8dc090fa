/// Options for SSD anchor generation, mirroring MediaPipe's `SsdAnchorsCalculatorOptions`.
///
/// Each of the `numLayers` layers has a stride; consecutive layers with the same stride share one
/// grid of `ceil(input / stride)` cells (unless `featureMapWidth`/`featureMapHeight` give the grid
/// sizes explicitly). See ``generateAnchors(_:)`` for how anchors are laid out.
public struct SSDAnchorOptions: Sendable, Hashable {
    /// Number of output layers; must equal `strides.count`.
    public var numLayers: Int
    /// Scale of the first layer's anchors (relative to the input size).
    public var minScale: Float
    /// Scale of the last layer's anchors (relative to the input size).
    public var maxScale: Float
    /// Model input width in pixels.
    public var inputWidth: Int
    /// Model input height in pixels.
    public var inputHeight: Int
    /// Horizontal offset of an anchor centre inside its cell, in cells (0.5 = centre).
    public var anchorOffsetX: Float
    /// Vertical offset of an anchor centre inside its cell, in cells (0.5 = centre).
    public var anchorOffsetY: Float
    /// Stride of each layer in input pixels; one entry per layer.
    public var strides: [Int]
    /// Explicit grid widths per layer; when empty, `ceil(inputWidth / stride)` is used.
    public var featureMapWidth: [Int]
    /// Explicit grid heights per layer; when empty, `ceil(inputHeight / stride)` is used.
    public var featureMapHeight: [Int]
    /// Aspect ratios (width / height); each one adds an anchor per cell per layer.
    public var aspectRatios: [Float]
    /// When true every anchor has width = height = 1, so decoded offsets are not rescaled.
    public var fixedAnchorSize: Bool
    /// When > 0, each layer adds one more anchor per cell with this aspect ratio and the
    /// geometric mean of this layer's and the next layer's scale.
    public var interpolatedScaleAspectRatio: Float
    /// When true, layer 0 uses three predefined anchors (scale 0.1 ratio 1, ratios 2 and 0.5).
    public var reduceBoxesInLowestLayer: Bool

    /// Creates anchor options; the defaults are MediaPipe's proto defaults where it has them.
    public init(
        numLayers: Int,
        minScale: Float,
        maxScale: Float,
        inputWidth: Int,
        inputHeight: Int,
        anchorOffsetX: Float = 0.5,
        anchorOffsetY: Float = 0.5,
        strides: [Int],
        featureMapWidth: [Int] = [],
        featureMapHeight: [Int] = [],
        aspectRatios: [Float],
        fixedAnchorSize: Bool = false,
        interpolatedScaleAspectRatio: Float = 1.0,
        reduceBoxesInLowestLayer: Bool = false
    ) {
        self.numLayers = numLayers
        self.minScale = minScale
        self.maxScale = maxScale
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.anchorOffsetX = anchorOffsetX
        self.anchorOffsetY = anchorOffsetY
        self.strides = strides
        self.featureMapWidth = featureMapWidth
        self.featureMapHeight = featureMapHeight
        self.aspectRatios = aspectRatios
        self.fixedAnchorSize = fixedAnchorSize
        self.interpolatedScaleAspectRatio = interpolatedScaleAspectRatio
        self.reduceBoxesInLowestLayer = reduceBoxesInLowestLayer
    }

    /// BlazeFace front (short range) 128x128 model, as in MediaPipe's face detection graph.
    ///
    /// Yields 896 anchors: 16x16 cells x 2 (stride 8) then 8x8 cells x 6 (stride 16).
    public static let blazeFaceFront = SSDAnchorOptions(
        numLayers: 4,
        minScale: 0.1484375,
        maxScale: 0.75,
        inputWidth: 128,
        inputHeight: 128,
        strides: [8, 16, 16, 16],
        aspectRatios: [1.0],
        fixedAnchorSize: true,
        interpolatedScaleAspectRatio: 1.0
    )

    /// BlazeFace back-camera 256x256 model, as in MediaPipe's `face_detection_back` graph.
    ///
    /// Yields 896 anchors: 16x16 cells x 2 (stride 16) then 8x8 cells x 6 (stride 32).
    /// MediaPipe uses min scale 0.15625 here; with fixed anchor sizes the scales have no effect.
    public static let blazeFaceBack: SSDAnchorOptions = {
        var o = blazeFaceFront
        (o.minScale, o.inputWidth, o.inputHeight, o.strides) = (0.15625, 256, 256, [16, 32, 32, 32])
        return o
    }()

    /// MediaPipe's full-range face detector (192x192 input): one layer of stride 4, one anchor
    /// per cell (no interpolated scale), 48 x 48 = 2,304 anchors.
    public static let blazeFaceFullRange = SSDAnchorOptions(
        numLayers: 1,
        minScale: 0.1484375,
        maxScale: 0.75,
        inputWidth: 192,
        inputHeight: 192,
        strides: [4],
        aspectRatios: [1.0],
        fixedAnchorSize: true,
        interpolatedScaleAspectRatio: 0.0
    )
}
