import CPNG
import CWebP
import Foundation
import Testing
import TestSupport
@testable import Imaging
#if canImport(Glibc)
import Glibc
#endif

/// An RGBA PNG written by libpng's simplified API.
func rgbaPNG(width: Int, height: Int, rgba: [UInt8]) throws -> [UInt8] {
    var png = png_image()
    png.version = UInt32(PNG_IMAGE_VERSION)
    png.width = UInt32(width)
    png.height = UInt32(height)
    png.format = UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
    var size = 0
    let stride = Int32(width * 4)
    guard rgba.withUnsafeBytes({ png_image_write_to_memory(&png, nil, &size, 0, $0.baseAddress, stride, nil) }) != 0 else {
        throw ImageError(path: "test", kind: .encodingFailed, reason: "sizing failed")
    }
    var out = [UInt8](repeating: 0, count: size)
    let ok = out.withUnsafeMutableBytes { dst in
        rgba.withUnsafeBytes { png_image_write_to_memory(&png, dst.baseAddress, &size, 0, $0.baseAddress, stride, nil) }
    }
    png_image_free(&png)
    guard ok != 0 else { throw ImageError(path: "test", kind: .encodingFailed, reason: "PNG write failed") }
    return Array(out.prefix(size))
}

/// A 64x64 sticker: transparent background (stored black, as most tools store it), an opaque
/// red 32x32 square in the middle, and a half-transparent (alpha 128) blue band on top.
func transparentSticker() -> [UInt8] {
    var rgba = [UInt8](repeating: 0, count: 64 * 64 * 4)
    for y in 0..<64 {
        for x in 0..<64 {
            let i = (y * 64 + x) * 4
            if (16..<48).contains(x), (16..<48).contains(y) {
                rgba[i] = 220; rgba[i + 1] = 30; rgba[i + 2] = 30; rgba[i + 3] = 255
            } else if y < 8 {
                rgba[i] = 0; rgba[i + 1] = 0; rgba[i + 2] = 200; rgba[i + 3] = 128
            }
        }
    }
    return rgba
}

@Suite struct FormatTests {
    @Test func transparentPNGIsCompositedOverWhite() throws {
        let png = try rgbaPNG(width: 64, height: 64, rgba: transparentSticker())
        #expect(ImageFormat.detect(png) == .png)
        let image = try ImageDecoder.decode(data: png, name: "sticker.png")
        #expect(image.width == 64 && image.height == 64)
        #expect(image.pixel(x: 2, y: 30) == .white)                                   // transparent: white, not black
        #expect(image.pixel(x: 32, y: 32) == RGBColor(red: 220, green: 30, blue: 30)) // opaque: unchanged
        // Half blue over white: (0 * 128 + 255 * 127) / 255 = 127, (200 * 128 + 255 * 127) / 255 = 227.4.
        #expect(image.pixel(x: 40, y: 3) == RGBColor(red: 127, green: 127, blue: 227))
        let mean = meanColor(image)
        #expect(mean.0 > 200)  // mostly white (it was 55 when composited over black)
    }

    @Test func losslessWebPDecodesToTheExactPixels() throws {
        let source = try quadrantImage(width: 40, height: 30)
        let webp = try ImageEncoder().webpData(source, lossless: true)
        #expect(Array(webp.prefix(4)) == Array("RIFF".utf8))
        #expect(ImageFormat.detect(webp) == .webp)
        let image = try ImageDecoder.decode(data: webp, name: "q.webp")
        #expect(image.width == 40 && image.height == 30)
        #expect(image.pixels == source.pixels)
    }

    @Test func lossyWebPDecodesCloseToTheSource() throws {
        let source = try quadrantImage(width: 64, height: 48)
        let webp = try ImageEncoder(jpegQuality: 90).webpData(source)
        let image = try ImageDecoder.decode(data: webp, name: "q.webp")
        #expect(image.width == 64 && image.height == 48)
        #expect(isClose(image.pixel(x: 8, y: 8), (220, 30, 30), tolerance: 12))
        #expect(isClose(image.pixel(x: 56, y: 8), (30, 220, 30), tolerance: 12))
        #expect(isClose(image.pixel(x: 8, y: 40), (30, 30, 220), tolerance: 12))
        #expect(isClose(image.pixel(x: 56, y: 40), (255, 255, 255), tolerance: 12))
    }

    @Test func webPWithAlphaIsCompositedOverWhite() throws {
        let rgba = transparentSticker()
        var output: UnsafeMutablePointer<UInt8>?
        let size = rgba.withUnsafeBufferPointer { WebPEncodeLosslessRGBA($0.baseAddress, 64, 64, 64 * 4, &output) }
        defer { if let output { WebPFree(output) } }
        let data = Array(UnsafeBufferPointer(start: try #require(output), count: size))
        let image = try ImageDecoder.decode(data: data, name: "sticker.webp")
        #expect(image.pixel(x: 2, y: 30) == .white)
        #expect(image.pixel(x: 32, y: 32) == RGBColor(red: 220, green: 30, blue: 30))
        #expect(image.pixel(x: 40, y: 3) == RGBColor(red: 127, green: 127, blue: 227))
    }

    @Test func webPIsDecodedScaledLikeJPEG() throws {
        let source = try quadrantImage(width: 400, height: 300)
        let webp = try ImageEncoder().webpData(source, lossless: true)
        // Smallest factor keeping both sides >= 2 * 50: 3/8 (150 x 113).
        let decoded = try ImageDecoder.decodeScaled(data: webp, name: "q.webp", minimumSize: 50)
        #expect(decoded.fullWidth == 400 && decoded.fullHeight == 300)
        #expect(decoded.image.width == 150 && decoded.image.height == 113)
        #expect(isClose(decoded.image.pixel(x: 30, y: 20), (220, 30, 30), tolerance: 2))
        #expect(isClose(decoded.image.pixel(x: 120, y: 90), (255, 255, 255), tolerance: 2))
    }

    @Test func brokenWebPGetsAClearError() throws {
        let webp = try ImageEncoder().webpData(try quadrantImage(width: 64, height: 48))
        let truncated = expectImageError(path: "t.webp") { try ImageDecoder.decode(data: Array(webp.prefix(webp.count / 2)), name: "t.webp") }
        #expect(truncated?.kind == .truncated || truncated?.kind == .corrupt)
        var garbage = webp
        for i in 20..<min(60, garbage.count) { garbage[i] ^= 0x5A }
        expectImageError(path: "g.webp") { try ImageDecoder.decode(data: garbage, name: "g.webp") }
        expectImageError(path: "h.webp", kind: .corrupt) { try ImageDecoder.decode(data: Array(webp.prefix(16)) + [UInt8](repeating: 0, count: 30), name: "h.webp") }
    }

    @Test func knownUnsupportedFormatsAreNamed() throws {
        let cases: [(String, [UInt8])] = [
            ("BMP", Array("BM".utf8) + [0x36, 0x00, 0x0C, 0x00, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28, 0, 0, 0]),
            ("TIFF", [0x49, 0x49, 0x2A, 0x00, 0x08, 0, 0, 0] + [UInt8](repeating: 0, count: 8)),
            ("TIFF", [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8] + [UInt8](repeating: 0, count: 8)),
            ("GIF", Array("GIF87a".utf8) + [UInt8](repeating: 0, count: 10)),
            ("HEIF", [0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0]),
            ("AVIF", [0, 0, 0, 0x1C] + Array("ftypavif".utf8) + [0, 0, 0, 0]),
            ("JPEG XL", [0xFF, 0x0A, 0xFA, 0x7F] + [UInt8](repeating: 0, count: 12)),
        ]
        for (name, bytes) in cases {
            let error = expectImageError(path: "x", kind: .unsupportedFormat) { try ImageDecoder.decode(data: bytes, name: "x") }
            #expect(error?.reason == "\(name) is not supported; supported: JPEG, PNG, WebP, PPM/PGM")
        }
    }

    @Test func sniffingFindsImagesWithoutExtensions() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let jpeg = try dir.write("IMG_0001", try ImageEncoder().jpegData(try quadrantImage(width: 16, height: 16)))
        let png = try dir.write("photo.download", try ImageEncoder().pngData(tinyRGB()))
        let webp = try dir.write("picture", try ImageEncoder().webpData(tinyRGB(), lossless: true))
        let ppm = try dir.write("frame", ImageEncoder().ppmData(tinyRGB()))
        let bmp = try dir.write("scan", Array("BM".utf8) + [UInt8](repeating: 0, count: 40))
        let text = try dir.write("README", Array("Photos from the trip\n".utf8))
        let pText = try dir.write("notes", Array("P4 is a bitmap\n".utf8))
        let empty = try dir.write("empty", [])
        #expect(ImageFormat.sniff(path: jpeg) == .supported(.jpeg))
        #expect(ImageFormat.sniff(path: png) == .supported(.png))
        #expect(ImageFormat.sniff(path: webp) == .supported(.webp))
        #expect(ImageFormat.sniff(path: ppm) == .supported(.pnm))
        #expect(ImageFormat.sniff(path: bmp) == .unsupported("BMP"))
        #expect(ImageFormat.sniff(path: text) == nil)
        #expect(ImageFormat.sniff(path: pText) == .supported(.pnm))  // "P4 " has a PNM header's shape
        #expect(ImageFormat.sniff(path: empty) == nil)
        #expect(ImageFormat.sniff(path: dir.path("missing")) == nil)
        #expect(ImageFormat.sniff(path: dir.url.path) == nil)
        // The extensionless JPEG decodes.
        let image = try ImageDecoder.decode(path: jpeg)
        #expect(image.width == 16 && isClose(image.pixel(x: 2, y: 2), (220, 30, 30), tolerance: 8))
    }

    @Test func webpExtensionIsKnown() {
        #expect(ImageFormat(pathExtension: "a/b.WEBP") == .webp)
        #expect(ImageFormat(pathExtension: "a.jfif") == .jpeg)
        #expect(ImageFormat(pathExtension: "dir.d/file") == nil)
    }
}
