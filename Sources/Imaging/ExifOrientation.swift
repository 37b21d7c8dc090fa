/// Reads the Exif orientation tag (0x0112) from a JPEG's APP1 segment.
///
/// Every read is bounds-checked; any malformed structure simply yields 1.
enum ExifOrientation {
    /// The orientation (1...8) stored in the first Exif APP1 segment, or 1
    /// when there is none or it is invalid.
    static func read(fromJPEG data: [UInt8]) -> Int {
        var result = 1
        _ = JPEGMarkers.walk(data) { marker, payload in
            guard marker == 0xE1, let value = orientation(inApp1: payload) else { return true }
            result = value
            return false
        }
        return result
    }

    /// Parses an APP1 payload ("Exif\0\0" + TIFF). Returns nil if it is not
    /// Exif or has no valid orientation.
    static func orientation(inApp1 segment: ArraySlice<UInt8>) -> Int? {
        let exifHeader: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]
        guard segment.count > exifHeader.count,
              segment.prefix(exifHeader.count).elementsEqual(exifHeader) else { return nil }
        let tiff = Array(segment.dropFirst(exifHeader.count))
        guard tiff.count >= 8 else { return nil }
        let littleEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        let reader = TIFFReader(bytes: tiff, littleEndian: littleEndian)
        guard reader.u16(at: 2) == 42, let ifdOffset = reader.u32(at: 4),
              let entryCount = reader.u16(at: ifdOffset) else { return nil }
        for index in 0..<entryCount {
            let entry = ifdOffset + 2 + index * 12
            guard let tag = reader.u16(at: entry), let type = reader.u16(at: entry + 2),
                  let count = reader.u32(at: entry + 4) else { return nil }
            guard tag == 0x0112 else { continue }
            guard type == 3, count >= 1, let value = reader.u16(at: entry + 8),
                  (1...8).contains(value) else { return nil }
            return value
        }
        return nil
    }

    /// Bounds-checked integer reads in either byte order.
    private struct TIFFReader {
        let bytes: [UInt8]
        let littleEndian: Bool

        func u16(at offset: Int) -> Int? {
            guard offset >= 0, offset <= bytes.count - 2 else { return nil }
            let a = Int(bytes[offset]), b = Int(bytes[offset + 1])
            return littleEndian ? (b << 8 | a) : (a << 8 | b)
        }

        func u32(at offset: Int) -> Int? {
            guard let first = u16(at: offset), let second = u16(at: offset + 2) else { return nil }
            return littleEndian ? (second << 16 | first) : (first << 16 | second)
        }
    }
}
