/// Strict reading of the numbers in WIDER text files (ground truth and predictions).
///
/// Swift's `Double(_:)` also accepts hexadecimal (`0x10`), `inf`, `nan` and magnitudes such as
/// 1e308 that no image coordinate has; these files hold plain decimals, so anything else is an
/// error the user should see, not a value.
enum DecimalField {
    /// The largest coordinate or size accepted, in pixels (no photo is a million pixels wide).
    static let maxMagnitude = 1_000_000.0

    /// The value of a plain decimal number (`-12`, `3.5`, `.5`, `1e3`, `2.5E-4`) within
    /// ±``maxMagnitude``, else nil.
    static func value(_ field: Substring) -> Double? {
        guard isPlainDecimal(field), let v = Double(field), v.isFinite, abs(v) <= maxMagnitude else { return nil }
        return v
    }

    /// True for an optional sign, digits with at most one point (at least one digit), and an
    /// optional exponent `e`/`E`, optional sign and digits.
    static func isPlainDecimal(_ field: Substring) -> Bool {
        var bytes = Array(field.utf8)[...]
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var digits = 0, points = 0
        while let c = bytes.first, (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: ".") {
            if c == UInt8(ascii: ".") { points += 1 } else { digits += 1 }
            bytes = bytes.dropFirst()
        }
        guard digits > 0, points <= 1 else { return false }
        guard let e = bytes.first else { return true }
        guard e == UInt8(ascii: "e") || e == UInt8(ascii: "E") else { return false }
        bytes = bytes.dropFirst()
        if let s = bytes.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        return !bytes.isEmpty && bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
