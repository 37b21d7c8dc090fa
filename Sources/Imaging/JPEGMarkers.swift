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
    /// the end of the data, or `visit` returning `false`.
    static func walk(_ data: [UInt8], visit: (UInt8, ArraySlice<UInt8>) -> Bool = { _, _ in true }) -> Outcome {
        guard data.count >= 2, data[0] == 0xFF, data[1] == 0xD8 else { return .malformed }
        var pos = 2
        while true {
            guard pos < data.count else { return .truncated }
            guard data[pos] == 0xFF else { return .malformed }
            var markerPos = pos + 1
            while markerPos < data.count, data[markerPos] == 0xFF { markerPos += 1 }  // fill bytes
            guard markerPos < data.count else { return .truncated }
            let marker = data[markerPos]
            if marker == 0xDA || marker == 0xD9 { return .reachedScan }
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
}
