/// The header of a `.npy` file, read strictly: a Python dict literal with exactly the keys
/// `'descr'` (a string), `'fortran_order'` (`True` or `False`) and `'shape'` (a tuple of
/// non-negative integers, `()`, `(n,)` or `(a, b, ...)` with at most one trailing comma), each
/// once, in any order. Anything else is an error that quotes the header safely.
struct NumpyHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    static func parse(_ header: String) throws -> NumpyHeader {
        var p = Parser(Array(header.utf8))
        var descr: String?, fortran: Bool?, shape: [Int]?
        try p.expect("{")
        while true {
            p.skipSpaces()
            if p.take("}") { break }
            let key = try p.string()
            try p.expect(":")
            switch key {
            case "descr":
                guard descr == nil else { throw NumpyError("header repeats 'descr': \(quoted(header))") }
                descr = try p.string()
            case "fortran_order":
                guard fortran == nil else { throw NumpyError("header repeats 'fortran_order': \(quoted(header))") }
                fortran = try p.bool()
            case "shape":
                guard shape == nil else { throw NumpyError("header repeats 'shape': \(quoted(header))") }
                shape = try p.tuple()
            default:
                throw NumpyError("header has an unknown key \(quoted(key)): \(quoted(header))")
            }
            p.skipSpaces()
            if p.take(",") { continue }
            try p.expect("}")
            break
        }
        p.skipSpaces()
        guard p.atEnd else { throw NumpyError("unexpected text after the header dict: \(quoted(header))") }
        guard let descr else { throw NumpyError("header has no 'descr': \(quoted(header))") }
        guard let fortran else { throw NumpyError("header has no 'fortran_order': \(quoted(header))") }
        guard let shape else { throw NumpyError("header has no 'shape': \(quoted(header))") }
        return NumpyHeader(descr: descr, fortranOrder: fortran, shape: shape)
    }

    /// `text` for an error message: printable ASCII kept, anything else as `\xNN`, at most 120
    /// characters, in quotes.
    static func quoted(_ text: String) -> String {
        var out = ""
        for byte in text.utf8.prefix(120) {
            if byte >= 0x20 && byte < 0x7f && byte != UInt8(ascii: "\\") { out.append(Character(UnicodeScalar(byte))) } else {
                let hex = String(byte, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            }
        }
        return "\"" + out + (text.utf8.count > 120 ? "...\"" : "\"")
    }

    /// A cursor over the header's bytes.
    struct Parser {
        let bytes: [UInt8]
        var i = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { i >= bytes.count || (bytes[i...].allSatisfy { $0 == 0x20 || $0 == 0x0a }) }

        mutating func skipSpaces() { while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x0a) { i += 1 } }

        mutating func take(_ c: Character) -> Bool {
            skipSpaces()
            guard i < bytes.count, let a = c.asciiValue, bytes[i] == a else { return false }
            i += 1
            return true
        }

        mutating func expect(_ c: Character) throws {
            guard take(c) else { throw NumpyError("malformed header: expected '\(c)' at byte \(i)") }
        }

        /// A quoted string ('...' or "...") without escapes.
        mutating func string() throws -> String {
            skipSpaces()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "'") || bytes[i] == UInt8(ascii: "\"") else {
                throw NumpyError("malformed header: expected a quoted string at byte \(i)")
            }
            let q = bytes[i]
            i += 1
            let start = i
            while i < bytes.count && bytes[i] != q && bytes[i] != UInt8(ascii: "\\") { i += 1 }
            guard i < bytes.count, bytes[i] == q else { throw NumpyError("malformed header: unterminated string at byte \(start - 1)") }
            i += 1
            return String(decoding: bytes[start..<(i - 1)], as: UTF8.self)
        }

        mutating func bool() throws -> Bool {
            skipSpaces()
            for (word, value) in [("True", true), ("False", false)] where bytes[i...].starts(with: Array(word.utf8)) {
                i += word.utf8.count
                return value
            }
            throw NumpyError("malformed header: 'fortran_order' must be True or False (at byte \(i))")
        }

        /// `()`, `(n,)` or `(a, b, ...)`: non-negative integers below 2^31, one trailing comma at most.
        mutating func tuple() throws -> [Int] {
            try expect("(")
            var values: [Int] = []
            while true {
                skipSpaces()
                if take(")") { break }
                let start = i
                while i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") { i += 1 }
                guard i > start, i - start <= 10, let v = Int(String(decoding: bytes[start..<i], as: UTF8.self)), v < 1 << 31 else {
                    throw NumpyError("malformed header: bad dimension in 'shape' at byte \(start)")
                }
                values.append(v)
                if take(",") { continue }
                try expect(")")
                break
            }
            if values.count == 1 && !(bytes[..<i].last(where: { $0 != 0x20 && $0 != UInt8(ascii: ")") }) == UInt8(ascii: ",")) {
                throw NumpyError("malformed header: a one-dimensional 'shape' is written (n,)")
            }
            return values
        }
    }
}
