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
        // T = minFace * 128 / 14: for min face 20, T = 182.9 px, so sides 1024 (whole), 366, 183.
        let plan = TilePlanner.plan(width: 1024, height: 683, inputSize: 128, options: TilingOptions(mode: .auto, minFace: 20))
        #expect(Set(plan.map(\.size)) == [1024, 366, 183])
        #expect(plan.count <= 60)
        // Min face 16 (T = 146) needs 76 tiles; within 60 calls T grows until the plan fits.
        let generous = TilePlanner.plan(width: 1024, height: 683, inputSize: 128, options: TilingOptions(mode: .auto, minFace: 16, maxCalls: 200))
        #expect(Set(generous.map(\.size)) == [1024, 293, 146])
        #expect(generous.count == 76)
        let capped = TilePlanner.plan(width: 1024, height: 683, inputSize: 128, options: TilingOptions(mode: .auto, minFace: 16))
        #expect(capped.count <= 60)
        #expect((capped.map(\.size).min() ?? 0) > 146)
        let cheap = TilePlanner.plan(width: 1024, height: 683, inputSize: 128, options: TilingOptions(mode: .auto, minFace: 4, maxCalls: 20))
        #expect(cheap.count <= 20 && cheap.count > 1)
        // A 4000x3000 photo stays within budget too.
        #expect(TilePlanner.plan(width: 4000, height: 3000, inputSize: 128, options: TilingOptions(mode: .auto)).count <= 60)
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
    @Test func tilesFindASmallFaceOnceAtItsPlace() throws {
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
        let tiled = detector.detect(in: canvas, tiling: TilingOptions(mode: .levels(3)))
        #expect(tiled.modelCalls == TilePlanner.plan(width: 512, height: 384, inputSize: 128, options: TilingOptions(mode: .levels(3))).count)
        #expect(tiled.faces.count == 1, "\(tiled.faces.map(\.box))")
        let b = try #require(tiled.faces.first?.box)
        #expect(abs(b.x - 270.7) < 4 && abs(b.y - 165.4) < 4 && abs(b.width - 21.8) < 4, "\(b)")
    }

    @Test func tiledDecodingKeepsTheFinestTileAtTheModelSize() throws {
        let path = SharedData.path("data/wider_face/WIDER_val/images/0--Parade/0_Parade_Parade_0_102.jpg")
        let detector = try FaceDetector(modelPath: SharedData.int8Model)
        // 1024x683. Two levels: tiles of 512 px, so 1/4 scale (256 px) is enough.
        let two = try detector.decodeForTiling(path: path, tiling: TilingOptions(mode: .levels(2)))
        #expect(two.fullWidth == 1024)
        #expect(two.image.width == 256)
        // auto, min face 20: finest tiles of 183 px must stay >= 128 px: 6/8 scale.
        let auto = TilingOptions(mode: .auto)
        let decoded = try detector.decodeForTiling(path: path, tiling: auto)
        #expect(decoded.image.width == 768 && decoded.fullWidth == 1024)
        let finest = TilePlanner.plan(width: decoded.image.width, height: decoded.image.height, inputSize: 128,
                                      options: TilingOptions(mode: .auto, minFace: 20 * 768 / 1024)).map(\.size).min() ?? 0
        #expect(finest >= 128)
        // The same faces as from the full-resolution image, in full-resolution pixels.
        let scaled = detector.detect(in: decoded, tiling: auto).faces
        let full = detector.detect(in: try ImageDecoder.decode(path: path), tiling: auto).faces
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
