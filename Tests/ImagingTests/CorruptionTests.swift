import Testing
import TestSupport
@testable import Imaging

@Suite struct CorruptionTests {
    private static let photo = "data/samples/photos/13.jpg"
    private static let png = "data/samples/hollance_blazeface/images/1face.png"

    @Test(.requires(.samples)) func truncatedJPEGThrowsAtEveryLength() throws {
        let data = try readBytes(SharedData.path(Self.photo))
        let lengths = [1, 2, 3, 4, 10, 20, 100, 300, 600, data.count / 3, data.count / 2, data.count - 100, data.count - 2]
        for length in lengths {
            let error = expectImageError(path: "cut.jpg") {
                try ImageDecoder.decode(data: Array(data.prefix(length)), name: "cut.jpg")
            }
            if length >= 600 { #expect(error?.kind == .truncated, "length \(length): \(String(describing: error))") }
        }
        // The same file written to disk names the path.
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = try dir.write("half.jpg", Array(data.prefix(data.count / 2)))
        let error = expectImageError(path: path, kind: .truncated) { try ImageDecoder.decode(path: path) }
        #expect(error?.description.contains("truncated JPEG") == true)
    }

    @Test(.requires(.samples)) func truncatedPNGThrowsAtEveryLength() throws {
        let data = try readBytes(SharedData.path(Self.png))
        for length in [1, 8, 9, 20, 33, 50, 100, data.count / 2, data.count - 13, data.count - 1] {
            expectImageError(path: "cut.png") { try ImageDecoder.decode(data: Array(data.prefix(length)), name: "cut.png") }
        }
    }

    @Test func garbageIsRejected() throws {
        var rng = XorShift(seed: 42)
        for trial in 0..<20 {
            let random = (0..<(16 + trial * 37)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            for prefix: [UInt8] in [[], [0xFF, 0xD8, 0xFF], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], Array("P6\n".utf8)] {
                let data = prefix + random
                if prefix.isEmpty, ImageFormat.detect(data) != nil { continue }
                expectImageError(path: "garbage.bin") { try ImageDecoder.decode(data: data, name: "garbage.bin") }
            }
        }
    }

    @Test func unknownFormatNamesLeadingBytes() throws {
        let error = expectImageError(path: "a.gif", kind: .unsupportedFormat) {
            try ImageDecoder.decode(data: Array("GIF89a..........".utf8), name: "a.gif")
        }
        #expect(error?.reason == "GIF is not supported; supported: JPEG, PNG, WebP, PPM/PGM")
        let unknown = expectImageError(path: "a.bin", kind: .unsupportedFormat) {
            try ImageDecoder.decode(data: Array("hello, world....".utf8), name: "a.bin")
        }
        #expect(unknown?.reason == "not a supported image (starts with 68 65 6C 6C 6F 2C 20 77); supported: JPEG, PNG, WebP, PPM/PGM")
    }

    @Test func emptyMissingAndDirectoryPathsThrow() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let empty = try dir.write("empty.jpg", [])
        let error = expectImageError(path: empty, kind: .empty) { try ImageDecoder.decode(path: empty) }
        #expect(error?.description == "\(empty): empty file")
        expectImageError(path: dir.path("missing.png"), kind: .io) { try ImageDecoder.decode(path: dir.path("missing.png")) }
        expectImageError(path: dir.url.path, kind: .io) { try ImageDecoder.decode(path: dir.url.path) }
        expectImageError(path: "<memory>", kind: .empty) { try ImageDecoder.decode(data: []) }
    }

    @Test func mutatedFilesNeverCrash() throws {
        let jpeg = try base64Bytes(Fixtures.progJPEG)
        let png = try ImageEncoder().pngData(try quadrantImage(width: 12, height: 10))
        var rng = XorShift(seed: 7)
        var failures = 0
        for source in [jpeg, png] {
            for _ in 0..<150 {
                var data = source
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    data[Int.random(in: 2..<data.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                do {
                    let image = try ImageDecoder.decode(data: data, name: "mutated")
                    #expect(image.pixels.count == image.width * image.height * 3)
                } catch let error as ImageError {
                    #expect(error.path == "mutated")
                    failures += 1
                }
            }
        }
        #expect(failures > 0)
    }

    @Test func hugeDeclaredPNGIsRejected() throws {
        // Valid signature + IHDR (20000 x 20000 RGB) with a correct CRC, then 50 KB of IDAT (enough
        // that the data could hold the image, see aTinyPNGDeclaringALargeImageFails...).
        var ihdr = bigEndian32(20000) + bigEndian32(20000)
        ihdr += [8, 2, 0, 0, 0]
        let data: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + pngChunk("IHDR", ihdr)
            + pngChunk("IDAT", [0x78, 0x9C] + [UInt8](repeating: 0, count: 50_000)) + pngChunk("IEND", [])
        // 400 megapixels is under the pixel limit, but its 1.2 GB of pixels exceed the memory budget.
        let error = expectImageError(path: "bomb.png", kind: .tooLarge) { try ImageDecoder.decode(data: data, name: "bomb.png") }
        #expect(error?.reason == "decoding a 20000x20000 PNG needs 1201 MB, more than the 200 MB decoder memory budget")
    }

    @Test func hugeDeclaredJPEGIsRejected() throws {
        var data = try ImageEncoder().jpegData(try quadrantImage(width: 16, height: 16))
        // Patch the SOF0 frame size to 30000 x 30000.
        let sof = try #require((0..<(data.count - 1)).first { data[$0] == 0xFF && data[$0 + 1] == 0xC0 })
        data[sof + 5] = 0x75; data[sof + 6] = 0x30  // height 30000
        data[sof + 7] = 0x75; data[sof + 8] = 0x30  // width 30000
        let error = expectImageError(path: "bomb.jpg", kind: .tooLarge) { try ImageDecoder.decode(data: data, name: "bomb.jpg") }
        #expect(error?.reason.contains("30000x30000") == true)
    }
}
