#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Imaging

/// Raw RGB frames (`rgb24`: width × height × 3 bytes a frame, no header) read from a file
/// descriptor, e.g. standard input fed by `ffmpeg -i CAMERA -f rawvideo -pix_fmt rgb24 -`.
///
/// One frame is in memory at a time. A stream that ends between frames ends the sequence; one
/// that ends inside a frame is an error naming how many bytes arrived.
public final class RawFrameReader: @unchecked Sendable {
    /// Frame width in pixels.
    public let width: Int
    /// Frame height in pixels.
    public let height: Int
    /// The name used in error messages (`<stdin>` for standard input).
    public let name: String
    /// The largest frame side accepted.
    public static let maximumSide = 16_384
    private let fd: Int32
    private var finished = false

    /// Reads `width` x `height` frames from `fileDescriptor` (standard input by default), which
    /// stays open.
    ///
    /// - Throws: ``AnonymizerError`` when a side is not between 1 and ``maximumSide``.
    public init(fileDescriptor: Int32 = STDIN_FILENO, width: Int, height: Int, name: String = "<stdin>") throws {
        guard (1...Self.maximumSide).contains(width), (1...Self.maximumSide).contains(height) else {
            throw AnonymizerError("\(name): frame size \(width)x\(height) is not between 1x1 and \(Self.maximumSide)x\(Self.maximumSide)")
        }
        self.fd = fileDescriptor
        self.width = width
        self.height = height
        self.name = name
    }

    /// Parses a frame size written `WIDTHxHEIGHT` (`1280x720`).
    public static func parseSize(_ text: String) -> (width: Int, height: Int)? {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let w = Int(parts[0]), let h = Int(parts[1]) else { return nil }
        return (w, h)
    }

    /// The next frame, or nil when the stream ended after a whole frame.
    ///
    /// - Throws: ``AnonymizerError`` when the stream ends inside a frame or cannot be read.
    public func next() throws -> RGBImage? {
        if finished { return nil }
        let size = width * height * 3
        var frame = [UInt8](repeating: 0, count: size)
        let (filled, failure) = frame.withUnsafeMutableBytes { raw -> (count: Int, error: Int32) in
            guard let base = raw.baseAddress else { return (0, 0) }
            return FileDescriptorInput.readFully(fd, into: base, count: size)
        }
        if failure != 0 {
            finished = true
            throw AnonymizerError("\(name): read failed (\(String(cString: strerror(failure))))")
        }
        if filled < size {
            finished = true
            if filled == 0 { return nil }
            throw AnonymizerError("\(name): the stream ended in the middle of a frame (\(filled) of \(size) bytes of a \(width)x\(height) RGB frame)")
        }
        return try RGBImage(width: width, height: height, pixels: frame)
    }
}
