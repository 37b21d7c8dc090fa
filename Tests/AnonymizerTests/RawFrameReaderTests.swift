import Anonymizer
import Foundation
import Testing

/// Raw RGB frames from a file descriptor: whole frames, the end between frames, a cut frame,
/// and sizes that are refused.
@Suite struct RawFrameReaderTests {
    /// A pipe holding `bytes`, closed for writing; returns the read end.
    static func pipe(_ bytes: [UInt8]) -> Pipe {
        let p = Pipe()
        let writer = p.fileHandleForWriting
        Thread {
            writer.write(Data(bytes))
            try? writer.close()
        }.start()
        return p
    }

    @Test func wholeFramesThenTheEnd() throws {
        var frames: [[UInt8]] = []
        for k in 0..<3 {
            let bytes: [UInt8] = (0..<24).map { i in UInt8(i + 7 * k) }
            frames.append(bytes)
        }
        let p = Self.pipe(frames.flatMap { $0 })
        let reader = try RawFrameReader(fileDescriptor: p.fileHandleForReading.fileDescriptor, width: 4, height: 2, name: "pipe")
        for k in 0..<3 {
            let frame = try #require(try reader.next(), "frame \(k)")
            #expect(frame.width == 4 && frame.height == 2)
            #expect(frame.pixels == frames[k])
        }
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }

    @Test func aCutFrameIsAnErrorNamingTheBytes() throws {
        let p = Self.pipe([UInt8](repeating: 9, count: 4 * 2 * 3 + 5))
        let reader = try RawFrameReader(fileDescriptor: p.fileHandleForReading.fileDescriptor, width: 4, height: 2, name: "pipe")
        #expect(try reader.next() != nil)
        #expect(throws: AnonymizerError("pipe: the stream ended in the middle of a frame (5 of 24 bytes of a 4x2 RGB frame)")) {
            try reader.next()
        }
        #expect(try reader.next() == nil)
    }

    @Test func sizesAreParsedAndBoundsChecked() {
        #expect(RawFrameReader.parseSize("1280x720").map { [$0.width, $0.height] } == [1280, 720])
        #expect(RawFrameReader.parseSize("64X48").map { [$0.width, $0.height] } == [64, 48])
        for bad in ["1280", "x720", "1280x", "12a0x720", "-1x5", "1x2x3", "", "１２x３"] {
            #expect(RawFrameReader.parseSize(bad) == nil, "\(bad)")
        }
        #expect(throws: AnonymizerError("<stdin>: frame size 0x480 is not between 1x1 and 16384x16384")) {
            try RawFrameReader(width: 0, height: 480)
        }
        #expect(throws: AnonymizerError.self) { try RawFrameReader(width: 16385, height: 1) }
    }
}
