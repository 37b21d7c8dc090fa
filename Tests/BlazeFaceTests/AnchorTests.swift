import BlazeFace
import Testing

@Suite("SSD anchors")
struct AnchorTests {
    let front = generateAnchors(.blazeFaceFront)

    @Test func frontHas896AnchorsOfSizeOne() {
        #expect(front.count == 896)
        #expect(front.allSatisfy { $0.width == 1 && $0.height == 1 })
    }

    @Test func frontFirstCellHoldsTwoAnchors() {
        let first = Anchor(xCenter: 0.03125, yCenter: 0.03125, width: 1, height: 1)
        #expect(front[0] == first)
        #expect(front[1] == first)
        #expect(front[2] == Anchor(xCenter: 0.09375, yCenter: 0.03125, width: 1, height: 1))
    }

    @Test func frontStride8BlockIsRowMajor() {
        // Row 1 starts after 16 cells x 2 anchors; x varies fastest.
        #expect(front[31] == Anchor(xCenter: 0.96875, yCenter: 0.03125, width: 1, height: 1))
        #expect(front[32] == Anchor(xCenter: 0.03125, yCenter: 0.09375, width: 1, height: 1))
        #expect(front[511] == Anchor(xCenter: 0.96875, yCenter: 0.96875, width: 1, height: 1))
        for y in 0..<16 {
            for x in 0..<16 {
                for k in 0..<2 {
                    let anchor = front[(y * 16 + x) * 2 + k]
                    #expect(anchor.xCenter == (Float(x) + 0.5) / 16)
                    #expect(anchor.yCenter == (Float(y) + 0.5) / 16)
                }
            }
        }
    }

    @Test func frontStride16BlockHasSixAnchorsPerCell() {
        let start = Anchor(xCenter: 0.0625, yCenter: 0.0625, width: 1, height: 1)
        #expect(front[512] == start) // the 513th anchor
        #expect(front[512..<518].allSatisfy { $0 == start })
        #expect(front[518] == Anchor(xCenter: 0.1875, yCenter: 0.0625, width: 1, height: 1))
        #expect(front[512 + 8 * 6] == Anchor(xCenter: 0.0625, yCenter: 0.1875, width: 1, height: 1))
        #expect(front[895] == Anchor(xCenter: 0.9375, yCenter: 0.9375, width: 1, height: 1))
    }

    @Test func backHas896AnchorsOnItsOwnGrids() {
        let back = generateAnchors(.blazeFaceBack)
        #expect(back.count == 896)
        // 256 / 16 = 16 and 256 / 32 = 8 cells: the same normalized layout as the front model.
        #expect(back[0] == Anchor(xCenter: 0.03125, yCenter: 0.03125, width: 1, height: 1))
        #expect(back[512] == Anchor(xCenter: 0.0625, yCenter: 0.0625, width: 1, height: 1))
        #expect(back[895] == Anchor(xCenter: 0.9375, yCenter: 0.9375, width: 1, height: 1))
        #expect(back == front)
    }

    @Test func variableSizeAnchorsFollowScalesAndRatios() throws {
        let options = SSDAnchorOptions(
            numLayers: 2, minScale: 0.25, maxScale: 0.5, inputWidth: 32, inputHeight: 32,
            strides: [8, 16], aspectRatios: [1, 4], fixedAnchorSize: false,
            interpolatedScaleAspectRatio: 1)
        let anchors = generateAnchors(options)
        // Layer 0: 4x4 cells x 3 shapes; layer 1: 2x2 cells x 3 shapes.
        #expect(anchors.count == 48 + 12)
        // Layer 0 shapes: (0.25, ratio 1), (0.25, ratio 4), (sqrt(0.25 * 0.5), ratio 1).
        #expect(anchors[0] == Anchor(xCenter: 0.125, yCenter: 0.125, width: 0.25, height: 0.25))
        #expect(anchors[1] == Anchor(xCenter: 0.125, yCenter: 0.125, width: 0.5, height: 0.125))
        let interpolated = (Float(0.25) * 0.5).squareRoot()
        #expect(isClose(anchors[2].width, interpolated, tolerance: 1e-7))
        #expect(isClose(anchors[2].height, interpolated, tolerance: 1e-7))
        // Layer 1 (last): (0.5, 1), (0.5, 4), (sqrt(0.5 * 1.0), 1), centres on a 2x2 grid.
        #expect(anchors[48] == Anchor(xCenter: 0.25, yCenter: 0.25, width: 0.5, height: 0.5))
        #expect(anchors[49] == Anchor(xCenter: 0.25, yCenter: 0.25, width: 1, height: 0.25))
        #expect(isClose(anchors[50].width, Float(0.5).squareRoot(), tolerance: 1e-7))
        #expect(anchors[59] == Anchor(
            xCenter: 0.75, yCenter: 0.75, width: anchors[50].width, height: anchors[50].height))
    }

    @Test func reducedLowestLayerUsesThreePredefinedShapes() {
        let options = SSDAnchorOptions(
            numLayers: 1, minScale: 0.2, maxScale: 0.6, inputWidth: 16, inputHeight: 16,
            strides: [16], aspectRatios: [1], fixedAnchorSize: false,
            reduceBoxesInLowestLayer: true)
        let anchors = generateAnchors(options)
        // One layer: scale = (min + max) / 2 = 0.4; shapes (0.1, 1), (0.4, 2), (0.4, 0.5).
        #expect(anchors.count == 3)
        #expect(anchors[0].width == 0.1 && anchors[0].height == 0.1)
        #expect(isClose(anchors[1].width, 0.4 * Float(2).squareRoot(), tolerance: 1e-6))
        #expect(isClose(anchors[1].height, 0.4 / Float(2).squareRoot(), tolerance: 1e-6))
        #expect(isClose(anchors[2].width, 0.4 / Float(2).squareRoot(), tolerance: 1e-6))
        #expect(anchors.allSatisfy { $0.xCenter == 0.5 && $0.yCenter == 0.5 })
    }

    @Test func explicitFeatureMapsAndOffsets() {
        let options = SSDAnchorOptions(
            numLayers: 1, minScale: 0.5, maxScale: 0.5, inputWidth: 100, inputHeight: 100,
            anchorOffsetX: 0, anchorOffsetY: 0, strides: [7], featureMapWidth: [4],
            featureMapHeight: [2], aspectRatios: [1], fixedAnchorSize: true,
            interpolatedScaleAspectRatio: 0)
        let anchors = generateAnchors(options)
        #expect(anchors.map(\.xCenter) == [0, 0.25, 0.5, 0.75, 0, 0.25, 0.5, 0.75])
        #expect(anchors.map(\.yCenter) == [0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5])
    }

    @Test func inconsistentOptionsGiveNoAnchors() {
        var options = SSDAnchorOptions.blazeFaceFront
        options.numLayers = 3
        #expect(generateAnchors(options).isEmpty)
        options = .blazeFaceFront
        options.strides = [8, 0, 0, 0]
        #expect(generateAnchors(options).isEmpty)
        options = .blazeFaceFront
        options.featureMapWidth = [16]
        #expect(generateAnchors(options).isEmpty)
    }
}
