import Foundation
import Testing
import TestSupport
@testable import Imaging


/// A per-test temporary directory (removed by `cleanup()`).
struct TempDir {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("imaging-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

func base64Bytes(_ string: String) throws -> [UInt8] {
    try #require(Data(base64Encoded: string).map { [UInt8]($0) })
}

/// Deterministic xorshift generator so "random" tests are reproducible.
struct XorShift: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

func meanColor(_ image: RGBImage) -> (Double, Double, Double) {
    var sums = (0.0, 0.0, 0.0)
    for i in stride(from: 0, to: image.pixels.count, by: 3) {
        sums.0 += Double(image.pixels[i])
        sums.1 += Double(image.pixels[i + 1])
        sums.2 += Double(image.pixels[i + 2])
    }
    let n = Double(image.width * image.height)
    return (sums.0 / n, sums.1 / n, sums.2 / n)
}

func isClose(_ color: RGBColor?, _ expected: (Int, Int, Int), tolerance: Int) -> Bool {
    guard let color else { return false }
    return abs(Int(color.red) - expected.0) <= tolerance
        && abs(Int(color.green) - expected.1) <= tolerance
        && abs(Int(color.blue) - expected.2) <= tolerance
}

/// Asserts that `body` throws an `ImageError` whose path is `path` and returns it.
@discardableResult
func expectImageError(path: String, kind: ImageError.Kind? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                      _ body: () throws -> RGBImage) -> ImageError? {
    do {
        let image = try body()
        Issue.record("expected ImageError for \(path), decoded \(image.width)x\(image.height)", sourceLocation: sourceLocation)
        return nil
    } catch let error as ImageError {
        #expect(error.path == path, sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix(path + ": "), sourceLocation: sourceLocation)
        if let kind { #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation) }
        return error
    } catch {
        Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Standard CRC-32 (for hand-built PNG chunks).
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
    }
    return ~crc
}

func bigEndian32(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}

func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let typed = Array(type.utf8) + data
    return bigEndian32(UInt32(data.count)) + typed + bigEndian32(crc32(typed))
}

/// A quadrant test pattern: red, green / blue, white.
func quadrantImage(width: Int, height: Int) throws -> RGBImage {
    var image = RGBImage(width: width, height: height, color: .white)
    image.fillRect(x: 0, y: 0, width: width / 2, height: height / 2, color: RGBColor(red: 220, green: 30, blue: 30))
    image.fillRect(x: width / 2, y: 0, width: width - width / 2, height: height / 2, color: RGBColor(red: 30, green: 220, blue: 30))
    image.fillRect(x: 0, y: height / 2, width: width / 2, height: height - height / 2, color: RGBColor(red: 30, green: 30, blue: 220))
    return image
}

func readBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}
