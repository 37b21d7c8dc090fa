import Testing
import TestSupport
@testable import Imaging

@Suite struct ResizeTests {
    @Test func constantImageStaysConstant() throws {
        let color = RGBColor(red: 37, green: 140, blue: 250)
        for (w, h, tw, th) in [(1000, 750, 128, 128), (3, 5, 17, 11), (640, 480, 300, 700), (7, 7, 1, 1)] {
            let out = RGBImage(width: w, height: h, color: color).resized(width: tw, height: th)
            #expect(out.width == tw && out.height == th)
            #expect(out == RGBImage(width: tw, height: th, color: color), "\(w)x\(h) -> \(tw)x\(th)")
        }
    }

    @Test func onePixelCheckerboardAveragesToGrey() throws {
        let w = 1000, h = 750
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w where (x + y) % 2 == 0 {
                let i = (y * w + x) * 3
                pixels[i] = 255; pixels[i + 1] = 255; pixels[i + 2] = 255
            }
        }
        let out = try RGBImage(width: w, height: h, pixels: pixels).resized(width: 128, height: 128)
        let worst = out.pixels.map { abs(Int($0) - 128) }.max() ?? 255
        #expect(worst <= 3, "max deviation from grey \(worst)")
    }

    @Test func fractionalCoverageIsExact() throws {
        // 3 -> 2: output 0 covers [0, 1.5) -> (0 + 0.5 * 90) / 1.5 = 30; output 1 -> (45 + 180) / 1.5 = 150.
        let image = try RGBImage(width: 3, height: 1, pixels: [0, 0, 0, 90, 90, 90, 180, 180, 180])
        #expect(image.resized(width: 2, height: 1).pixels == [30, 30, 30, 150, 150, 150])
        // 4x2 -> 2x1 is a plain 2x2 box average.
        let box = try RGBImage(width: 4, height: 2, pixels: [
            0, 10, 20, 4, 14, 24, 100, 0, 0, 200, 0, 0,
            8, 18, 28, 12, 22, 32, 0, 100, 0, 0, 200, 0,
        ])
        #expect(box.resized(width: 2, height: 1).pixels == [6, 16, 26, 75, 75, 0])
    }

    @Test func upscalingIsBilinear() throws {
        let image = try RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 100, 100, 100])
        // Half-pixel centres: source positions 0 (clamped), 0.25, 0.75, 1 (clamped).
        #expect(image.resized(width: 4, height: 1).pixels == [0, 0, 0, 25, 25, 25, 75, 75, 75, 100, 100, 100])
    }

    @Test func sameSizeIsIdentityAndSizesAreClamped() throws {
        let image = try quadrantImage(width: 9, height: 5)
        #expect(image.resized(width: 9, height: 5) == image)
        let clamped = image.resized(width: 0, height: -3)
        #expect(clamped.width == 1 && clamped.height == 1)
    }

    @Test(.requires(.samples)) func downscaledPhotoKeepsItsMeanColour() throws {
        let photo = try ImageDecoder.decode(path: SharedData.path("data/samples/photos/1.jpg"))
        let small = photo.resized(width: 128, height: 85)
        let a = meanColor(photo), b = meanColor(small)
        #expect(abs(a.0 - b.0) < 0.6 && abs(a.1 - b.1) < 0.6 && abs(a.2 - b.2) < 0.6)
    }

    @Test func initializerValidatesPixelCount() throws {
        #expect(throws: ImageError.self) { try RGBImage(width: 2, height: 2, pixels: [0, 0, 0]) }
        #expect(throws: ImageError.self) { try RGBImage(width: 0, height: 2, pixels: []) }
        #expect(throws: ImageError.self) { try RGBImage(width: Int.max, height: 2, pixels: []) }
        #expect(try RGBImage(width: 1, height: 1, pixels: [1, 2, 3]).pixel(x: 0, y: 0) == RGBColor(red: 1, green: 2, blue: 3))
    }
}
