import BlazeFace

/// JSON text with the key order the README shows, and numbers and strings written as
/// Foundation's `JSONEncoder` writes them (shortest round-trip floats, no escaped slashes).
public enum JSONText {
    /// A float as `JSONEncoder` writes it: its shortest round-trip form, without a trailing ".0".
    static func number(_ v: Float) -> String {
        guard v.isFinite else { return "null" }
        let s = v.description
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }

    /// A double as `JSONEncoder` writes it.
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        let s = v.description
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }

    /// Escapes of the characters JSON does not take as they are (others below U+0020: `\\u00XX`).
    static let escapes: [Unicode.Scalar: String] = [
        "\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\u{08}": "\\b", "\u{0C}": "\\f",
    ]

    /// A quoted, escaped string.
    public static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            if let e = escapes[scalar] {
                out += e
            } else if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// An object of already encoded values, in the order given.
    public static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// An array of already encoded values.
    static func array(_ values: [String]) -> String {
        "[" + values.joined(separator: ",") + "]"
    }

    /// A point `{"x":…,"y":…}`.
    static func point(_ p: Face.Point) -> String {
        object([("x", number(p.x)), ("y", number(p.y))])
    }

    /// A face: score, box (x, y, width, height), keypoints in ``FaceKeypoint`` order.
    static func face(_ f: Face) -> String {
        let box = object([("x", number(f.box.x)), ("y", number(f.box.y)),
                          ("width", number(f.box.width)), ("height", number(f.box.height))])
        let keypoints = object(FaceKeypoint.allCases.compactMap { k in f.keypoints[k].map { (k.rawValue, point($0)) } })
        return object([("score", number(f.score)), ("box", box), ("keypoints", keypoints)])
    }
}

extension JSONText {
    /// `compact` JSON re-indented for a person: two spaces a level, one member a line, and the
    /// innermost objects (a box, a point) kept on one line. Strings are copied untouched.
    static func pretty(_ compact: String, indent start: Int = 0) -> String {
        let bytes = Array(compact.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        var depth = start, inString = false, escaped = false, flat = 0
        func newline() { out.append(10); out += Array(repeating: 32, count: 2 * depth) }
        /// True when the object or array opening at `i` holds no nested object or array.
        func isLeaf(_ i: Int) -> Bool {
            var j = i + 1, quoted = false, esc = false
            while j < bytes.count {
                let c = bytes[j]
                if quoted { if esc { esc = false } else if c == 92 { esc = true } else if c == 34 { quoted = false } }
                else if c == 34 { quoted = true }
                else if c == 123 || c == 91 { return false }
                else if c == 125 || c == 93 { return true }
                j += 1
            }
            return true
        }
        for (i, c) in bytes.enumerated() {
            if inString {
                out.append(c)
                if escaped { escaped = false } else if c == 92 { escaped = true } else if c == 34 { inString = false }
                continue
            }
            switch c {
            case 34: inString = true; out.append(c)
            case 123, 91:  // { [
                out.append(c)
                if flat > 0 || isLeaf(i) { flat += 1; if c == 123 { out.append(32) } } else { depth += 1; newline() }
            case 125, 93:  // } ]
                if flat > 0 { flat -= 1; if c == 125 { out.append(32) } } else { depth -= 1; newline() }
                out.append(c)
            case 44: out.append(c); if flat > 0 { out.append(32) } else { newline() }
            case 58: out.append(c); out.append(32)
            default: out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
