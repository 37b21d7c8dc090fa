import Testing
@testable import Imaging

@Suite struct ModelInputTests {
    private func row(_ pixels: [UInt8], size: Int, y: Int) -> ArraySlice<UInt8> {
        pixels[(y * size * 3)..<((y + 1) * size * 3)]
    }

    @Test func landscapeLetterboxGeometry() throws {
        let image = RGBImage(width: 400, height: 300, color: .white)
        let (pixels, t) = ModelInput.prepare(image, size: 128, mode: .letterbox)
        #expect(pixels.count == 128 * 128 * 3)
        #expect(t == InputTransform(sourceWidth: 400, sourceHeight: 300, padLeft: 0, padTop: 0.125, padRight: 0, padBottom: 0.125))
        // Inner rectangle is 128 x 96 at rows 16..<112.
        #expect(row(pixels, size: 128, y: 15).allSatisfy { $0 == 0 })
        #expect(row(pixels, size: 128, y: 16).allSatisfy { $0 == 255 })
        #expect(row(pixels, size: 128, y: 111).allSatisfy { $0 == 255 })
        #expect(row(pixels, size: 128, y: 112).allSatisfy { $0 == 0 })
    }

    @Test func oddRemainderGoesToBottomPadAndTransformUsesRealisedExtent() throws {
        // 301 x 100 -> short side round(100 * 128 / 301) = round(42.52) = 43 rows, 85 pad rows: 42 top, 43 bottom.
        let image = RGBImage(width: 301, height: 100, color: .white)
        let (pixels, t) = ModelInput.prepare(image, size: 128, mode: .letterbox)
        #expect(t.padTop == Float(42) / 128 && t.padBottom == Float(43) / 128)
        #expect(t.padLeft == 0 && t.padRight == 0)
        #expect(row(pixels, size: 128, y: 41).allSatisfy { $0 == 0 })
        #expect(row(pixels, size: 128, y: 42).allSatisfy { $0 == 255 })
        #expect(row(pixels, size: 128, y: 84).allSatisfy { $0 == 255 })
        #expect(row(pixels, size: 128, y: 85).allSatisfy { $0 == 0 })
        // Model top/bottom content edges map exactly to the source edges.
        #expect(abs(t.toSource(x: 0, y: 42.0 / 128).y) < 1e-4)
        #expect(abs(t.toSource(x: 1, y: 85.0 / 128).y - 100) < 1e-3)
    }

    @Test func portraitLetterboxPadsLeftAndRight() throws {
        let image = RGBImage(width: 300, height: 400, color: .white)
        let (pixels, t) = ModelInput.prepare(image, size: 128, mode: .letterbox)
        #expect(t.padLeft == 0.125 && t.padRight == 0.125 && t.padTop == 0 && t.padBottom == 0)
        let firstRow = row(pixels, size: 128, y: 0)
        #expect(firstRow.prefix(16 * 3).allSatisfy { $0 == 0 })
        #expect(firstRow.dropFirst(16 * 3).prefix(96 * 3).allSatisfy { $0 == 255 })
        #expect(firstRow.suffix(16 * 3).allSatisfy { $0 == 0 })
    }

    /// Intensity-weighted centroid of the model input in normalised coordinates.
    private func centroid(_ pixels: [UInt8], size: Int) -> (x: Float, y: Float) {
        var sx: Double = 0, sy: Double = 0, total: Double = 0
        for y in 0..<size {
            for x in 0..<size {
                let v = Double(pixels[(y * size + x) * 3])
                sx += (Double(x) + 0.5) * v
                sy += (Double(y) + 0.5) * v
                total += v
            }
        }
        return (Float(sx / total / Double(size)), Float(sy / total / Double(size)))
    }

    @Test(arguments: [
        (400, 300, ResizeMode.letterbox), (300, 400, .letterbox), (1000, 333, .letterbox),
        (400, 300, .stretch), (77, 500, .stretch), (50, 40, .letterbox),
    ])
    func brightSquareLandsWhereTheTransformSays(width: Int, height: Int, mode: ResizeMode) throws {
        var image = RGBImage(width: width, height: height)
        // Square of side 12% of the short side, centred at (30%, 60%) of the image.
        let side = max(2, min(width, height) * 12 / 100)
        let left = width * 30 / 100 - side / 2, top = height * 60 / 100 - side / 2
        image.fillRect(x: left, y: top, width: side, height: side, color: .white)
        let centre = (x: Float(left) + Float(side) / 2, y: Float(top) + Float(side) / 2)

        let (pixels, t) = ModelInput.prepare(image, size: 128, mode: mode)
        let found = centroid(pixels, size: 128)
        let expectedModel = t.toModel(x: centre.x, y: centre.y)
        #expect(abs(found.x - expectedModel.x) < 0.5 / 128 && abs(found.y - expectedModel.y) < 0.5 / 128)
        let back = t.toSource(x: found.x, y: found.y)
        #expect(abs(back.x - centre.x) <= 1 && abs(back.y - centre.y) <= 1, "\(back) vs \(centre)")
    }

    @Test func transformRoundTrips() {
        let t = InputTransform(sourceWidth: 640, sourceHeight: 480, padLeft: 0, padTop: 0.125, padRight: 0, padBottom: 0.125)
        for (x, y) in [(Float(0), Float(0)), (320, 240), (639.5, 10.25), (640, 480)] {
            let m = t.toModel(x: x, y: y)
            let s = t.toSource(x: m.x, y: m.y)
            #expect(abs(s.x - x) < 1e-3 && abs(s.y - y) < 1e-3)
        }
        #expect(t.toModel(x: 0, y: 0) == (0, 0.125))
        #expect(t.toModel(x: 640, y: 480) == (1, 0.875))
    }

    @Test func stretchMatchesPlainResize() throws {
        let image = try quadrantImage(width: 200, height: 90)
        let (pixels, t) = ModelInput.prepare(image, size: 64, mode: .stretch)
        #expect(pixels == image.resized(width: 64, height: 64).pixels)
        #expect(t == InputTransform(sourceWidth: 200, sourceHeight: 90))
        #expect(t.toSource(x: 0.5, y: 0.5) == (100, 45))
    }

    @Test func letterboxOfSquareImageHasNoPadding() throws {
        let image = try quadrantImage(width: 256, height: 256)
        let (pixels, t) = ModelInput.prepare(image, size: 128, mode: .letterbox)
        #expect(t == InputTransform(sourceWidth: 256, sourceHeight: 256))
        #expect(pixels == image.resized(width: 128, height: 128).pixels)
    }

    @Test func normalizeAppliesScaleAndOffset() throws {
        let values = ModelInput.normalize([0, 255, 128], scale: 2.0 / 255, offset: -1)
        #expect(values.count == 3)
        #expect(abs(values[0] + 1) < 1e-6 && abs(values[1] - 1) < 1e-6 && abs(values[2] - 1.0 / 255) < 1e-6)
        var buffer = [Float](repeating: 9, count: 2)
        let written = buffer.withUnsafeMutableBufferPointer {
            ModelInput.normalize([10, 20, 30], into: $0, scale: 0.5, offset: 1)
        }
        #expect(written == 2 && buffer == [6, 11])
    }
}
