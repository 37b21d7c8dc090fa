import Testing
import TestSupport
@testable import Imaging

@Suite struct EncoderTests {
    @Test func pngAndPPMRoundTripExactly() throws {
        let image = try quadrantImage(width: 13, height: 7)
        let encoder = ImageEncoder()
        let png = try encoder.pngData(image)
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        #expect(try ImageDecoder.decode(data: png) == image)
        let ppm = encoder.ppmData(image)
        #expect(Array(ppm.prefix(12)) == Array("P6\n13 7\n255\n".utf8))
        #expect(try ImageDecoder.decode(data: ppm) == image)
    }

    @Test(.requires(.samples)) func jpegQualityAffectsSizeAndFidelity() throws {
        let photo = try ImageDecoder.decode(path: SharedData.path("data/samples/photos/13.jpg"))
        let high = try ImageEncoder(jpegQuality: 95).jpegData(photo)
        let low = try ImageEncoder(jpegQuality: 30).jpegData(photo)
        #expect(low.count < high.count)
        let decoded = try ImageDecoder.decode(data: high)
        #expect(decoded.width == photo.width && decoded.height == photo.height)
        let diff = zip(decoded.pixels, photo.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        #expect(Double(diff) / Double(photo.pixels.count) < 3)
    }

    @Test func writeChoosesFormatFromExtension() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let image = try quadrantImage(width: 8, height: 6)
        let encoder = ImageEncoder()
        for name in ["out.png", "out.PPM", "out.jpg"] {
            let path = dir.path(name)
            try encoder.write(image, to: path)
            let bytes = try readBytes(path)
            #expect(ImageFormat.detect(bytes) == ImageFormat(pathExtension: name))
            let back = try ImageDecoder.decode(path: path)
            #expect(back.width == 8 && back.height == 6)
        }
        #expect(throws: ImageError.self) { try encoder.write(image, to: dir.path("out.gif")) }
        do {
            try encoder.write(image, to: dir.path("no/such/dir/out.png"))
            Issue.record("expected a write error")
        } catch let error as ImageError {
            #expect(error.path == dir.path("no/such/dir/out.png") && error.kind == .io)
        }
    }
}
