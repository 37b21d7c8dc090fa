@testable import Evaluation

/// SplitMix64, the generator shared with `scripts/wider_eval_reference.py`.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0 ..< n` (`next() % n`, as the Python script).
    mutating func uniform(_ n: Int) -> Int {
        Int(next() % UInt64(n))
    }
}

/// The deterministic synthetic prediction set of `scripts/wider_eval_reference.py` (`generate`).
///
/// Images in ascending key order. Per image: r = uniform(100); r < 4: no file; r < 6: a file with
/// no boxes. Otherwise per face (x, y, w, h): skipped if uniform(100) < 25; else jittered by
/// dx, dy, dw, dh drawn from [-s, s] with s = w / 10 + 1 (h / 10 + 1 for y and h), size at least 1,
/// score k / 10000 with k = 3000 + uniform(7000); with probability 15% a duplicate shifted one
/// pixel right with score max(1, k - uniform(2000)) / 10000. Then uniform(4) random false
/// positives: x = uniform(1000), y = uniform(800), w = 8 + uniform(80), h = 8 + uniform(80),
/// score (1 + uniform(6000)) / 10000.
enum SyntheticPredictions {
    static let seed: UInt64 = 20_240_601

    static func generate(groundTruth: WiderGroundTruth) -> WiderPredictionSet {
        var rng = SplitMix64(state: seed)
        var images: [String: ImagePredictions] = [:]
        for image in groundTruth.images.sorted(by: { $0.key < $1.key }) {
            let r = rng.uniform(100)
            if r < 4 { continue }
            var boxes: [ScoredBox] = []
            if r < 6 {
                images[image.key] = ImagePredictions(boxes: boxes)
                continue
            }
            for face in image.faces {
                if rng.uniform(100) < 25 { continue }
                let x = Int(face.x), y = Int(face.y), w = Int(face.width), h = Int(face.height)
                let sx = w / 10 + 1
                let sy = h / 10 + 1
                let dx = rng.uniform(2 * sx + 1) - sx
                let dy = rng.uniform(2 * sy + 1) - sy
                let dw = rng.uniform(2 * sx + 1) - sx
                let dh = rng.uniform(2 * sy + 1) - sy
                let bw = max(1, w + dw)
                let bh = max(1, h + dh)
                let k = 3000 + rng.uniform(7000)
                boxes.append(ScoredBox(x: Double(x + dx), y: Double(y + dy), width: Double(bw), height: Double(bh), score: Double(k) / 10000))
                if rng.uniform(100) < 15 {
                    let k2 = max(1, k - rng.uniform(2000))
                    boxes.append(ScoredBox(x: Double(x + dx + 1), y: Double(y + dy), width: Double(bw), height: Double(bh), score: Double(k2) / 10000))
                }
            }
            for _ in 0..<rng.uniform(4) {
                let fx = rng.uniform(1000)
                let fy = rng.uniform(800)
                let fw = 8 + rng.uniform(80)
                let fh = 8 + rng.uniform(80)
                let k = 1 + rng.uniform(6000)
                boxes.append(ScoredBox(x: Double(fx), y: Double(fy), width: Double(fw), height: Double(fh), score: Double(k) / 10000))
            }
            images[image.key] = ImagePredictions(boxes: boxes)
        }
        return WiderPredictionSet(images: images)
    }
}
