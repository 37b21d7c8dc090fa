import BlazeFace
import Foundation
import Imaging

/// Model inputs made from a folder of photos exactly as detection makes them: each whole image
/// decoded and letterboxed by ``FaceDetector`` (``FaceDetector/decodeImage(at:for:)``,
/// ``ModelInput/prepare(_:size:mode:)``), and tiles of its `--tiles auto` plan
/// (the same, with the tiling, ``TilePlanner``,
/// ``ModelInput/prepareRegion(_:x:y:size:outputSize:)``), normalised as the detector normalises.
public struct CalibrationImages: Sendable {
    /// The photos used, in order.
    public var paths: [String]
    /// `inputSize x inputSize x 3` RGB bytes per input: each photo's whole image, then its tiles.
    public var pixels: [[UInt8]]
    /// Which photo each input came from (index into ``paths``).
    public var source: [Int]
    /// The affine map pixel -> model input value.
    public var scale: Float, offset: Float

    /// Image files under `directory` (recursively; JPEG, PNG, PPM/PGM), sorted by path.
    public static func imageFiles(in directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw QuantizerError("calibration folder '\(directory)' does not exist or is not a folder")
        }
        guard let e = FileManager.default.enumerator(atPath: directory) else {
            throw QuantizerError("calibration folder '\(directory)' cannot be listed")
        }
        let extensions: Set<String> = ["jpg", "jpeg", "png", "ppm", "pgm"]
        var files: [String] = []
        while let name = e.nextObject() as? String {
            if extensions.contains((name as NSString).pathExtension.lowercased()) {
                files.append((directory as NSString).appendingPathComponent(name))
            }
        }
        return files.sorted()
    }

    /// Prepares `paths` for `detector`'s model: the whole image and up to `tilesPerImage` tiles of
    /// its `auto` tile plan (chosen evenly across the plan's levels under the whole image, with a
    /// seeded generator).
    ///
    /// - Throws: `ImageError` naming a file that cannot be decoded.
    ///
    /// With `contentOnly`, no input has black padding: the whole image is its centred square crop
    /// instead of the letterbox, and only tiles inside the image are chosen. (Black drives
    /// MediaPipe's float activations to extremes, up to 30,000 in the score logits; letterbox
    /// padding is a quarter of a 4:3 photo's input, enough to set most percentiles.)
    public init(paths: [String], detector: FaceDetector, tilesPerImage: Int, contentOnly: Bool = false, seed: UInt64 = 14) throws {
        self.paths = paths
        pixels = []
        source = []
        (scale, offset) = detector.normalization == .unit ? (1 / 255, 0) : (1 / 127.5, -1)
        var rng = SplitMix(seed: seed)
        let n = detector.inputSize
        let tiling = TilingOptions(mode: .auto)
        for (k, path) in paths.enumerated() {
            let whole = try detector.decodeImage(at: path)
            let w = whole.image.width, h = whole.image.height, side = min(w, h)
            if contentOnly, let crop = ModelInput.prepareRegion(whole.image, x: (w - side) / 2, y: (h - side) / 2, size: side, outputSize: n) {
                pixels.append(crop.pixels)
            } else {
                pixels.append(ModelInput.prepare(whole.image, size: n, mode: detector.options.resize).pixels)
            }
            source.append(k)
            guard tilesPerImage > 0 else { continue }
            let decoded = try detector.decodeImage(at: path, for: DetectionOptions(tiling: tiling))
            var t = tiling
            t.minFace *= 1 / max(decoded.scaleX, decoded.scaleY, 1e-6)
            let plan = TilePlanner.plan(width: decoded.image.width, height: decoded.image.height, inputSize: n, options: t)
                .filter { t in
                    t.level > 0 && (!contentOnly || (t.x >= 0 && t.y >= 0 && t.x + t.size <= decoded.image.width && t.y + t.size <= decoded.image.height))
                }
            let levels = Dictionary(grouping: plan, by: \.level)
            let order = levels.keys.sorted()
            guard !order.isEmpty else { continue }
            for i in 0..<tilesPerImage {
                guard let tiles = levels[order[i % order.count]], !tiles.isEmpty else { continue }
                let tile = tiles[Int(rng.next() % UInt64(tiles.count))]
                if let region = ModelInput.prepareRegion(decoded.image, x: tile.x, y: tile.y, size: tile.size, outputSize: n) {
                    pixels.append(region.pixels)
                    source.append(k)
                }
            }
        }
    }

    /// The float model input of `pixels[i]`.
    public func input(_ i: Int) -> [Float] {
        ModelInput.normalize(pixels[i], scale: scale, offset: offset)
    }
}

/// A small seeded generator (SplitMix64), for reproducible choices.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
