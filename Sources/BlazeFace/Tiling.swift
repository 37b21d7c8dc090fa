import Foundation
import Imaging

/// How many scales of tiles to run.
public enum TilingMode: Sendable, Hashable {
    /// One pass over the whole image (letterbox or stretch).
    case off
    /// Levels chosen from the image size and ``TilingOptions/minFace``.
    case auto
    /// This many levels: the whole image, then tiles of 1/2, 1/4, ... of its long side.
    case levels(Int)
    /// Explicit tile sides as fractions of the image's long side (1 = the whole image).
    case sizes([Float])
}

/// Options of multi-scale tiled detection.
///
/// Level 0 is the whole image (letterboxed to a square). Level k covers the image with squares
/// of side `L / 2^k` (L = the image's long side) that overlap their neighbours by ``overlap`` of
/// their side, so any face up to that size lies wholly inside some tile of its level; larger
/// faces are the coarser levels' job. Detections from all tiles are mapped to image pixels,
/// those cut by an inner tile edge are dropped (a neighbour sees the whole face), and the rest are
/// merged by the detector's NMS.
public struct TilingOptions: Sendable, Hashable {
    public var mode: TilingMode
    /// The smallest face, in source pixels, that `auto` should find: it adds levels until such a
    /// face spans ``detectableFace`` model pixels.
    public var minFace: Float
    /// The face size, in model input pixels, that the model still detects reliably.
    public var detectableFace: Float
    /// Fraction of a tile's side shared with each neighbour (0 ..< 1).
    public var overlap: Float
    /// A detection whose box comes within this fraction of the tile side of an inner tile edge
    /// counts as cut by that edge.
    public var edgeMargin: Float
    /// `auto` never plans more model calls than this per image (it stops adding levels).
    public var maxCalls: Int

    /// Creates options.
    public init(mode: TilingMode = .off, minFace: Float = 20, detectableFace: Float = 14, overlap: Float = 0.25,
                edgeMargin: Float = 0.01, maxCalls: Int = 60) {
        self.mode = mode
        self.minFace = minFace
        self.detectableFace = detectableFace
        self.overlap = overlap
        self.edgeMargin = edgeMargin
        self.maxCalls = maxCalls
    }
}

/// One square region of the image run through the model.
public struct Tile: Sendable, Hashable {
    /// Top-left corner and side, in image pixels; the square may extend past the image (black).
    public var x: Int
    public var y: Int
    public var size: Int
    /// 0 for the whole image, k for side L / 2^k.
    public var level: Int
    /// Which sides of the tile lie inside the image (a face may be cut there).
    public var innerLeft: Bool
    public var innerTop: Bool
    public var innerRight: Bool
    public var innerBottom: Bool
}

/// Plans tiles for an image.
public enum TilePlanner {
    /// Positions of `count`-many windows of length `size` spread evenly over `[0, length)`.
    static func positions(length: Int, size: Int, overlap: Float) -> [Int] {
        guard size < length else { return [(length - size) / 2] }
        let stride = max(1, Float(size) * (1 - overlap))
        let count = Int((Float(length - size) / stride).rounded(.up)) + 1
        if count == 1 { return [0] }
        return (0..<count).map { Int((Double($0) * Double(length - size) / Double(count - 1)).rounded()) }
    }

    /// The tiles of one level.
    static func level(_ k: Int, width: Int, height: Int, overlap: Float) -> [Tile] {
        let long = max(width, height)
        return grid(side: k == 0 ? long : max(1, Int((Double(long) / Double(1 << k)).rounded())), level: k,
                    width: width, height: height, overlap: overlap)
    }

    /// Squares of side `side` covering the image with the given overlap; one centred square
    /// (letterbox) when the side reaches the long side.
    static func grid(side: Int, level k: Int, width: Int, height: Int, overlap: Float) -> [Tile] {
        let long = max(width, height)
        if side >= long {
            return [Tile(x: (width - long) / 2, y: (height - long) / 2, size: long, level: k,
                         innerLeft: false, innerTop: false, innerRight: false, innerBottom: false)]
        }
        let size = side
        let xs = positions(length: width, size: size, overlap: overlap)
        let ys = positions(length: height, size: size, overlap: overlap)
        var tiles: [Tile] = []
        for (j, y) in ys.enumerated() {
            for (i, x) in xs.enumerated() {
                tiles.append(Tile(x: x, y: y, size: size, level: k,
                                  innerLeft: i > 0, innerTop: j > 0, innerRight: i < xs.count - 1, innerBottom: j < ys.count - 1))
            }
        }
        return tiles
    }

    /// The tiles for an image; `auto` is ``autoPlan(width:height:inputSize:options:)``.
    public static func plan(width: Int, height: Int, inputSize: Int, options: TilingOptions) -> [Tile] {
        guard width > 0, height > 0 else { return [] }
        let levels: Int
        switch options.mode {
        case .off: levels = 1
        case .levels(let n): levels = max(1, min(n, 12))
        case .sizes(let fractions):
            let long = Float(max(width, height))
            return fractions.enumerated().flatMap { k, f in
                grid(side: max(8, Int((f * long).rounded())), level: k, width: width, height: height, overlap: options.overlap)
            }
        case .auto:
            return autoPlan(width: width, height: height, inputSize: inputSize, options: options)
        }
        return (0..<levels).flatMap { level($0, width: width, height: height, overlap: options.overlap) }
    }
}

extension TilePlanner {
    /// `auto`: the whole image, then tiles of side 2T and T, where T makes a face of
    /// ``TilingOptions/minFace`` pixels span ``TilingOptions/detectableFace`` model pixels
    /// (T = minFace * inputSize / detectableFace). Levels that would not be smaller than the
    /// image are left out; when the plan exceeds ``TilingOptions/maxCalls``, T grows by 10 %
    /// steps until it fits (the smallest face found grows with it).
    ///
    /// On 1024-pixel WIDER photos the defaults (min face 20, overlap 0.25) give tiles of 1, 0.35
    /// and 0.18 of the long side: 55 calls, the best accuracy per call measured (README).
    public static func autoPlan(width: Int, height: Int, inputSize: Int, options: TilingOptions) -> [Tile] {
        let long = Float(max(width, height))
        var finest = options.minFace * Float(inputSize) / max(options.detectableFace, 1)
        while true {
            var fractions: [Float] = [1]
            for side in [2 * finest, finest] where side < 0.7 * long && side >= 8 { fractions.append(side / long) }
            let tiles = plan(width: width, height: height, inputSize: inputSize,
                             options: TilingOptions(mode: .sizes(fractions), overlap: options.overlap))
            if tiles.count <= max(1, options.maxCalls) || fractions.count == 1 { return tiles }
            finest *= 1.1
        }
    }
}

/// Faces found by tiled detection, with its cost.
public struct TiledResult: Sendable {
    public var faces: [Face]
    /// Model invocations made for the image.
    public var modelCalls: Int
}

extension FaceDetector {
    /// Multi-scale tiled detection: runs the model on every tile of the plan (in parallel on up to
    /// `threads` threads), maps detections to image pixels, drops those cut by an inner tile edge,
    /// and merges the rest with the detector's NMS settings. Coordinates are in `image` pixels
    /// times (`scaleX`, `scaleY`).
    public func detect(in image: RGBImage, tiling: TilingOptions, threads: Int = 1,
                       scaleX: Float = 1, scaleY: Float = 1) -> TiledResult {
        if tiling.mode == .off {
            return TiledResult(faces: detect(in: image, scaleX: scaleX, scaleY: scaleY), modelCalls: 1)
        }
        let tiles = TilePlanner.plan(width: image.width, height: image.height, inputSize: inputSize, options: tiling)
        let perTile = parallelMap(count: tiles.count, threads: threads) { [self] i in
            self.detections(in: image, tile: tiles[i], margin: tiling.edgeMargin)
        }
        // Merge in image pixel space, normalised by the long side so that IoU is unchanged.
        let long = Float(max(image.width, image.height))
        let all = perTile.flatMap { $0 }.map { $0.scaled(by: 1 / long) }
        let kept = nonMaxSuppression(all, method: options.nms, iouThreshold: options.iouThreshold, maxDetections: options.maxFaces)
        let faces = kept.map { d in Face(detection: d) { x, y in (x * long * scaleX, y * long * scaleY) } }
        return TiledResult(faces: faces, modelCalls: tiles.count)
    }

    /// Decodes an image file for tiled detection: a large JPEG at the smallest DCT scale that
    /// keeps the plan's finest tile at least ``inputSize`` pixels wide, so that no tile is
    /// upsampled (with `--tiles auto` and a 20-pixel minimum face: 3/4 scale, about half the
    /// pixels and memory of a full decode; with coarser plans much less).
    ///
    /// - Throws: `ImageError` naming the file when it cannot be decoded.
    public func decodeForTiling(path: String, tiling: TilingOptions) throws -> DecodedImage {
        let size = inputSize
        return try ImageDecoder.decodeScaled(path: path, longSideOnly: true) { w, h in
            let tiles = TilePlanner.plan(width: w, height: h, inputSize: size, options: tiling)
            guard let finest = tiles.map(\.size).min(), finest > 0 else { return nil }
            // The long side at which the finest tile spans `size` pixels; decodeScaled keeps the
            // long side >= 2 * minimumSize.
            let long = (Double(max(w, h)) * Double(size) / Double(finest)).rounded(.up)
            return Int(((long + 1) / 2).rounded(.down))
        }
    }

    /// Tiled detection on an image from ``decodeForTiling(path:tiling:)`` (or any
    /// ``DecodedImage``): `auto`'s minimum face is scaled to the decoded pixels, and the faces
    /// come back in the file's full-resolution pixels.
    public func detect(in decoded: DecodedImage, tiling: TilingOptions, threads: Int = 1) -> TiledResult {
        var t = tiling
        t.minFace *= 1 / max(decoded.scaleX, decoded.scaleY, 1e-6)
        return detect(in: decoded.image, tiling: t, threads: threads, scaleX: decoded.scaleX, scaleY: decoded.scaleY)
    }

    /// Candidates of one tile in image pixels, without those cut by an inner tile edge.
    func detections(in image: RGBImage, tile: Tile, margin: Float) -> [Detection] {
        guard let region = ModelInput.prepareRegion(image, x: tile.x, y: tile.y, size: tile.size, outputSize: inputSize) else { return [] }
        let m = margin * Float(tile.size)
        let left = Float(tile.x) + m, top = Float(tile.y) + m
        let right = Float(tile.x + tile.size) - m, bottom = Float(tile.y + tile.size) - m
        return candidates(pixels: region.pixels).compactMap { d in
            let mapped = d.mapped { x, y in
                let p = region.transform.toSource(x: x, y: y)
                return (p.x + Float(region.originX), p.y + Float(region.originY))
            }
            let b = mapped.box
            if (tile.innerLeft && b.xMin < left) || (tile.innerTop && b.yMin < top)
                || (tile.innerRight && b.xMax > right) || (tile.innerBottom && b.yMax > bottom) {
                return nil
            }
            return mapped
        }
    }
}

extension Detection {
    /// The detection with its box corners and keypoints passed through `f`.
    func mapped(_ f: (Float, Float) -> (Float, Float)) -> Detection {
        var d = self
        let a = f(box.xMin, box.yMin), b = f(box.xMax, box.yMax)
        d.box = NormalizedBox(xMin: min(a.0, b.0), yMin: min(a.1, b.1), xMax: max(a.0, b.0), yMax: max(a.1, b.1))
        d.keypoints = keypoints.map { p in
            let q = f(p.x, p.y)
            return NormalizedPoint(x: q.0, y: q.1)
        }
        return d
    }

    func scaled(by s: Float) -> Detection { mapped { ($0 * s, $1 * s) } }
}
