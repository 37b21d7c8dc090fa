/// A bounds-checked walk over the marker segments of a JPEG header
/// (everything before the first SOS).
enum JPEGMarkers {
    /// How a walk ended.
    enum Outcome: Equatable {
        /// Reached a start-of-scan (or EOI) marker: the header is structurally complete.
        case reachedScan
        /// The data ended inside the header.
        case truncated
        /// Something other than a marker was found where one was expected.
        case malformed
        /// The visitor asked to stop.
        case stopped
    }

    /// Calls `visit(marker, payload)` for each segment after SOI until SOS/EOI,
    /// the end of the data, or `visit` returning `false`. The first SOS segment's header is
    /// visited too (when it is complete), then the walk ends with `.reachedScan`.
    static func walk(_ data: [UInt8], visit: (UInt8, ArraySlice<UInt8>) -> Bool = { _, _ in true }) -> Outcome {
        guard data.count >= 2, data[0] == 0xFF, data[1] == 0xD8 else { return .malformed }
        var pos = 2
        while true {
            guard pos < data.count else { return .truncated }
            // As libjpeg's next_marker: bytes before an 0xFF are skipped (garbage, with a warning),
            // then 0xFF fill bytes; 0xFF 0x00 is no marker and scanning goes on past it. (Taking
            // it for a segment read a bogus length and missed the frame libjpeg decodes.)
            var markerPos = pos
            while true {
                while markerPos < data.count, data[markerPos] != 0xFF { markerPos += 1 }
                while markerPos < data.count, data[markerPos] == 0xFF { markerPos += 1 }  // fill bytes
                guard markerPos < data.count else { return .truncated }
                if data[markerPos] != 0x00 { break }
                markerPos += 1
            }
            let marker = data[markerPos]
            if marker == 0xD9 { return .reachedScan }
            if marker == 0xDA {
                if markerPos + 2 < data.count {
                    let length = Int(data[markerPos + 1]) << 8 | Int(data[markerPos + 2])
                    let end = markerPos + 1 + length
                    if length >= 2, end <= data.count { _ = visit(marker, data[(markerPos + 3)..<end]) }
                }
                return .reachedScan
            }
            if marker == 0x01 || (0xD0...0xD7).contains(marker) {
                pos = markerPos + 1
                continue
            }
            guard markerPos + 2 < data.count else { return .truncated }
            let length = Int(data[markerPos + 1]) << 8 | Int(data[markerPos + 2])
            guard length >= 2 else { return .malformed }
            let end = markerPos + 1 + length
            guard end <= data.count else { return .truncated }
            if !visit(marker, data[(markerPos + 3)..<end]) { return .stopped }
            pos = end
        }
    }

    /// What a frame header (SOFn) and the first scan header (SOS) declare.
    struct Frame: Equatable {
        var width: Int
        var height: Int
        /// SOF2, SOF6, SOF10 or SOF14.
        var progressive: Bool
        /// SOF0 to SOF3: Huffman-coded, not hierarchical (not arithmetic-coded, where a block may
        /// take less than a bit).
        var huffman = false
        /// Horizontal and vertical sampling factors of each component.
        var sampling: [(h: Int, v: Int)]
        /// Components in the first scan (nil if the data ends before it).
        var firstScanComponents: Int?

        static func == (a: Frame, b: Frame) -> Bool {
            a.width == b.width && a.height == b.height && a.progressive == b.progressive
                && a.sampling.map { [$0.h, $0.v] } == b.sampling.map { [$0.h, $0.v] }
                && a.firstScanComponents == b.firstScanComponents && a.huffman == b.huffman
        }

        /// The fewest bits of entropy-coded data a complete image of this frame holds: with
        /// Huffman coding every 8x8 block of a component takes at least one bit (its DC
        /// coefficient's code), and at least one component must be coded. Nil when not bounded
        /// (arithmetic coding, hierarchical frames).
        var minimumDataBits: Int? {
            guard huffman else { return nil }
            let hMax = sampling.map(\.h).max() ?? 1, vMax = sampling.map(\.v).max() ?? 1
            return sampling.map { c in
                let w = (width * c.h + hMax - 1) / hMax, h = (height * c.v + vMax - 1) / vMax
                return ((w + 7) / 8) * ((h + 7) / 8)
            }.min()
        }

        /// Whether libjpeg keeps every DCT coefficient of the image in memory while decoding:
        /// progressive frames, and sequential ones whose first scan does not hold every component.
        var buffersWholeImage: Bool {
            progressive || (firstScanComponents ?? sampling.count) < sampling.count
        }

        /// The bytes of libjpeg's whole-image coefficient arrays (2 bytes per coefficient, 64 per
        /// block, each component padded to whole MCUs); 0 when the image is not buffered.
        var coefficientBytes: Int {
            guard buffersWholeImage else { return 0 }
            let hMax = sampling.map(\.h).max() ?? 1, vMax = sampling.map(\.v).max() ?? 1
            let mcusX = (width + 8 * hMax - 1) / (8 * hMax), mcusY = (height + 8 * vMax - 1) / (8 * vMax)
            return sampling.reduce(0) { $0 + mcusX * $1.h * mcusY * $1.v * 128 }
        }
    }

    /// The first frame header and scan header, or nil when there is no well-formed SOFn.
    static func frame(_ data: [UInt8]) -> Frame? {
        var frame: Frame?
        _ = walk(data) { marker, payload in
            switch marker {
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                let p = Array(payload)
                guard frame == nil, p.count >= 6 else { return true }
                let count = Int(p[5])
                guard count >= 1, p.count >= 6 + 3 * count else { return false }
                let sampling = (0..<count).map { i -> (h: Int, v: Int) in
                    let hv = p[6 + 3 * i + 1]
                    return (h: max(1, Int(hv >> 4)), v: max(1, Int(hv & 0x0F)))
                }
                frame = Frame(width: Int(p[3]) << 8 | Int(p[4]), height: Int(p[1]) << 8 | Int(p[2]),
                              progressive: [0xC2, 0xC6, 0xCA, 0xCE].contains(marker), huffman: marker <= 0xC3, sampling: sampling)
                return true
            case 0xDA:
                if let count = payload.first { frame?.firstScanComponents = Int(count) }
                return false
            default:
                return true
            }
        }
        return frame
    }
}
