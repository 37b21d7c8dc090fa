import Foundation
import Imaging
import Testing
import TestSupport
@testable import BlazeFace

@Suite struct TilingTests {
    /// Every pixel of the image lies in some tile of every level; neighbours overlap by at least
    /// the configured fraction; inner-edge flags are set exactly on sides inside the image.
    @Test(arguments: [(1024, 683), (683, 1024), (640, 640), (4000, 3000), (300, 90), (97, 1301)])
    func levelsCoverTheImageWithOverlap(size: (Int, Int)) {
        let (w, h) = size
        let options = TilingOptions(mode: .levels(4), overlap: 0.3)
        let tiles = TilePlanner.plan(width: w, height: h, inputSize: 128, options: options)
        for level in 0..<4 {
            let ts = tiles.filter { $0.level == level }
            #expect(!ts.isEmpty)
            let side = ts[0].size
            #expect(ts.allSatisfy { $0.size == side })
            #expect(side == (level == 0 ? max(w, h) : Int((Double(max(w, h)) / Double(1 << level)).rounded())))
            // Coverage, checked on a grid of sample points (every 7th pixel and the last one).
            for y in Array(stride(from: 0, to: h, by: 7)) + [h - 1] {
                for x in Array(stride(from: 0, to: w, by: 7)) + [w - 1] {
                    #expect(ts.contains { x >= $0.x && x < $0.x + $0.size && y >= $0.y && y < $0.y + $0.size },
                            "level \(level): (\(x), \(y)) uncovered in \(w)x\(h)")
                }
            }
            // Overlap along x between horizontal neighbours (when the level needs more than one).
            let xs = Set(ts.map(\.x)).sorted()
            for (a, b) in zip(xs, xs.dropFirst()) {
                #expect(a + side - b >= Int(0.3 * Float(side)) - 1, "level \(level): overlap \(a + side - b) of \(side)")
            }
            for t in ts {
                #expect(t.innerLeft == (t.x > 0 && t.x > xs.first ?? 0))
                #expect(t.innerRight == (t.x < xs.last ?? 0))
                if side <= w { #expect(t.x >= 0 && t.x + side <= w) }
            }
        }
    }

    @Test func smallImagesAndOffGiveOneTile() {
        let off = TilePlanner.plan(width: 50, height: 30, inputSize: 128, options: TilingOptions(mode: .off))
        #expect(off.count == 1)
        #expect(off[0].size == 50 && off[0].y == -10)  // centred square: letterbox
        // auto on an image already small enough for min-face: one level.
        let auto = TilePlanner.plan(width: 120, height: 100, inputSize: 128, options: TilingOptions(mode: .auto, minFace: 14))
        #expect(auto.count == 1)
        #expect(TilePlanner.plan(width: 0, height: 10, inputSize: 128, options: TilingOptions(mode: .auto)).isEmpty)
    }

    @Test func autoPicksTileSidesFromMinFaceWithinTheCallBudget() {
        // F = minFace * 128 / 14: for min face 10, F = 91.4 px; the ladder is 4F, 2√2F, 2F, √2F, F
        // under the whole image, and only the whole image and the 4F tiles are dense.
        let plan = TilePlanner.plan(width: 1024, height: 683, inputSize: 128, options: TilingOptions(mode: .auto))
        #expect(Set(plan.map(\.size)) == [1024, 366, 259, 183, 129, 91])
        #expect(Set(plan.filter { !$0.guided }.map(\.size)) == [1024, 366])
        #expect(plan.filter { !$0.guided }.count == 1 + 4 * 3)
        #expect(plan.filter(\.guided).allSatisfy { $0.size < 366 })
        // Levels are numbered coarse to fine.
        #expect(plan.map(\.level) == plan.map(\.level).sorted())
        // Min face 20 doubles every side: 732 is over 0.7 of the long side, so it is left out and
        // 517 becomes the dense level.
        let coarser = TilePlanner.plan(width: 1024, height: 683, inputSize: 128, options: TilingOptions(mode: .auto, minFace: 20))
        #expect(Set(coarser.map(\.size)) == [1024, 517, 366, 259, 183])
        #expect(Set(coarser.filter { !$0.guided }.map(\.size)) == [1024, 517])
        // When the dense levels exceed a quarter of the budget, F grows until they fit.
        let cheap = TilePlanner.plan(width: 1024, height: 683, inputSize: 128, options: TilingOptions(mode: .auto, minFace: 4, maxCalls: 32))
        #expect(cheap.filter { !$0.guided }.count <= 8)
        #expect((cheap.map(\.size).min() ?? 0) > 4 * 128 / 14)
        // A small budget still gets a dense level under the whole image (at most 4 calls).
        let tiny = TilePlanner.plan(width: 1024, height: 683, inputSize: 128, options: TilingOptions(mode: .auto, maxCalls: 4))
        let tinyDense = tiny.filter { !$0.guided }.count
        #expect(tinyDense > 1 && tinyDense <= 4, "\(tiny.filter { !$0.guided }.map(\.size))")
        #expect(TilePlanner.plan(width: 1024, height: 683, inputSize: 128, options: TilingOptions(mode: .auto, maxCalls: 1))
            .filter { !$0.guided }.count == 1)
        // A 4000x3000 photo too: its dense levels take at most 50 of the default 200 calls.
        let large = TilePlanner.plan(width: 4000, height: 3000, inputSize: 128, options: TilingOptions(mode: .auto))
        #expect(large.filter { !$0.guided }.count <= 50)
        #expect(large.filter { !$0.guided }.count > 25)
    }

    /// A guided tile runs only where a candidate found so far is confident enough and small for
    /// the tile's scale; past the budget, the tiles with the strongest guidance win.
    @Test(.requires(.int8Model)) func guidedTilesFollowSmallConfidentCandidates() throws {
        let detector = try FaceDetector(modelPath: SharedData.int8Model)
        // Four 100 px tiles side by side (model pixels = image pixels x 1.28); guidance up to 36
        // model pixels means boxes up to 28.1 px.
        let tiles = (0..<4).map { i in
            Tile(x: 100 * i, y: 0, size: 100, level: 2, innerLeft: i > 0, innerTop: false, innerRight: i < 3, innerBottom: false, guided: true)
        }
        func candidate(x: Float, side: Float, score: Float) -> Detection {
            Detection(box: NormalizedBox(xMin: x, yMin: 40, xMax: x + side, yMax: 40 + side), keypoints: [], score: score, anchorIndex: 0)
        }
        let found = [
            candidate(x: 20, side: 20, score: 0.3),    // tile 0: small, confident enough
            candidate(x: 120, side: 60, score: 0.9),   // tile 1: too large to suggest smaller faces
            candidate(x: 220, side: 20, score: 0.1),   // tile 2: too weak
            candidate(x: 320, side: 25, score: 0.8),   // tile 3: small and strong
        ]
        let options = TilingOptions(mode: .auto)
        #expect(detector.guidedTiles(tiles, found: found, tiling: options, budget: 10) == [0, 3])
        #expect(detector.guidedTiles(tiles, found: found, tiling: options, budget: 1) == [3])
        #expect(detector.guidedTiles(tiles, found: found, tiling: options, budget: 0) == [])
        #expect(detector.guidedTiles(tiles, found: [], tiling: options, budget: 10) == [])
    }

    /// On a crowd, guided tiling runs far fewer tiles than its full ladder and finds the small
    /// faces the dense levels miss; on an empty image it runs the dense levels only.
    @Test(.requires(.int8Model, .wider)) func guidedAutoSpendsCallsWhereTheFacesAre() throws {
        let name = "12--Group/12_Group_Group_12_Group_Group_12_935.jpg"   // 309 annotated faces
        let detector = try FaceDetector(modelPath: SharedData.int8Model)
        let auto = TilingOptions(mode: .auto)
        let decoded = try detector.decodeImage(at: SharedData.path("data/wider_face/WIDER_val/images/" + name), for: DetectionOptions(tiling: auto))
        let plan = TilePlanner.plan(width: decoded.image.width, height: decoded.image.height, inputSize: 128, options: auto)
        let dense = plan.filter { !$0.guided }.count
        let result = try detector.detect(.decoded(decoded), options: DetectionOptions(tiling: auto))
        // Guidance follows the crowd until the call budget (200) runs out, short of the full ladder.
        #expect(result.modelCalls > dense && result.modelCalls <= auto.maxCalls && result.modelCalls < plan.count,
                "\(result.modelCalls) of \(plan.count) tiles")
        var capped = auto
        capped.maxCalls = 60
        let cheap = try detector.detect(.decoded(decoded), options: DetectionOptions(tiling: capped))
        #expect(cheap.modelCalls <= 60)
        // The dense levels alone (no candidate can guide): the crowd's faces stay unseen.
        var denseOnly = auto
        denseOnly.guideScore = 2
        let coarse = try detector.detect(.decoded(decoded), options: DetectionOptions(tiling: denseOnly))
        #expect(coarse.modelCalls == dense)
        // Faces matching the ground truth (IoU >= 0.5), each counted once.
        let truth = try groundTruth(name)
        #expect(truth.count == 309)
        func matched(_ faces: [Face]) -> Int { truth.filter { t in faces.contains { iou($0.box, t) >= 0.5 } }.count }
        let found = matched(result.faces), foundDense = matched(coarse.faces)
        #expect(found >= 100 && found > 10 * foundDense, "\(found) faces found guided, \(foundDense) dense only")
        #expect(matched(cheap.faces) > 5 * foundDense && matched(cheap.faces) < found, "\(matched(cheap.faces)) faces within 60 calls")
        let empty = RGBImage(width: 1024, height: 683, color: RGBColor(red: 90, green: 90, blue: 90))
        let none = try detector.detect(.image(empty), options: DetectionOptions(tiling: auto))
        #expect(none.modelCalls == TilePlanner.plan(width: 1024, height: 683, inputSize: 128, options: auto).filter { !$0.guided }.count)
        #expect(none.faces.isEmpty)
    }

    /// One image's boxes from the official `wider_face_val_bbx_gt.txt`.
    func groundTruth(_ name: String) throws -> [Face.Box] {
        let text = try String(contentsOfFile: SharedData.path("data/wider_face/wider_face_split/wider_face_val_bbx_gt.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let at = try #require(lines.firstIndex(of: name))
        let count = try #require(Int(lines[at + 1]))
        return try (0..<count).map { k in
            let v = lines[at + 2 + k].split(separator: " ").compactMap { Float(String($0)) }
            try #require(v.count >= 4)
            return Face.Box(x: v[0], y: v[1], width: v[2], height: v[3])
        }
    }

    @Test func explicitSizesAreFractionsOfTheLongSide() {
        let plan = TilePlanner.plan(width: 1000, height: 500, inputSize: 128, options: TilingOptions(mode: .sizes([1, 0.5]), overlap: 0))
        #expect(plan.filter { $0.level == 0 }.map(\.size) == [1000])
        #expect(plan.filter { $0.level == 1 }.count == 2)   // two 500 px squares side by side
    }

    @Test func regionPreparationMapsBackExactly() throws {
        // A white square at a known place inside a tile comes back at the same image pixels.
        var img = RGBImage(width: 400, height: 300, color: .black)
        img.fillRect(x: 210, y: 120, width: 40, height: 40, color: .white)
        let region = try #require(ModelInput.prepareRegion(img, x: 180, y: 100, size: 160, outputSize: 128))
        // The square spans model pixels (210-180)*0.8 = 24 .. 56.
        func px(_ x: Int, _ y: Int) -> UInt8 { region.pixels[(y * 128 + x) * 3] }
        #expect(px(40, 40) == 255 && px(20, 40) == 0 && px(60, 40) == 0)
        let p = region.transform.toSource(x: 24 / 128, y: 16 / 128)
        #expect(abs(p.x + Float(region.originX) - 210) < 0.01 && abs(p.y + Float(region.originY) - 120) < 0.01)
        // A region hanging over the image's corner: the outside is black and the mapping holds.
        let corner = try #require(ModelInput.prepareRegion(img, x: 300, y: -60, size: 160, outputSize: 128))
        #expect(corner.originX == 300 && corner.originY == 0)
        let q = corner.transform.toSource(x: 1, y: 1)
        // Model (1, 1) is the square's far corner: (300 + 160, -60 + 160), past the image.
        #expect(abs(q.x + 300 - 460) < 0.01 && abs(q.y - 100) < 0.01)
        #expect(ModelInput.prepareRegion(img, x: 500, y: 0, size: 50, outputSize: 128) == nil)
    }

    /// A small face in a large image is invisible to one pass but found by tiles, once, where it
    /// is — including when a tile edge cuts through it.
    @Test(.requires(.samples)) func tilesFindASmallFaceOnceAtItsPlace() throws {
        let face = try ImageDecoder.decode(path: SharedData.path("data/samples/hollance_blazeface/images/1face.png"))
        // 1face.png's face is at (40.7, 35.4), 21.8 px. Paste the photo at (230, 130) into 512x384:
        // level-1 tiles are 256 px wide at x = 0 and 256, so the face (x 270..292) sits in the
        // overlap; one pass sees the face at 21.8 * 128 / 512 = 5.5 model pixels.
        var canvas = RGBImage(width: 512, height: 384, color: RGBColor(red: 60, green: 70, blue: 80))
        for y in 0..<128 { for x in 0..<128 {
            if let c = face.pixel(x: x, y: y) { canvas.setPixel(x: 230 + x, y: 130 + y, color: c) }
        } }
        let detector = try FaceDetector(modelPath: SharedData.floatModel)
        #expect(detector.detect(in: canvas).isEmpty)
        let tiled = try detector.detect(.image(canvas), options: DetectionOptions(tiling: TilingOptions(mode: .levels(3))))
        #expect(tiled.modelCalls == TilePlanner.plan(width: 512, height: 384, inputSize: 128, options: TilingOptions(mode: .levels(3))).count)
        #expect(tiled.faces.count == 1, "\(tiled.faces.map(\.box))")
        let b = try #require(tiled.faces.first?.box)
        #expect(abs(b.x - 270.7) < 4 && abs(b.y - 165.4) < 4 && abs(b.width - 21.8) < 4, "\(b)")
    }

    @Test(.requires(.int8Model, .wider)) func tiledDecodingKeepsTheFinestTileAtTheModelSize() throws {
        let path = SharedData.path("data/wider_face/WIDER_val/images/0--Parade/0_Parade_Parade_0_102.jpg")
        let detector = try FaceDetector(modelPath: SharedData.int8Model)
        // 1024x683. Two levels: tiles of 512 px, so 1/4 scale (256 px) is enough.
        let two = try detector.decodeImage(at: path, for: DetectionOptions(tiling: TilingOptions(mode: .levels(2))))
        #expect(two.fullWidth == 1024)
        #expect(two.image.width == 256)
        // auto, min face 20: finest tiles of 183 px must stay >= 128 px: 6/8 scale.
        let auto = TilingOptions(mode: .auto, minFace: 20)
        let decoded = try detector.decodeImage(at: path, for: DetectionOptions(tiling: auto))
        #expect(decoded.image.width == 768 && decoded.fullWidth == 1024)
        let finest = TilePlanner.plan(width: decoded.image.width, height: decoded.image.height, inputSize: 128,
                                      options: TilingOptions(mode: .auto, minFace: 20 * 768 / 1024)).map(\.size).min() ?? 0
        #expect(finest >= 128)
        // The same faces as from the full-resolution image, in full-resolution pixels (with a dense
        // plan of the same sides down to 183 px, which decodes at the same 6/8 scale, so that
        // guidance does not make the two runs pick different tiles).
        let dense = TilingOptions(mode: .sizes([1, 0.357, 0.1786]))
        let denseDecoded = try detector.decodeImage(at: path, for: DetectionOptions(tiling: dense))
        #expect(denseDecoded.image.width == 768)
        let scaled = try detector.detect(.decoded(denseDecoded), options: DetectionOptions(tiling: dense)).faces
        let full = try detector.detect(.image(try ImageDecoder.decode(path: path)), options: DetectionOptions(tiling: dense)).faces
        // (This crowd's faces all score 0.5-0.6, so a face or two may cross the 0.5 threshold.)
        #expect(full.count >= 5)
        #expect(abs(scaled.count - full.count) <= 2, "\(scaled.count) vs \(full.count) faces")
        let matched = full.filter { f in scaled.contains { iou($0.box, f.box) > 0.5 } }
        #expect(matched.count + 2 >= full.count, "\(matched.count) of \(full.count) full-resolution faces found again")
    }

    func iou(_ a: Face.Box, _ b: Face.Box) -> Float {
        let w = min(a.x + a.width, b.x + b.width) - max(a.x, b.x), h = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
        guard w > 0, h > 0 else { return 0 }
        return w * h / (a.width * a.height + b.width * b.height - w * h)
    }
}
