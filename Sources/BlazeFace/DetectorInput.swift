import Engine
import Imaging

/// The one place where pixels become the model's input: the image (or a tile of it) is resampled
/// into the square input (``Imaging/ModelInput``), then normalised and written into an
/// interpreter's input tensor. The engine's own input stage (its fused QUANTIZE) takes over from
/// there.
struct DetectorInput: Sendable {
    /// Side of the square model input, in pixels.
    let size: Int
    /// How a whole image is fitted into the square.
    let resize: ResizeMode
    /// The normalisation in use (never ``InputNormalization/automatic``).
    let normalization: InputNormalization
    /// Whether the model takes 8-bit pixels straight into its quantized input (the int8 model
    /// with [0, 1] normalisation: exactly QUANTIZE(p / 255)).
    let takesPixels: Bool

    init(model: CompiledModel, size: Int, resize: ResizeMode, normalization: InputNormalization) {
        self.size = size
        self.resize = resize
        self.normalization = normalization
        takesPixels = normalization == .unit && model.acceptsPixels(input: 0)
    }

    /// The whole image fitted into the input (letterbox or stretch), with the transform back.
    func prepare(_ image: RGBImage) -> (pixels: [UInt8], transform: InputTransform) {
        ModelInput.prepare(image, size: size, mode: resize)
    }

    /// One tile of the image as the input; nil when the tile misses the image.
    func prepare(_ image: RGBImage, tile: Tile) -> (pixels: [UInt8], transform: InputTransform, originX: Int, originY: Int)? {
        ModelInput.prepareRegion(image, x: tile.x, y: tile.y, size: tile.size, outputSize: size)
    }

    /// Writes prepared `size x size` RGB bytes into the interpreter's input.
    func feed(_ pixels: [UInt8], into interpreter: Interpreter, model: CompiledModel) {
        let (scale, offset) = normalization.affine
        if takesPixels {
            try? interpreter.setInput(0, pixels: pixels)
        } else if let input = interpreter.tensorBytes(model.inputIndices[0]) {
            _ = ModelInput.normalize(pixels, into: input.bindMemory(to: Float.self), scale: scale, offset: offset)
        } else {
            // A quantized input fed other values than pixel/255: quantized while copied in.
            try? interpreter.setInput(0, floats: ModelInput.normalize(pixels, scale: scale, offset: offset))
        }
    }
}
