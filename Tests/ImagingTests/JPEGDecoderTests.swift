import Testing
import TestSupport
@testable import Imaging

@Suite struct JPEGDecoderTests {
    @Test func progressiveJPEGDecodes() throws {
        // 16x16 quadrants (220,30,30) (30,220,30) / (30,30,220) (240,240,240), written by Pillow
        // with progressive=True; Pillow decodes the centres as the values below.
        let data = try base64Bytes(Fixtures.progJPEG)
        let image = try ImageDecoder.decode(data: data, name: "prog.jpg")
        #expect(image.width == 16 && image.height == 16)
        #expect(isClose(image.pixel(x: 4, y: 4), (220, 30, 30), tolerance: 3))
        #expect(isClose(image.pixel(x: 12, y: 4), (30, 221, 30), tolerance: 3))
        #expect(isClose(image.pixel(x: 4, y: 12), (31, 30, 220), tolerance: 3))
        #expect(isClose(image.pixel(x: 12, y: 12), (240, 240, 240), tolerance: 3))
    }

    @Test func greyscaleJPEGIsReplicated() throws {
        // 16x16, four 8x8 blocks of grey 0, 64 / 128, 255 (Pillow, quality 100).
        let image = try ImageDecoder.decode(data: base64Bytes(Fixtures.grayJPEG))
        #expect(isClose(image.pixel(x: 4, y: 4), (0, 0, 0), tolerance: 1))
        #expect(isClose(image.pixel(x: 12, y: 4), (64, 64, 64), tolerance: 1))
        #expect(isClose(image.pixel(x: 4, y: 12), (128, 128, 128), tolerance: 1))
        #expect(isClose(image.pixel(x: 12, y: 12), (255, 255, 255), tolerance: 1))
    }

    @Test func adobeCMYKJPEGIsConverted() throws {
        // The quadrant pattern converted to CMYK by Pillow (Adobe APP14, inverted); Pillow reads it
        // back as RGB (220,30,30) (30,220,30) / (30,30,220) (240,240,240).
        let image = try ImageDecoder.decode(data: base64Bytes(Fixtures.cmykJPEG))
        #expect(isClose(image.pixel(x: 4, y: 4), (220, 30, 30), tolerance: 3))
        #expect(isClose(image.pixel(x: 12, y: 4), (30, 220, 30), tolerance: 3))
        #expect(isClose(image.pixel(x: 4, y: 12), (30, 30, 220), tolerance: 3))
        #expect(isClose(image.pixel(x: 12, y: 12), (240, 240, 240), tolerance: 3))
    }

    @Test func benignWarningIsTolerated() throws {
        // Two stray bytes between header segments make libjpeg-turbo warn
        // "Corrupt JPEG data: 2 extraneous bytes before marker 0xdb"; the image is still complete.
        let jpeg = try ImageEncoder(jpegQuality: 95).jpegData(try quadrantImage(width: 16, height: 16))
        let afterAPP0 = 4 + (Int(jpeg[4]) << 8 | Int(jpeg[5]))
        #expect(jpeg[2] == 0xFF && jpeg[3] == 0xE0 && jpeg[afterAPP0] == 0xFF)
        let patched = Array(jpeg[..<afterAPP0]) + [0x12, 0x34] + Array(jpeg[afterAPP0...])
        let image = try ImageDecoder.decode(data: patched)
        #expect(image == (try ImageDecoder.decode(data: jpeg)))
    }

    @Test(.requires(.samples)) func realJPEGMatchesReferenceValues() throws {
        // Reference values computed once with Pillow (libjpeg-turbo, islow IDCT, fancy upsampling).
        let image = try ImageDecoder.decode(path: SharedData.path("data/samples/photos/1.jpg"))
        #expect(image.width == 720 && image.height == 478)
        #expect(isClose(image.pixel(x: 0, y: 0), (40, 47, 31), tolerance: 2))
        #expect(isClose(image.pixel(x: 10, y: 20), (47, 46, 42), tolerance: 2))
        #expect(isClose(image.pixel(x: 100, y: 50), (178, 182, 185), tolerance: 2))
        #expect(isClose(image.pixel(x: 719, y: 477), (28, 38, 37), tolerance: 2))
        let mean = meanColor(image)
        #expect(abs(mean.0 - 89.043) < 0.2 && abs(mean.1 - 83.618) < 0.2 && abs(mean.2 - 83.825) < 0.2)
    }

    @Test(.requires(.samples)) func allSamplePhotosDecode() throws {
        let files = SharedData.files(under: "data/samples/photos", extension: "jpg")
        #expect(files.count >= 10)
        for file in files {
            let image = try ImageDecoder.decode(path: file)
            #expect(image.pixels.count == image.width * image.height * 3)
            #expect(image.width >= 400 && image.height >= 300, "\(file)")
        }
    }

    @Test(.requires(.wider)) func fullDecodeMatchesHeaderSize() throws {
        let path = SharedData.path("data/wider_face/WIDER_val/images/0--Parade/0_Parade_Parade_0_102.jpg")
        let image = try ImageDecoder.decode(path: path)
        #expect(image.width == 1024 && image.height == 819)  // Pillow: (1024, 819)
        #expect(isClose(image.pixel(x: 0, y: 0), (108, 115, 121), tolerance: 2))
        #expect(isClose(image.pixel(x: 1023, y: 818), (254, 229, 49), tolerance: 2))
    }

    @Test(.requires(.wider)) func scaledDecodeKeepsTwiceTheMinimumSize() throws {
        let path = SharedData.path("data/wider_face/WIDER_val/images/0--Parade/0_Parade_Parade_0_102.jpg")
        let full = try ImageDecoder.decode(path: path)
        let scaled = try ImageDecoder.decode(path: path, minimumSize: 128)
        // 1024x819: 1/4 gives 256x205 (too small), 3/8 gives 384x308: the smallest that keeps >= 256.
        #expect(scaled.width == 384 && scaled.height == 308)
        let a = meanColor(full), b = meanColor(scaled)
        #expect(abs(a.0 - b.0) < 1.5 && abs(a.1 - b.1) < 1.5 && abs(a.2 - b.2) < 1.5)
        // A huge minimum keeps full resolution; a tiny one uses 1/8.
        #expect(try ImageDecoder.decode(path: path, minimumSize: 5000) == full)
        let tiny = try ImageDecoder.decode(path: path, minimumSize: 8)
        #expect(tiny.width == 128 && tiny.height == 103)
    }

    @Test(.requires(.wider)) func scaledDecodeRuleHoldsAcrossWIDER() throws {
        let files = SharedData.files(under: "data/wider_face/WIDER_val/images", extension: "jpg")
        #expect(files.count >= 100)
        let factors: [(Int, Int)] = [(1, 8), (1, 4), (3, 8), (1, 2), (5, 8), (3, 4), (7, 8), (1, 1)]
        for file in stride(from: 0, to: files.count, by: 10).map({ files[$0] }) {
            let full = try ImageDecoder.decode(path: file)
            let scaled = try ImageDecoder.decode(path: file, minimumSize: 128)
            let scaledDims = { (f: (Int, Int)) in ((full.width * f.0 + f.1 - 1) / f.1, (full.height * f.0 + f.1 - 1) / f.1) }
            let expected = factors.first { f in
                let d = scaledDims(f)
                return d.0 >= 256 && d.1 >= 256
            } ?? (1, 1)
            let dims = scaledDims(expected)
            #expect(scaled.width == dims.0 && scaled.height == dims.1, "\(file)")
            #expect(min(scaled.width, scaled.height) >= 256 || scaled == full, "\(file)")
            #expect((expected == (1, 1)) == (scaled == full), "\(file)")
        }
    }

    @Test func invalidMinimumSizeThrows() throws {
        let data = try base64Bytes(Fixtures.progJPEG)
        expectImageError(path: "x.jpg", kind: .invalidArgument) { try ImageDecoder.decode(data: data, name: "x.jpg", minimumSize: 0) }
    }

    @Test func encodedJPEGRoundTrips() throws {
        let source = try quadrantImage(width: 32, height: 24)
        let jpeg = try ImageEncoder(jpegQuality: 95).jpegData(source)
        #expect(ImageFormat.detect(jpeg) == .jpeg)
        let decoded = try ImageDecoder.decode(data: jpeg)
        #expect(decoded.width == 32 && decoded.height == 24)
        #expect(isClose(decoded.pixel(x: 4, y: 4), (220, 30, 30), tolerance: 4))
        #expect(isClose(decoded.pixel(x: 28, y: 20), (255, 255, 255), tolerance: 4))
    }
}
