import Anonymizer
import BlazeFace
import Foundation
import Imaging
import Testing
import TestSupport

/// Deterministic noise: a texture whose variance a blur must remove.
func noiseImage(width: Int, height: Int, seed: UInt64 = 1) throws -> RGBImage {
    var rng = SplitMix64(seed: seed)
    var px = [UInt8](repeating: 0, count: width * height * 3)
    for i in px.indices { px[i] = UInt8(truncatingIfNeeded: rng.next()) }
    return try RGBImage(width: width, height: height, pixels: px)
}

/// Variance of the grey level over the pixels of `image` inside a rectangle.
func variance(_ image: RGBImage, x0: Int, y0: Int, x1: Int, y1: Int) -> Double {
    var s = 0.0, s2 = 0.0, n = 0.0
    for y in max(0, y0)..<min(image.height, y1) {
        for x in max(0, x0)..<min(image.width, x1) {
            guard let c = image.pixel(x: x, y: y) else { continue }
            let g = (Double(c.red) + Double(c.green) + Double(c.blue)) / 3
            s += g; s2 += g * g; n += 1
        }
    }
    guard n > 0 else { return 0 }
    return s2 / n - (s / n) * (s / n)
}

/// Pixels that differ between two images of the same size and are outside every region.
func changedOutside(_ a: RGBImage, _ b: RGBImage, regions: [MaskRegion]) -> Int {
    var n = 0
    for y in 0..<a.height {
        for x in 0..<a.width where a.pixel(x: x, y: y) != b.pixel(x: x, y: y) {
            if !regions.contains(where: { $0.contains(x: x, y: y) }) { n += 1 }
        }
    }
    return n
}

/// A face with a model-style box and eyes/mouth placed in it.
func syntheticFace(x: Float, y: Float, side: Float, score: Float = 0.9) -> Face {
    Face(box: Face.Box(x: x, y: y, width: side, height: side), score: score, keypoints: [
        .rightEye: Face.Point(x: x + side * 0.3, y: y + side * 0.35),
        .leftEye: Face.Point(x: x + side * 0.7, y: y + side * 0.35),
        .mouthCenter: Face.Point(x: x + side * 0.5, y: y + side * 0.75),
    ])
}

/// The float front model (`models/`, fetched by setup) and the sample photo.
enum Fixture {
    static var model: String { SharedData.floatModel }
    static var photo: String { SharedData.samplePhoto }
    static var available: Bool {
        FileManager.default.fileExists(atPath: model) && FileManager.default.fileExists(atPath: photo)
    }
}

/// Runs a test only when ffmpeg and ffprobe are installed, except in CI where they must be.
extension Trait where Self == ConditionTrait {
    static var needsFFmpeg: Self {
        .enabled(if: FFmpeg.isAvailable || SharedData.isCI,
                 "needs ffmpeg and ffprobe in PATH (Debian: apt-get install ffmpeg)")
    }
    static var needsFixture: Self {
        .enabled(if: Fixture.available || SharedData.isCI,
                 "needs models/face_detection_front.tflite and samples/astronaut.png (scripts/setup.sh)")
    }
}

/// Mean squared difference between neighbouring pixels (grey) inside a rectangle: the fine detail
/// (edges, texture) a blur removes, unlike the large-scale shading that plain variance also counts.
func detail(_ image: RGBImage, x0: Int, y0: Int, x1: Int, y1: Int) -> Double {
    func grey(_ x: Int, _ y: Int) -> Double {
        guard let c = image.pixel(x: x, y: y) else { return 0 }
        return (Double(c.red) + Double(c.green) + Double(c.blue)) / 3
    }
    var s = 0.0, n = 0.0
    for y in max(0, y0)..<min(image.height - 1, y1) {
        for x in max(0, x0)..<min(image.width - 1, x1) {
            let g = grey(x, y), dx = grey(x + 1, y) - g, dy = grey(x, y + 1) - g
            s += dx * dx + dy * dy
            n += 2
        }
    }
    return n > 0 ? s / n : 0
}
