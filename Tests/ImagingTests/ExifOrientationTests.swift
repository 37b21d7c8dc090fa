import Testing
@testable import Imaging

/// Independent reference transforms on a row-of-pixels representation.
private typealias Grid = [[RGBColor]]

private func grid(_ image: RGBImage) -> Grid {
    (0..<image.height).map { y in (0..<image.width).map { x in image.pixel(x: x, y: y) ?? .black } }
}
private func mirror(_ g: Grid) -> Grid { g.map { Array($0.reversed()) } }
private func flip(_ g: Grid) -> Grid { Array(g.reversed()) }
private func rotateClockwise(_ g: Grid) -> Grid {
    let h = g.count, w = g[0].count
    return (0..<w).map { y in (0..<h).map { x in g[h - 1 - x][y] } }
}
private func rotateCounterClockwise(_ g: Grid) -> Grid { rotateClockwise(rotateClockwise(rotateClockwise(g))) }

private func expected(_ g: Grid, orientation: Int) -> Grid {
    switch orientation {
    case 2: return mirror(g)
    case 3: return flip(mirror(g))
    case 4: return flip(g)
    case 5: return mirror(rotateClockwise(g))
    case 6: return rotateClockwise(g)
    case 7: return mirror(rotateCounterClockwise(g))
    case 8: return rotateCounterClockwise(g)
    default: return g
    }
}

/// APP1 Exif segment with a Make entry followed by Orientation, in either byte order.
func exifSegment(orientation: Int, littleEndian: Bool) -> [UInt8] {
    func u16(_ v: Int) -> [UInt8] {
        littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)]
    }
    func u32(_ v: Int) -> [UInt8] {
        littleEndian ? u16(v & 0xFFFF) + u16(v >> 16) : u16(v >> 16) + u16(v & 0xFFFF)
    }
    var tiff: [UInt8] = (littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]) + u16(42) + u32(8)
    tiff += u16(2)
    tiff += u16(0x010F) + u16(2) + u32(4) + Array("Abc\0".utf8)      // Make (ASCII, inline)
    tiff += u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0) // Orientation (SHORT)
    tiff += u32(0)
    let payload = Array("Exif".utf8) + [0, 0] + tiff
    let length = payload.count + 2
    return [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
}

/// Inserts `segment` right after SOI.
func insertingSegment(_ segment: [UInt8], into jpeg: [UInt8]) -> [UInt8] {
    Array(jpeg[0..<2]) + segment + Array(jpeg[2...])
}

@Suite struct ExifOrientationTests {
    @Test(arguments: 1...8)
    func applyingOrientationMatchesReference(orientation: Int) throws {
        var pixels: [UInt8] = []
        for i in 0..<(4 * 3) { pixels += [UInt8(i * 20), UInt8(255 - i * 20), UInt8(i)] }
        let image = try RGBImage(width: 4, height: 3, pixels: pixels)
        let result = image.applyingExifOrientation(orientation)
        #expect(grid(result) == expected(grid(image), orientation: orientation))
        #expect(result.width == (orientation >= 5 ? 3 : 4))
    }

    @Test(arguments: 1...8, [true, false])
    func decoderAppliesExifOrientation(orientation: Int, littleEndian: Bool) throws {
        let source = try quadrantImage(width: 16, height: 8)
        let plain = try ImageEncoder(jpegQuality: 100).jpegData(source)
        let upright = try ImageDecoder.decode(data: plain)
        let tagged = insertingSegment(exifSegment(orientation: orientation, littleEndian: littleEndian), into: plain)
        #expect(ExifOrientation.read(fromJPEG: tagged) == orientation)
        let decoded = try ImageDecoder.decode(data: tagged, name: "tagged.jpg")
        #expect(grid(decoded) == expected(grid(upright), orientation: orientation))
    }

    @Test func pillowOrientation6FileIsRotatedClockwise() throws {
        // 16x8: left half red, right half blue, top-left 4x4 green; Exif (big-endian) orientation 6.
        // Pillow's exif_transpose gives 8x16 with these colours at the probed points.
        let image = try ImageDecoder.decode(data: base64Bytes(Fixtures.exif6JPEG))
        #expect(image.width == 8 && image.height == 16)
        #expect(isClose(image.pixel(x: 1, y: 1), (201, 0, 0), tolerance: 4))
        #expect(isClose(image.pixel(x: 6, y: 1), (0, 204, 0), tolerance: 4))
        #expect(isClose(image.pixel(x: 1, y: 14), (1, 0, 200), tolerance: 4))
        #expect(isClose(image.pixel(x: 6, y: 14), (1, 0, 200), tolerance: 4))
    }

    @Test func malformedExifIsIgnored() throws {
        let plain = try ImageEncoder().jpegData(try quadrantImage(width: 8, height: 8))
        let good = exifSegment(orientation: 6, littleEndian: true)
        var badOffset = good
        badOffset[14] = 0xF0  // IFD0 offset far past the segment
        var badType = good
        badType[34] = 4  // orientation entry type LONG instead of SHORT
        var badValue = good
        badValue[40] = 9  // orientation 9
        let cases: [[UInt8]] = [
            badOffset, badType, badValue,
            Array(good.prefix(12)),                                 // segment cut short (length still claims more)
            [0xFF, 0xE1, 0x00, 0x08] + Array("Exif\0\0".utf8),      // header only
            [0xFF, 0xE1, 0x00, 0x01],                               // length < 2
            [0xFF, 0xE1, 0x00, 0x10, 0x4D, 0x4D],                   // not Exif
        ]
        for segment in cases {
            let data = insertingSegment(segment, into: plain)
            #expect(ExifOrientation.read(fromJPEG: data) == 1)
            _ = try? ImageDecoder.decode(data: data)  // must not crash; may throw
        }
        #expect(ExifOrientation.read(fromJPEG: [0xFF, 0xD8]) == 1)
        #expect(ExifOrientation.read(fromJPEG: [0xFF, 0xD8, 0xFF, 0xE1, 0xFF]) == 1)
    }
}
