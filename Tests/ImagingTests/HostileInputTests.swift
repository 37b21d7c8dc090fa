import Foundation
import Synchronization
import Testing
import TestSupport
@testable import Imaging
#if canImport(Glibc)
import Glibc
#endif

/// A progressive JPEG header (SOI, DQT, SOF2, DHT, a DC scan with a few bytes of data, EOI)
/// that declares `width` x `height` with `components` unsubsampled components: tiny, but
/// libjpeg would keep 128 bytes of coefficients for every 8x8 block of every component.
func progressiveJPEGBomb(width: Int, height: Int, components: Int = 4) -> [UInt8] {
    var d: [UInt8] = [0xFF, 0xD8]
    if components == 4 {  // Adobe APP14, transform 0: plain CMYK
        d += [0xFF, 0xEE, 0x00, 0x0E] + Array("Adobe".utf8) + [0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00]
    }
    d += [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)
    let sofLength = 8 + 3 * components
    d += [0xFF, 0xC2, 0x00, UInt8(sofLength), 8, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF), UInt8(components)]
    for c in 0..<components { d += [UInt8(c + 1), 0x11, 0x00] }
    // DC table 0: one code of length 1 for category 0.
    d += [0xFF, 0xC4, 0x00, 0x14, 0x00] + [1] + [UInt8](repeating: 0, count: 15) + [0x00]
    let sosLength = 6 + 2 * components
    d += [0xFF, 0xDA, 0x00, UInt8(sosLength), UInt8(components)]
    for c in 0..<components { d += [UInt8(c + 1), 0x00] }
    d += [0x00, 0x00, 0x00]  // Ss = 0, Se = 0, Ah = Al = 0: DC first scan
    d += [UInt8](repeating: 0x00, count: 16) + [0xFF, 0xD9]
    return d
}

/// A 2x2 RGB image whose pixels are distinct, for exact checks.
func tinyRGB() -> RGBImage {
    RGBImage(uncheckedWidth: 2, height: 2, pixels: [10, 20, 30, 200, 100, 50, 0, 255, 0, 255, 255, 255])
}

@Suite struct HostileInputTests {
    @Test func fifoGivenAsAnImageFailsAtOnce() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let fifo = dir.path("pipe.jpg")
        #expect(mkfifo(fifo, 0o600) == 0)
        let start = Date()
        let error = expectImageError(path: fifo, kind: .io) { try ImageDecoder.decode(path: fifo) }
        #expect(error?.reason == "is a FIFO (named pipe), not a regular file")
        #expect(Date().timeIntervalSince(start) < 5)
        // Sniffing a FIFO in a folder scan does not block either.
        #expect(ImageFormat.sniff(path: fifo) == nil)
    }

    @Test func devicesAndDirectoriesAreNotRegularFiles() throws {
        let zero = expectImageError(path: "/dev/zero", kind: .io) { try ImageDecoder.decode(path: "/dev/zero") }
        #expect(zero?.reason == "is a character device, not a regular file")
        let dir = expectImageError(path: "/tmp", kind: .io) { try ImageDecoder.decode(path: "/tmp") }
        #expect(dir?.reason == "is a directory, not a regular file")
    }

    @Test func fileSizeLimitIsCheckedBeforeReading() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let png = try ImageEncoder().pngData(tinyRGB())
        let path = try dir.write("a.png", png)
        #expect(try FileIO.readAll(path: path, limit: png.count) == png)
        do {
            _ = try FileIO.readAll(path: path, limit: png.count - 1)
            Issue.record("a file over the limit was read")
        } catch let error as ImageError {
            #expect(error.kind == .tooLarge)
            #expect(error.reason == "file is \(png.count) bytes, larger than the \(png.count - 1)-byte limit")
        }
        // A sparse file just over the default 1 GiB limit is refused without reading it.
        let big = dir.path("big.jpg")
        let fd = open(big, O_WRONLY | O_CREAT, 0o600)
        #expect(fd >= 0)
        #expect(ftruncate(fd, off_t(ImageDecoder.defaultMaximumFileSize + 1)) == 0)
        close(fd)
        let error = expectImageError(path: big, kind: .tooLarge) { try ImageDecoder.decode(path: big) }
        #expect(error?.reason == "file is 1073741825 bytes, larger than the 1073741824-byte limit")
    }

    @Test func standardInputIsReadFromAPipeWithinTheLimit() throws {
        let png = try ImageEncoder().pngData(tinyRGB())
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let writeEnd = fds[1]
        let writer = Thread {
            png.withUnsafeBytes { raw in _ = write(writeEnd, raw.baseAddress, raw.count) }
            close(writeEnd)
        }
        writer.start()
        let bytes = try FileIO.readAll(fd: fds[0], name: "<stdin>", limit: 1 << 20)
        close(fds[0])
        #expect(bytes == png)
        let image = try ImageDecoder.decode(data: bytes, name: "<stdin>")
        #expect(image.pixels == tinyRGB().pixels)

        // More than the limit: refused after limit + 1 bytes, whatever the writer still sends.
        #expect(pipe(&fds) == 0)
        let floodEnd = fds[1]
        let flooded = DispatchSemaphore(value: 0)
        let flood = Thread {
            // 64 KiB: fits the pipe's buffer, so the writer finishes whatever the reader does.
            let chunk = [UInt8](repeating: 7, count: 4096)
            for _ in 0..<16 { chunk.withUnsafeBytes { raw in _ = write(floodEnd, raw.baseAddress, raw.count) } }
            close(floodEnd)
            flooded.signal()
        }
        flood.start()
        do {
            _ = try FileIO.readAll(fd: fds[0], name: "<stdin>", limit: 10_000)
            Issue.record("read past the limit")
        } catch let error as ImageError {
            #expect(error.description == "<stdin>: more than 10000 bytes, the size limit")
            #expect(error.kind == .tooLarge)
        }
        flooded.wait()
        close(fds[0])
    }

    @Test func tinyProgressiveJPEGDeclaringAHugeImageIsRefusedBeforeAllocating() throws {
        let bomb = progressiveJPEGBomb(width: 10000, height: 10000)
        #expect(bomb.count < 300)
        let frame = try #require(JPEGMarkers.frame(bomb))
        #expect(frame.progressive && frame.buffersWholeImage)
        #expect(frame.coefficientBytes == 800_000_000)  // 1250 x 1250 blocks x 4 components x 128 bytes
        // Scaled as detection decodes it (1/8): 800 MB of coefficients + 6.25 MB of CMYK + rows.
        let before = DecoderMemoryBudget.shared.bytesInUse
        let error = expectImageError(path: "bomb.jpg", kind: .tooLarge) {
            try ImageDecoder.decodeScaled(data: bomb, name: "bomb.jpg", minimumSize: 64).image
        }
        #expect(error?.reason == "decoding a 10000x10000 progressive or multi-scan JPEG needs 809 MB, more than the 200 MB decoder memory budget")
        #expect(DecoderMemoryBudget.shared.bytesInUse <= before)
        // A small one of the same kind is allowed and decodes (to the grey its zero DC gives).
        let small = progressiveJPEGBomb(width: 64, height: 48, components: 3)
        do {
            let image = try ImageDecoder.decode(data: small, name: "small.jpg")
            #expect(image.width == 64 && image.height == 48)
        } catch let error as ImageError {
            // libjpeg may find the fake scan short: then it says so, after the budget let it through.
            #expect(error.kind == .truncated || error.kind == .corrupt, "\(error)")
        }
    }

    @Test func sequentialJPEGWithSeparateComponentScansIsBudgetedLikeProgressive() throws {
        // A baseline frame whose first scan holds one of three components buffers the whole image.
        var bytes = progressiveJPEGBomb(width: 8000, height: 8000, components: 3)
        let sof = try #require((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC2 })
        bytes[sof + 1] = 0xC0
        let sos = try #require((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA })
        bytes.replaceSubrange((sos + 2)..<(sos + 2 + 12), with: [0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00])
        let frame = try #require(JPEGMarkers.frame(bytes))
        #expect(!frame.progressive && frame.firstScanComponents == 1 && frame.buffersWholeImage)
        #expect(frame.coefficientBytes == 1000 * 1000 * 3 * 128)
        expectImageError(path: "scans.jpg", kind: .tooLarge) {
            try ImageDecoder.decodeScaled(data: bytes, name: "scans.jpg", minimumSize: 64).image
        }
    }

    /// A stuffed `FF 00` (and garbage) between segments: libjpeg skips it and decodes the frame
    /// after it, so the header walk must find that frame too (it once read `FF 00` as a segment
    /// with a bogus length and sized the memory budget by no frame at all; fuzz input
    /// `jpeg-ff00-in-header-6144x4096`).
    @Test func headerWalkSkipsStuffedBytesAsLibjpegDoes() throws {
        let original = try ImageEncoder().jpegData(try RGBImage(width: 48, height: 32, pixels: [UInt8](repeating: 90, count: 48 * 32 * 3)))
        var bytes = original
        bytes.insert(contentsOf: [0xFF, 0x00, 0x12, 0x34, 0x56], at: 2)
        let frame = try #require(JPEGMarkers.frame(bytes))
        #expect(frame == JPEGMarkers.frame(original) && frame.width == 48 && frame.height == 32)
        let image = try ImageDecoder.decode(data: bytes, name: "stuffed.jpg")
        #expect(image.width == 48 && image.height == 32)
    }

    @Test func camera102MegapixelJPEGPassesTheDefaultPixelLimit() throws {
        // A baseline JPEG whose frame is patched to 11648 x 8736 (102 MP, as a Fujifilm GFX100).
        var data = try ImageEncoder().jpegData(try quadrantImage(width: 16, height: 16))
        let sof = try #require((0..<(data.count - 1)).first { data[$0] == 0xFF && data[$0 + 1] == 0xC0 })
        data[sof + 5] = 0x22; data[sof + 6] = 0x20  // height 8736
        data[sof + 7] = 0x2D; data[sof + 8] = 0x80  // width 11648
        // Scaled for detection it gets past both limits and only fails on the missing data.
        let scaled = expectImageError(path: "gfx.jpg") { try ImageDecoder.decodeScaled(data: data, name: "gfx.jpg", minimumSize: 64).image }
        #expect(scaled?.kind == .truncated || scaled?.kind == .corrupt, "\(String(describing: scaled))")
        // The old 100-megapixel limit, as an explicit limit, refuses it.
        var limits = ImageDecoder.Limits.current
        limits.maximumPixelCount = 100_000_000
        do {
            _ = try ImageDecoder.decodeScaled(data: data, name: "gfx.jpg", longSideOnly: false, limits: limits) { _, _ in 64 }
            Issue.record("decoded past a 100 MP limit")
        } catch let error as ImageError {
            #expect(error.reason == "JPEG image is 11648x8736, more than the 100-megapixel limit")
        }
        // At full resolution its 305 MB of RGB (plus row buffers) exceed the decoder memory budget.
        let full = expectImageError(path: "gfx.jpg", kind: .tooLarge) { try ImageDecoder.decode(data: data, name: "gfx.jpg") }
        #expect(full?.reason == "decoding a 11648x8736 JPEG needs 309 MB, more than the 200 MB decoder memory budget")
    }

    @Test func pixelLimitAndBudgetAreProcessWideSettings() throws {
        #expect(ImageDecoder.maximumPixelCount == ImageDecoder.defaultMaximumPixelCount)
        #expect(ImageDecoder.defaultMaximumPixelCount == 500_000_000)
        #expect(ImageDecoder.maximumFileSize == 1 << 30)
        #expect(ImageDecoder.memoryBudget == 200_000_000)
    }

    @Test func aReservationLargerThanTheBudgetFailsAndASmallerOneWaits() throws {
        let budget = DecoderMemoryBudget(capacity: 100)
        #expect(throws: ImageError(path: "x", kind: .tooLarge,
                                   reason: "decoding a test needs 1 MB, more than the 1 MB decoder memory budget")) {
            try budget.withReservation(101, name: "x", what: "a test") { () }
        }
        let order = Mutex<[String]>([])
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread {
            try? budget.withReservation(80, name: "a", what: "a") {
                order.withLock { $0.append("a reserved") }
                holding.signal()
                release.wait()
                order.withLock { $0.append("a releases") }
            }
            done.signal()
        }.start()
        holding.wait()
        Thread {
            try? budget.withReservation(50, name: "b", what: "b") {
                order.withLock { $0.append("b reserved") }
            }
            done.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.3)
        #expect(budget.bytesInUse == 80)  // b is waiting
        release.signal()
        done.wait()
        done.wait()
        #expect(order.withLock { $0 } == ["a reserved", "a releases", "b reserved"])
        #expect(budget.bytesInUse == 0)
        #expect(budget.peakBytesInUse == 80)
    }

    @Test func aTinyWebPDeclaringALargeImageFailsBeforeAnyMemoryIsReserved() throws {
        // Found by fuzzing (Fuzz/Corpus/image/webp-truncated-3352x5426): 50 bytes whose VP8
        // header says 3352x5426 and whose RIFF header says 158 bytes.
        let data: [UInt8] = [0x52, 0x49, 0x46, 0x46, 0x96, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20,
                             0x8a, 0, 0, 0, 0x50, 0x05, 0x00, 0x9d, 0x01, 0x2a, 0x18, 0x4d, 0x32, 0x35, 0x35, 0x0a,
                             0x3d, 0x01, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x06, 0x80, 0, 0]
        var limits = ImageDecoder.Limits.current
        limits.budget = DecoderMemoryBudget(capacity: 200_000_000)
        for minimum in [nil, 128] as [Int?] {
            do {
                _ = try ImageDecoder.decodeScaled(data: data, name: "t.webp", longSideOnly: false, limits: limits, minimumSize: { _, _ in minimum })
                Issue.record("a truncated WebP decoded")
            } catch let e as ImageError {
                #expect(e.kind == .truncated)
                #expect(e.reason == "truncated WebP (the file has 50 of the 158 bytes its header declares)")
            }
        }
        #expect(limits.budget.peakBytesInUse == 0)
        // A complete file still decodes, and the same file with its last byte cut is refused early.
        let whole = try ImageEncoder().webpData(try quadrantImage(width: 64, height: 48))
        #expect(try ImageDecoder.decode(data: whole).width == 64)
        #expect(throws: ImageError.self) { try ImageDecoder.decode(data: Array(whole.dropLast())) }
    }

    @Test func aTinyPNGDeclaringALargeImageFailsBeforeAnyMemoryIsReserved() throws {
        // 8000x8000 8-bit RGB whose only IDAT is 11 bytes of deflate: complete chunks, far too little data.
        let ihdr: [UInt8] = [0, 0, 0x1F, 0x40, 0, 0, 0x1F, 0x40, 8, 2, 0, 0, 0]
        let idat: [UInt8] = [0x78, 0x9C, 0x63, 0x60, 0x18, 0x05, 0x00, 0x00, 0x00, 0x64, 0x00]
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + pngChunk("IHDR", ihdr) + pngChunk("IDAT", idat) + pngChunk("IEND", [])
        var limits = ImageDecoder.Limits.current
        limits.budget = DecoderMemoryBudget(capacity: 200_000_000)
        // Found by fuzzing (Fuzz/Corpus/image/png-short-idat-broken-chunk): the same with a bad IDAT
        // CRC and a chunk length over 2^31 after it; the data before the broken chunk is what counts.
        let broken = Array(png[0..<52]) + [0xFF, 0xFF, 0xFF, 0x0F, 0x86, 0x64, 0x3C, 0x35, 0, 0, 0, 0] + pngChunk("IEND", [])
        for (name, bytes) in [("t.png", png), ("b.png", broken)] {
            do {
                _ = try ImageDecoder.decodeScaled(data: bytes, name: name, longSideOnly: false, limits: limits, minimumSize: { _, _ in nil })
                Issue.record("\(name): a PNG without its data decoded")
            } catch let e as ImageError {
                #expect(e.reason == "truncated PNG (11 bytes of image data cannot hold 8000x8000 pixels (at least 7760 needed))", "\(name)")
            }
            #expect(limits.budget.peakBytesInUse == 0)
        }
        // The bound never refuses a real image, however well it compresses: a flat 2000x2000 PNG.
        let flat = try RGBImage(width: 2000, height: 2000, pixels: [UInt8](repeating: 200, count: 2000 * 2000 * 3))
        let encoded = try ImageEncoder().pngData(flat)
        #expect(PNGDecoder.tooLittleImageData(in: encoded, width: 2000, height: 2000) == nil)
        #expect(try ImageDecoder.decode(data: encoded).pixels == flat.pixels)
    }

    @Test func aTinyJPEGDeclaringALargeImageFailsBeforeItsOutputIsAllocated() throws {
        // Found by fuzzing (Fuzz/Corpus/image/jpeg-progressive-2584x20533-*): a progressive JPEG
        // of a few hundred bytes declaring 2584x20533 with 4:2:0 chroma. Its 159 MB of
        // coefficients fit the budget, and libjpeg decoded all 1.2 million blocks before finding
        // the data short: 2.3 s under ASan for a 271-byte file.
        var bomb = progressiveJPEGBomb(width: 2584, height: 20533, components: 3)
        let sof = try #require((0..<(bomb.count - 1)).first { bomb[$0] == 0xFF && bomb[$0 + 1] == 0xC2 })
        bomb[sof + 11] = 0x22  // the first component: 2x2 sampling
        let frame = try #require(JPEGMarkers.frame(bomb))
        #expect(frame.huffman && frame.progressive)
        #expect(frame.minimumDataBits == 162 * 1284)  // a chroma component's 8x8 blocks (1292x10267)
        var limits = ImageDecoder.Limits.current
        limits.budget = DecoderMemoryBudget(capacity: 200_000_000)
        let error = expectImageError(path: "t.jpg", kind: .truncated) {
            try ImageDecoder.decodeScaled(data: bomb, name: "t.jpg", longSideOnly: false, limits: limits) { _, _ in 64 }.image
        }
        #expect(error?.reason == "truncated JPEG (\(bomb.count) bytes cannot hold a 2584x20533 image (at least 26001 needed, 1 bit per 8x8 block))")
        // Arithmetic coding can take less than a bit per block: not bounded.
        var arithmetic = bomb
        arithmetic[sof + 1] = 0xCA
        #expect(JPEGMarkers.frame(arithmetic)?.minimumDataBits == nil)
        // The bound never refuses a real image, however well it compresses: flat 1024x1024
        // JPEGs, baseline and progressive, decode.
        let flat = try RGBImage(width: 1024, height: 1024, pixels: [UInt8](repeating: 200, count: 1024 * 1024 * 3))
        let baseline = try ImageEncoder().jpegData(flat)
        for jpeg in [baseline, try progressiveCopy(of: baseline)] {
            #expect(JPEGDecoder.tooLittleData(jpeg, width: 1024, height: 1024) == nil)
            #expect(try ImageDecoder.decode(data: jpeg).width == 1024)
        }
    }

    @Test func aTinyWebPThatLibwebpRefusesPartWayFailsCleanly() throws {
        // Found by fuzzing (Fuzz/Corpus/image/webp-10776x5688-158b): a complete RIFF of 158 bytes
        // whose VP8 frame declares 10776x5688. Its full decode fits the 200 MB budget (184 MB of
        // RGB); libwebp refuses the data part-way. The output is no longer cleared before
        // libwebp writes it, so the refusal costs the rows reached, not 184 MB of zeroed pages
        // (0.8-1.8 s under ASan before, 0.2 s now).
        let webp: [UInt8] = [
            0x52, 0x49, 0x46, 0x46, 0x96, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20, 0x8A, 0x00, 0x00, 0x00,
            0x50, 0x05, 0x00, 0x9D, 0x01, 0x2A, 0x18, 0xAA, 0x38, 0x96, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38,
            0x20, 0x8A, 0x00, 0x00, 0x00, 0x50, 0x05, 0x00, 0x9D, 0x01, 0x2A, 0x18, 0xAA, 0x38, 0xC1, 0x40, 0x0D, 0xC0, 0x91, 0x45,
            0xA4, 0x22, 0xA1, 0x98, 0x04, 0x00, 0x40, 0x06, 0xC4, 0xB6, 0x00, 0x5D, 0x8B, 0xE0, 0x0D, 0xA0, 0x0D, 0xEF, 0xFF, 0x40,
            0x0F, 0xF0, 0x1B, 0xC6, 0x7F, 0xB2, 0x5F, 0x03, 0xBE, 0x4C, 0x00, 0x4D, 0x3D, 0x4E, 0x59, 0x10, 0x00, 0xFD, 0x1C, 0x27,
            0xE6, 0xFB, 0x8F, 0x2D, 0x84, 0x06, 0x17, 0xC0, 0x4C, 0xFF, 0x93, 0x25, 0xC6, 0x5A, 0x7E, 0x27, 0xFE, 0x58, 0x1C, 0xC7,
            0x7F, 0xBB, 0xA2, 0xAF, 0x6C, 0x7F, 0xC5, 0xC6, 0xAF, 0x3E, 0x48, 0x6C, 0x5D, 0xC4, 0x7F, 0x92, 0x5B, 0x1A, 0xD2, 0x99,
            0x91, 0x49, 0xA1, 0x7E, 0xCF, 0x47, 0x1A, 0x42, 0xF4, 0x83, 0x66, 0xBB, 0x3F, 0x1A, 0x82, 0x80, 0x00, 0x00,
        ]
        var limits = ImageDecoder.Limits.current
        limits.budget = DecoderMemoryBudget(capacity: 200_000_000)
        do {
            _ = try ImageDecoder.decodeScaled(data: webp, name: "f.webp", longSideOnly: false, limits: limits) { _, _ in nil }
            Issue.record("a 158-byte WebP decoded to 10776x5688")
        } catch let e as ImageError {
            #expect(e.kind == .truncated || e.kind == .corrupt, "\(e)")
            #expect(e.reason.contains("WebP"), "\(e)")
        }
        #expect(limits.budget.peakBytesInUse >= 10776 * 5688 * 3)  // it was let through the budget,
        #expect(limits.budget.bytesInUse == 0)                      // and released
        // A complete WebP still decodes to every pixel (the buffer is fully written).
        let image = try quadrantImage(width: 64, height: 48)
        let lossless = try ImageEncoder().webpData(image, lossless: true)
        #expect(try ImageDecoder.decode(data: lossless).pixels == image.pixels)
    }

    @Test func concurrentDecodesShareOneBudget() throws {
        // Room for one 600x400 progressive decode at a time (it needs about 2.1 MB).
        let data = try progressiveCopy(of: try ImageEncoder().jpegData(try quadrantImage(width: 600, height: 400)))
        let estimate = JPEGDecoder.estimatedMemory(data, width: 600, height: 400, outputBytes: 600 * 400 * 3).bytes
        var budgeted = ImageDecoder.Limits.current
        budgeted.budget = DecoderMemoryBudget(capacity: estimate + estimate / 2)
        let limits = budgeted
        let reference = try ImageDecoder.decode(data: data)
        let results = Mutex<[RGBImage]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            if let d = try? ImageDecoder.decodeScaled(data: data, name: "p.jpg", longSideOnly: false, limits: limits, minimumSize: { _, _ in nil }) {
                results.withLock { $0.append(d.image) }
            }
        }
        let images = results.withLock { $0 }
        #expect(images.count == 8)
        #expect(images.allSatisfy { $0.pixels == reference.pixels })
        #expect(limits.budget.peakBytesInUse == estimate)  // never two at once
    }
}

/// The same image re-encoded as a progressive JPEG (TurboJPEG's lossless transform).
func progressiveCopy(of jpeg: [UInt8]) throws -> [UInt8] {
    let image = try ImageDecoder.decode(data: jpeg)
    return try ImageEncoder(jpegQuality: 90).jpegData(image, progressive: true)
}
