import Testing
@testable import Imaging

@Suite struct PNMDecoderTests {
    private func decode(_ text: String, _ binary: [UInt8] = []) throws -> RGBImage {
        try ImageDecoder.decode(data: Array(text.utf8) + binary, name: "test.pnm")
    }

    @Test func binaryPPM() throws {
        let image = try decode("P6\n# a comment\n2 1\n255\n", [1, 2, 3, 250, 251, 252])
        #expect(image.width == 2 && image.height == 1)
        #expect(image.pixels == [1, 2, 3, 250, 251, 252])
    }

    @Test func binaryPGMIsReplicated() throws {
        let image = try decode("P5 3 1 255 ", [0, 128, 255])
        #expect(image.pixels == [0, 0, 0, 128, 128, 128, 255, 255, 255])
    }

    @Test func sixteenBitBinaryPPMIsRescaled() throws {
        // maxval 65535 big-endian: 0xFFFF -> 255, 0x8080 -> 128, 0 -> 0.
        let image = try decode("P6 1 1 65535\n", [0xFF, 0xFF, 0x80, 0x80, 0x00, 0x00])
        #expect(image.pixels == [255, 128, 0])
    }

    @Test func asciiPPMWithSmallMaxval() throws {
        // maxval 15: 15 -> 255, 0 -> 0, 7 -> round(7 * 255 / 15) = 119.
        let image = try decode("P3\n# comment line\n2 1 # trailing comment\n15\n15 0 7\n  0 15\n7\n")
        #expect(image.pixels == [255, 0, 119, 0, 255, 119])
    }

    @Test func asciiPGM() throws {
        let image = try decode("P2\n2 2\n255\n0 10\n200 255\n")
        #expect(image.width == 2 && image.height == 2)
        #expect(image.pixels == [0, 0, 0, 10, 10, 10, 200, 200, 200, 255, 255, 255])
    }

    @Test func asciiPGMWith16BitMaxval() throws {
        let image = try decode("P2 1 1 1000 500")
        #expect(image.pixels == [128, 128, 128])  // 500 * 255 / 1000 = 127.5 -> 128
    }

    @Test func bitmapVariantsAreRejected() throws {
        for variant in ["P1", "P4", "P7"] {
            let error = expectImageError(path: "test.pnm", kind: .unsupportedFormat) {
                try decode("\(variant)\n2 2\n", [0, 0, 0, 0])
            }
            #expect(error?.reason == "unsupported PNM variant \(variant)")
        }
    }

    @Test func headerClaimingMorePixelsThanPresentThrows() throws {
        let error = expectImageError(path: "test.pnm", kind: .truncated) { try decode("P6\n100 100\n255\n", [UInt8](repeating: 7, count: 10)) }
        #expect(error?.reason.contains("truncated") == true)
        expectImageError(path: "test.pnm", kind: .truncated) { try decode("P3 2 2 255 1 2 3 4 5 6") }
        expectImageError(path: "test.pnm", kind: .truncated) { try decode("P5 2 2 255") }
        expectImageError(path: "test.pnm", kind: .truncated) { try decode("P6 2 2") }
    }

    @Test func malformedHeadersThrow() throws {
        expectImageError(path: "test.pnm", kind: .corrupt) { try decode("P6 2 x 255\n", [0]) }
        expectImageError(path: "test.pnm", kind: .corrupt) { try decode("P6 2 2 0\n", [0]) }
        expectImageError(path: "test.pnm", kind: .corrupt) { try decode("P6 2 2 70000\n", [0]) }
        expectImageError(path: "test.pnm", kind: .corrupt) { try decode("P6 0 2 255\n", [0]) }
        expectImageError(path: "test.pnm", kind: .corrupt) { try decode("P6 99999999999999999999 2 255\n", [0]) }
        expectImageError(path: "test.pnm", kind: .corrupt) { try decode("P2 1 1 10 11") }
        expectImageError(path: "test.pnm", kind: .corrupt) { try decode("P5 1 1 10 ", [11]) }
        expectImageError(path: "test.pnm", kind: .corrupt) { try decode("P2 2 1 255 1 -2 ") }
    }

    @Test func hugeDeclaredSizeIsRejectedBeforeAllocation() throws {
        let error = expectImageError(path: "test.pnm", kind: .tooLarge) { try decode("P6 20000 20000 255\n", [1, 2, 3]) }
        #expect(error?.reason.contains("20000x20000") == true)
    }
}
