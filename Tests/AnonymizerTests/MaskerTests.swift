import Anonymizer
import BlazeFace
import Foundation
import Imaging
import Testing
import TestSupport

@Suite struct MaskerTests {
    let face = syntheticFace(x: 100, y: 90, side: 80)

    @Test func maskStartsFromTheWiderBoxAndScales() {
        let m = FaceMasker(options: MaskOptions(scale: 1.5))
        let r = m.region(for: face.box)
        let wider = BoxStyle.wider.apply(to: face.box)
        #expect(abs(r.box.width - wider.width * 1.5) < 1e-3)
        #expect(abs(r.box.height - wider.height * 1.5) < 1e-3)
        #expect(abs((r.box.x + r.box.width / 2) - (wider.x + wider.width / 2)) < 1e-3)
        #expect(abs((r.box.y + r.box.height / 2) - (wider.y + wider.height / 2)) < 1e-3)
        // The WIDER box is taller than the model's and its centre higher (towards the hairline).
        #expect(r.box.height > face.box.height * 1.4)
        #expect(r.box.y + r.box.height / 2 < face.box.y + face.box.height / 2)
        // Faces already in the WIDER style are not moved twice.
        let w = FaceMasker(options: MaskOptions(scale: 1), boxStyle: .wider).region(for: wider)
        #expect(w.box == wider)
    }

    @Test(arguments: MaskStyle.allCases, MaskShape.allCases)
    func masksChangeTheFaceAndNothingElse(style: MaskStyle, shape: MaskShape) throws {
        let image = try noiseImage(width: 320, height: 280)
        let masker = FaceMasker(options: MaskOptions(style: style, shape: shape))
        let region = masker.region(for: face.box)
        let out = masker.apply(to: image, faces: [face])
        #expect(out.width == image.width && out.height == image.height)
        #expect(changedOutside(image, out, regions: [region]) == 0)
        // Inside the middle of the model's eyes-to-mouth box (eyes, nose, mouth) the noise is gone
        // (variance of uniform bytes, ~1/3 of 255^2/12 for the grey mean of three channels: about 1800).
        let b = face.box
        let (x0, y0) = (Int(b.x + b.width * 0.15), Int(b.y + b.height * 0.15))
        let (x1, y1) = (Int(b.x + b.width * 0.85), Int(b.y + b.height * 0.85))
        let before = variance(image, x0: x0, y0: y0, x1: x1, y1: y1)
        let after = variance(out, x0: x0, y0: y0, x1: x1, y1: y1)
        #expect(before > 1500)
        #expect(after < before / 20, "\(style) \(shape): variance \(before) -> \(after)")
        if style == .solid { #expect(out.pixel(x: Int(b.x + b.width / 2), y: Int(b.y + b.height / 2)) == .black) }
        // The ellipse leaves its rectangle's corners alone; the box covers them.
        let corner = (x: Int(region.box.x + 1), y: Int(region.box.y + 1))
        #expect((out.pixel(x: corner.x, y: corner.y) == image.pixel(x: corner.x, y: corner.y)) == (shape == .ellipse))
    }

    @Test func blurSigmaGrowsWithTheFace() {
        let m = FaceMasker()
        let small = m.blurSigma(for: m.region(for: Face.Box(x: 0, y: 0, width: 20, height: 20)))
        let large = m.blurSigma(for: m.region(for: Face.Box(x: 0, y: 0, width: 200, height: 200)))
        #expect(abs(large / small - 10) < 0.01)
        #expect(large > 30)
    }

    @Test func aLargeFaceIsBlurredOnACoarseGridStillSmoothly() throws {
        // Sigma ~ 150 px: computed on a 25-pixel grid; the result must still be smooth (no blocks).
        let image = try noiseImage(width: 1400, height: 1400, seed: 7)
        let big = syntheticFace(x: 300, y: 300, side: 800)
        let masker = FaceMasker()
        let out = masker.apply(to: image, faces: [big])
        #expect(changedOutside(image, out, regions: masker.regions(for: [big])) == 0)
        #expect(variance(out, x0: 500, y0: 500, x1: 900, y1: 900) < 5)
        var maxStep = 0
        for x in 500..<900 {
            let a = try #require(out.pixel(x: x, y: 700)), b = try #require(out.pixel(x: x + 1, y: 700))
            maxStep = max(maxStep, abs(Int(a.red) - Int(b.red)))
        }
        #expect(maxStep <= 2)
    }

    @Test func regionsOutsideTheImageOrNotFiniteAreIgnored() throws {
        let image = try noiseImage(width: 64, height: 48)
        let masker = FaceMasker()
        let faces = [syntheticFace(x: -500, y: -500, side: 40), syntheticFace(x: .nan, y: 3, side: 10),
                     syntheticFace(x: 10, y: 10, side: .infinity)]
        #expect(masker.apply(to: image, faces: faces) == image)
        // Half outside: masked up to the edge without trapping.
        let edge = syntheticFace(x: 40, y: 30, side: 60)
        let out = masker.apply(to: image, faces: [edge])
        #expect(out != image)
        #expect(changedOutside(image, out, regions: masker.regions(for: [edge])) == 0)
    }

    @Test(.needsFixture) func theAstronautsFaceIsBlurredThroughALosslessFile() throws {
        let detector = try FaceDetector(modelPath: Fixture.model)
        let image = try ImageDecoder.decode(path: Fixture.photo)
        let faces = detector.detect(in: image)
        #expect(faces.count == 1)
        let f = try #require(faces.first)
        let masker = FaceMasker()
        let dir = NSTemporaryDirectory() + "anon-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ImageEncoder().write(masker.apply(to: image, faces: faces), to: dir + "/out.png")
        let back = try ImageDecoder.decode(path: dir + "/out.png")
        #expect(changedOutside(image, back, regions: masker.regions(for: faces)) == 0)
        let b = f.box
        let (x0, y0, x1, y1) = (Int(b.x), Int(b.y), Int(b.x + b.width), Int(b.y + b.height))
        let before = variance(image, x0: x0, y0: y0, x1: x1, y1: y1)
        let after = variance(back, x0: x0, y0: y0, x1: x1, y1: y1)
        // Shading across the box survives a blur; the detail (eyes, mouth, edges) does not.
        #expect(after < before / 3, "variance \(before) -> \(after)")
        let inner = (x0: Int(b.x + b.width * 0.15), y0: Int(b.y + b.height * 0.15), x1: Int(b.x + b.width * 0.85), y1: Int(b.y + b.height * 0.85))
        let fineBefore = detail(image, x0: inner.x0, y0: inner.y0, x1: inner.x1, y1: inner.y1)
        let fineAfter = detail(back, x0: inner.x0, y0: inner.y0, x1: inner.x1, y1: inner.y1)
        #expect(fineAfter < fineBefore / 20, "detail \(fineBefore) -> \(fineAfter)")
        // The blurred face is no longer found.
        #expect(detector.detect(in: back).isEmpty)
    }
}
