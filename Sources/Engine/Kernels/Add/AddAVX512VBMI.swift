import CKernels

/// ADD int8 by exact table decomposition, `bf_qs8_add_lut_avx512vbmi` (see CKernels.h): the
/// output is Pi[a] + Qi[b] + [Ra[a] >= Rb[b]], clamped. The tables are derived from the
/// reference's fixed-point values and then checked against ``AddQS8Params/apply`` on all
/// 65,536 input pairs; `make` returns nil if any pair differs (the sign nudge of the output
/// rounding is not modelled), and the engine uses ``AddQS8AVX512`` instead.
struct AddQS8AVX512VBMI: Kernel {
    let packed: PackedParams<bf_qs8_add_lut_params>
    let input1: Int, input2: Int, output: Int

    static func make(_ p: AddQS8Params, input1: Int, input2: Int, output: Int) -> AddQS8AVX512VBMI? {
        guard let tables = tables(p) else { return nil }
        return AddQS8AVX512VBMI(p, tables: tables, input1: input1, input2: input2, output: output)
    }

    /// With tables already made by ``tables(_:)`` for the same scales (any `p.count`).
    init(_ p: AddQS8Params, tables: [UInt8], input1: Int, input2: Int, output: Int) {
        var c = bf_qs8_add_lut_params()
        c.count = Int64(p.count); c.act_min = p.actMin; c.act_max = p.actMax
        let packed = PackedParams(c, bytes: 2048) { params, buffer in
            tables.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: 2048) }
            params.pointee.tables = UnsafePointer(buffer.assumingMemoryBound(to: UInt8.self))
        }
        self.packed = packed
        self.input1 = input1; self.input2 = input2; self.output = output
    }

    /// The 8 x 256 byte tables, or nil when the decomposition does not reproduce the reference
    /// on every input pair.
    static func tables(_ p: AddQS8Params) -> [UInt8]? {
        let mo = Int64(p.outputMultiplier.significand), so = p.outputMultiplier.shift
        guard so <= 0, -so <= 31, mo > 0 else { return nil }
        let r = Int64(-so), S = 31 + r
        let k: Int64 = (1 << 30) + (r > 0 ? (1 << (30 + r)) : 0)
        let one: Int64 = 1 << S
        func rescale(_ v: Int, _ offset: Int32, _ m: QuantizedMultiplier) -> Int64 {
            let x = (Int32(Int8(truncatingIfNeeded: v)) &+ offset) &* (1 << p.leftShift)
            return Int64(multiplyByQuantizedMultiplier(x, m.significand, m.shift))
        }
        var pi = [Int64](repeating: 0, count: 256), fa = pi, qi = pi, gb = pi
        for v in 0..<256 {
            let na = rescale(v, p.input1Offset, p.input1Multiplier) * mo
            let nb = rescale(v, p.input2Offset, p.input2Multiplier) * mo + k
            pi[v] = na >> S; fa[v] = na - (pi[v] << S)
            qi[v] = nb >> S; gb[v] = one - (nb - (qi[v] << S))
            qi[v] += Int64(p.outputOffset)
        }
        // Dense ranks of the union: fa >= gb exactly when rank(fa) >= rank(gb).
        let sorted = Array(Set(fa + gb)).sorted()
        var rank: [Int64: Int] = [:]
        for (i, v) in sorted.enumerated() { rank[v] = i }
        func clamp16(_ v: Int64) -> Int16 { Int16(max(-16000, min(16000, v))) }
        let P = pi.map(clamp16), Q = qi.map(clamp16)
        let Ra = fa.map { Int16(rank[$0]!) }, Rb = gb.map { Int16(rank[$0]!) }
        // Check every pair against the reference.
        for av in 0..<256 {
            for bv in 0..<256 {
                var y = Int32(P[av]) + Int32(Q[bv]) + (Ra[av] >= Rb[bv] ? 1 : 0)
                y = min(max(y, -128), 127)
                y = min(max(y, p.actMin), p.actMax)
                if Int8(y) != p.apply(Int8(truncatingIfNeeded: av), Int8(truncatingIfNeeded: bv)) { return nil }
            }
        }
        var t = [UInt8](repeating: 0, count: 2048)
        for v in 0..<256 {
            for (j, table) in [P, Ra, Q, Rb].enumerated() {
                let u = UInt16(bitPattern: table[v])
                t[(2 * j) * 256 + v] = UInt8(u & 0xFF)
                t[(2 * j + 1) * 256 + v] = UInt8(u >> 8)
            }
        }
        return t
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_add_lut_avx512vbmi(packed.params, (arena + input1).assumingMemoryBound(to: Int8.self),
                                  (arena + input2).assumingMemoryBound(to: Int8.self), (arena + output).assumingMemoryBound(to: Int8.self))
    }
}
