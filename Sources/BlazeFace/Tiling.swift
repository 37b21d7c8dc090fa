import Foundation
import Imaging

/// How many scales of tiles to run.
public enum TilingMode: Sendable, Hashable {
    /// One pass over the whole image (letterbox or stretch).
    case off
    /// Levels chosen from the image size and ``TilingOptions/minFace``: the whole image and one
    /// dense level, then finer levels guided by the faces found so far
    /// (``TilePlanner/autoPlan(width:height:inputSize:options:)``).
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
    /// `auto` never makes more model calls than this for one image: its dense levels are made
    /// coarser until they fit, and guided tiles beyond it are skipped (weakest guidance first).
    public var maxCalls: Int
    /// A candidate face guides the tiles of a finer level when it scores at least this...
    public var guideScore: Float
    /// ...and its box side, seen at that level's tile scale, spans at most this many model
    /// pixels (larger faces do not suggest smaller neighbours).
    public var guideFaceSize: Float

    /// Creates options.
    public init(mode: TilingMode = .off, minFace: Float = 10, detectableFace: Float = 14, overlap: Float = 0.25,
                edgeMargin: Float = 0.01, maxCalls: Int = 200, guideScore: Float = 0.25, guideFaceSize: Float = 36) {
        (self.mode, self.minFace, self.detectableFace, self.overlap) = (mode, minFace, detectableFace, overlap)
        (self.edgeMargin, self.maxCalls, self.guideScore, self.guideFaceSize) = (edgeMargin, maxCalls, guideScore, guideFaceSize)
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
    /// A guided tile runs only where coarser levels found small candidate faces (`auto`).
    public var guided: Bool = false
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
    /// `auto`: a ladder of tile sides with ratio √2 from 4F down to F, where F makes a face of
    /// ``TilingOptions/minFace`` pixels span ``TilingOptions/detectableFace`` model pixels
    /// (F = minFace * inputSize / detectableFace), under the whole image:
    ///
    /// - level 0, the whole image, and level 1, tiles of side 4F, cover the image (dense);
    /// - levels 2-5, tiles of side 2√2 F, 2F, √2 F and F, are *guided*: at detection time a tile
    ///   runs only where the levels before it found a candidate face small enough to have
    ///   smaller neighbours (``TilingOptions/guideScore``, ``TilingOptions/guideFaceSize``).
    ///
    /// Sides that would not be smaller than 0.7 of the long side are left out (the first side
    /// left is then the dense level). When the dense levels alone would take more than a quarter
    /// of ``TilingOptions/maxCalls`` (leaving the rest for guided tiles; at least 4 calls, or the
    /// whole budget when it is smaller), F grows by 10 % steps
    /// until they fit (the smallest face found grows with it). The returned tiles are every tile
    /// that may run; guided ones have ``Tile/guided`` set.
    ///
    /// On 1024-pixel WIDER photos the defaults (min face 10, overlap 0.25) give sides 1024, 366,
    /// 259, 183, 129 and 91 pixels; 13 dense tiles, and about 40 guided ones run on average.
    public static func autoPlan(width: Int, height: Int, inputSize: Int, options: TilingOptions) -> [Tile] {
        let long = Float(max(width, height))
        var finest = options.minFace * Float(inputSize) / max(options.detectableFace, 1)
        while true {
            var tiles = grid(side: Int(long), level: 0, width: width, height: height, overlap: options.overlap)
            var level = 1
            var dense = 1
            for factor in [Float(4), 2 * Float(2).squareRoot(), 2, Float(2).squareRoot(), 1] {
                let side = factor * finest
                guard side < 0.7 * long, side >= 8 else { continue }
                var ts = grid(side: Int(side.rounded()), level: level, width: width, height: height, overlap: options.overlap)
                // The first level under the whole image is dense; the finer ones are guided.
                if level > 1 {
                    for i in ts.indices { ts[i].guided = true }
                } else {
                    dense += ts.count
                }
                tiles += ts
                level += 1
            }
            // A quarter of the budget, but at least 4 calls (or the whole budget when smaller).
            let denseBudget = max(options.maxCalls / 4, min(options.maxCalls, 4), 1)
            if dense <= denseBudget || level == 1 { return tiles }
            finest *= 1.1
        }
    }
}
