import Testing
import TestSupport
@testable import Imaging

@Suite struct PNGDecoderTests {
    @Test func sixteenBitRGBIsScaledToEightBits() throws {
        // Samples 0xFFFF,0x0000,0x8080 | 0x1212,0xABAB,0x3434 | 0x1000,0x7FFF,0xFF00, no gAMA chunk.
        let image = try ImageDecoder.decode(data: base64Bytes(Fixtures.rgb16PNG), name: "rgb16.png")
        #expect(image.width == 3 && image.height == 1)
        #expect(image.pixel(x: 0, y: 0) == RGBColor(red: 255, green: 0, blue: 128))
        #expect(image.pixel(x: 1, y: 0) == RGBColor(red: 0x12, green: 0xAB, blue: 0x34))
        #expect(isClose(image.pixel(x: 2, y: 0), (16, 127, 254), tolerance: 1))
    }

    @Test func sixteenBitGreyIsReplicated() throws {
        let image = try ImageDecoder.decode(data: base64Bytes(Fixtures.g16PNG))
        #expect(image.pixels == [0x40, 0x40, 0x40, 0xC0, 0xC0, 0xC0])
    }

    @Test func greyAlphaIsCompositedOverWhite() throws {
        // (grey 200, alpha 128), (grey 50, alpha 255): (200 * 128 + 255 * 127) / 255 = 227.4 -> 227.
        let image = try ImageDecoder.decode(data: base64Bytes(Fixtures.ga8PNG))
        #expect(image.pixels == [227, 227, 227, 50, 50, 50])
    }

    @Test func rgbaIsCompositedOverWhite() throws {
        // (255,128,0, a=51), (10,20,30, a=255): (128*51 + 255*204)/255 = 229.6 -> 230, 0 -> 204.
        let image = try ImageDecoder.decode(data: base64Bytes(Fixtures.rgba8PNG))
        #expect(image.pixels == [255, 230, 204, 10, 20, 30])
    }

    @Test func twoBitPaletteIsExpanded() throws {
        let image = try ImageDecoder.decode(data: base64Bytes(Fixtures.pal2PNG))
        #expect(image.width == 4)
        #expect(image.pixels == [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30])
    }

    @Test func paletteTransparencyIsCompositedOverWhite() throws {
        // Index 0 = white with tRNS alpha 0 -> white; index 1 opaque.
        let image = try ImageDecoder.decode(data: base64Bytes(Fixtures.paltrnsPNG))
        #expect(image.pixels == [255, 255, 255, 100, 150, 200])
    }

    @Test(.requires(.samples)) func realPNGMatchesReferenceValues() throws {
        // Reference values computed once with Pillow.
        let image = try ImageDecoder.decode(path: SharedData.path("data/samples/hollance_blazeface/images/1face.png"))
        #expect(image.width == 128 && image.height == 128)
        #expect(image.pixel(x: 0, y: 0) == RGBColor(red: 14, green: 14, blue: 4))
        #expect(image.pixel(x: 10, y: 20) == RGBColor(red: 126, green: 108, blue: 50))
        #expect(image.pixel(x: 100, y: 50) == RGBColor(red: 226, green: 214, blue: 192))
        #expect(image.pixel(x: 127, y: 127) == RGBColor(red: 213, green: 193, blue: 153))
        let mean = meanColor(image)
        #expect(abs(mean.0 - 150.221) < 0.01 && abs(mean.1 - 138.932) < 0.01 && abs(mean.2 - 111.281) < 0.01)
    }

    @Test func minimumSizeIsIgnoredForPNG() throws {
        let path = SharedData.samplePhoto
        let image = try ImageDecoder.decode(path: path, minimumSize: 16)
        #expect(image.width == 512 && image.height == 512)
    }
}
