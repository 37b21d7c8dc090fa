import Foundation
import Imaging

extension FaceDetector {
    /// Multi-scale tiled detection on `image`: runs the model on every tile of the plan (the
    /// tiles of one level in parallel on up to `threads` threads; guided levels in rounds),
    /// maps detections to image pixels, drops those cut by an inner tile edge, and merges the
    /// rest with the detector's NMS settings.
    ///
    /// - Returns: The kept detections in image pixels divided by the image's long side, and the
    ///   model calls made.
    func runTiles(_ image: RGBImage, tiling: TilingOptions, threads: Int) -> (detections: [Detection], calls: Int) {
        let tiles = TilePlanner.plan(width: image.width, height: image.height, inputSize: inputSize, options: tiling)
        // Level by level (finer levels are guided by what the coarser ones found).
        var found: [Detection] = []
        var calls = 0
        let levels = Dictionary(grouping: tiles.indices, by: { tiles[$0].level })
        for level in levels.keys.sorted() {
            let members = (levels[level] ?? []).map { tiles[$0] }
            calls += runLevel(members, in: image, tiling: tiling, threads: threads, calls: calls, found: &found)
        }
        // Guidance may have needed weaker candidates than the detector reports.
        found.removeAll { $0.score < options.minScore }
        // Merge in image pixel space, normalised by the long side so that IoU is unchanged.
        let long = Float(max(image.width, image.height))
        let all = found.map { $0.scaled(by: 1 / long) }
        let kept = nonMaxSuppression(all, method: options.nms, iouThreshold: options.iouThreshold, maxDetections: options.maxFaces)
        return (kept, calls)
    }

    /// Runs the tiles of one level, adding their detections to `found`; returns the calls made.
    /// A dense level runs every tile at once. A guided level runs in rounds: the faces found by
    /// one round guide its neighbours in the next (a crowd is followed across tiles), until no
    /// new tile qualifies or the budget left by the `calls` made so far is spent.
    func runLevel(_ levelTiles: [Tile], in image: RGBImage, tiling: TilingOptions, threads: Int, calls: Int,
                  found: inout [Detection]) -> Int {
        guard let guided = levelTiles.first?.guided else { return 0 }
        var made = 0
        var ran = Set<Int>()
        while true {
            let positions = guided
                ? guidedTiles(levelTiles, found: found, tiling: tiling, budget: tiling.maxCalls - calls - made, skipping: ran)
                : Array(levelTiles.indices)
            if positions.isEmpty { break }
            let perTile = parallelMap(count: positions.count, threads: threads) { [self] i in
                self.detections(in: image, tile: levelTiles[positions[i]], tiling: tiling)
            }
            found += perTile.flatMap { $0 }
            made += positions.count
            if !guided { break }
            ran.formUnion(positions)
        }
        return made
    }

    /// The positions (in `tiles`) of the guided tiles to run: those containing the centre of a
    /// candidate found so far that scores at least ``TilingOptions/guideScore`` and spans at
    /// most ``TilingOptions/guideFaceSize`` model pixels at the tiles' scale. When more than
    /// `budget` qualify, the ones whose guiding candidates have the highest summed score win.
    /// Tiles at positions in `skipped` (already run) are left out. The result keeps the tiles'
    /// order.
    func guidedTiles(_ tiles: [Tile], found: [Detection], tiling: TilingOptions, budget: Int,
                     skipping skipped: Set<Int> = []) -> [Int] {
        guard budget > 0, let side = tiles.first?.size, side > 0 else { return [] }
        let largest = tiling.guideFaceSize * Float(side) / Float(inputSize)
        let guides = found.filter { d in
            d.score >= tiling.guideScore
                && ((d.box.xMax - d.box.xMin) * (d.box.yMax - d.box.yMin)).squareRoot() <= largest
        }
        guard !guides.isEmpty else { return [] }
        var weighted: [(weight: Float, index: Int)] = []
        for (i, t) in tiles.enumerated() where !skipped.contains(i) {
            let x0 = Float(t.x), y0 = Float(t.y), x1 = Float(t.x + t.size), y1 = Float(t.y + t.size)
            var weight: Float = 0
            for d in guides {
                let cx = (d.box.xMin + d.box.xMax) / 2, cy = (d.box.yMin + d.box.yMax) / 2
                if cx >= x0 && cx < x1 && cy >= y0 && cy < y1 { weight += d.score }
            }
            if weight > 0 { weighted.append((weight, i)) }
        }
        if weighted.count > budget {
            weighted.sort { $0.weight != $1.weight ? $0.weight > $1.weight : $0.index < $1.index }
            weighted.removeLast(weighted.count - budget)
        }
        return weighted.map(\.index).sorted()
    }

    /// Candidates of one tile in image pixels, without those cut by an inner tile edge.
    func detections(in image: RGBImage, tile: Tile, tiling: TilingOptions) -> [Detection] {
        let margin = tiling.edgeMargin
        guard let region = input.prepare(image, tile: tile) else { return [] }
        let m = margin * Float(tile.size)
        let left = Float(tile.x) + m, top = Float(tile.y) + m
        let right = Float(tile.x + tile.size) - m, bottom = Float(tile.y + tile.size) - m
        // Guided plans decode down to the guide score, so that the guidance does not depend on
        // the detector's minimum score; the weaker candidates are dropped after the plan ran.
        let guided = tiling.mode == .auto
        return candidates(pixels: region.pixels, minScore: guided ? min(options.minScore, tiling.guideScore) : nil).compactMap { d in
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
