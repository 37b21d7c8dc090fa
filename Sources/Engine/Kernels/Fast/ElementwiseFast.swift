import CKernels

// Fast versions of the cheap ops (AVX-512 F/BW/VL/DQ), bit-exact with their references:
// ADD int8, QUANTIZE float32 -> int8, DEQUANTIZE, MAX_POOL_2D (int8 and float32), PAD.

/// ADD int8, `bf_qs8_add_avx512`: the reference's three rescales, 16 lanes at a time.
struct AddInt8Fast: Kernel {
    let packed: PackedParams<bf_qs8_add_params>
    let input1: Int, input2: Int, output: Int

    static func make(_ p: AddInt8Params, input1: Int, input2: Int, output: Int) -> AddInt8Fast? {
        guard CPUFeatures.current.contains(.avx512), p.leftShift == 20,
              p.input1Multiplier.shift <= 0, p.input2Multiplier.shift <= 0, p.outputMultiplier.shift <= 0 else { return nil }
        var a = bf_qs8_add_params()
        bf_qs8_add_init(&a, Int64(p.count), -p.input1Offset, p.input1Multiplier.significand, p.input1Multiplier.shift,
                        -p.input2Offset, p.input2Multiplier.significand, p.input2Multiplier.shift,
                        p.outputOffset, p.outputMultiplier.significand, p.outputMultiplier.shift, p.actMin, p.actMax)
        return AddInt8Fast(packed: PackedParams(a, bytes: 0), input1: input1, input2: input2, output: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_add_avx512(packed.params, (arena + input1).assumingMemoryBound(to: Int8.self),
                          (arena + input2).assumingMemoryBound(to: Int8.self), (arena + output).assumingMemoryBound(to: Int8.self))
    }
}

/// QUANTIZE float32 -> int8, `bf_qs8_quantize_avx512` (float32 division, round half away).
struct QuantizeFloatToInt8Fast: Kernel {
    var input: Int, output: Int, count: Int
    var scale: Float, zeroPoint: Int32

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_quantize_avx512((arena + input).assumingMemoryBound(to: Float.self), Int64(count), scale, zeroPoint,
                               (arena + output).assumingMemoryBound(to: Int8.self))
    }
}

/// DEQUANTIZE int8 -> float32 in double, as the reference.
struct DequantizeInt8Fast: Kernel {
    var input: Int, output: Int, count: Int
    var scale: Double, zeroPoint: Int32

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_dequantize_avx512((arena + input).assumingMemoryBound(to: Int8.self), Int64(count), scale, zeroPoint,
                                 (arena + output).assumingMemoryBound(to: Float.self))
    }
}

/// MAX_POOL_2D, int8 or float32, 64 bytes of channels per load.
struct MaxPool2DFast: Kernel {
    var inShape: (Int32, Int32, Int32, Int32), outShape: (Int32, Int32, Int32, Int32)
    var window: Window
    var isFloat: Bool
    var minInt8: Int32, maxInt8: Int32
    var minFloat: Float, maxFloat: Float
    var input: Int, output: Int

    init(input: NHWC, output: NHWC, window: Window, isFloat: Bool, minInt8: Int32 = -128, maxInt8: Int32 = 127,
         minFloat: Float = 0, maxFloat: Float = 0, inputOffset: Int, outputOffset: Int) {
        inShape = (Int32(input.n), Int32(input.h), Int32(input.w), Int32(input.c))
        outShape = (Int32(output.n), Int32(output.h), Int32(output.w), Int32(output.c))
        self.window = window
        self.isFloat = isFloat
        self.minInt8 = minInt8; self.maxInt8 = maxInt8
        self.minFloat = minFloat; self.maxFloat = maxFloat
        self.input = inputOffset; self.output = outputOffset
    }

    func eval(arena: UnsafeMutableRawPointer) {
        var i = inShape, o = outShape
        let w = window
        withUnsafePointer(to: &i) { ip in
        withUnsafePointer(to: &o) { op in
            let ip = UnsafeRawPointer(ip).assumingMemoryBound(to: Int32.self)
            let op = UnsafeRawPointer(op).assumingMemoryBound(to: Int32.self)
            if isFloat {
                bf_f32_maxpool_avx512(ip, op, Int32(w.filterH), Int32(w.filterW), Int32(w.strideH), Int32(w.strideW),
                                      Int32(w.padTop), Int32(w.padLeft), minFloat, maxFloat,
                                      (arena + input).assumingMemoryBound(to: Float.self), (arena + output).assumingMemoryBound(to: Float.self))
            } else {
                bf_qs8_maxpool_avx512(ip, op, Int32(w.filterH), Int32(w.filterW), Int32(w.strideH), Int32(w.strideW),
                                      Int32(w.padTop), Int32(w.padLeft), minInt8, maxInt8,
                                      (arena + input).assumingMemoryBound(to: Int8.self), (arena + output).assumingMemoryBound(to: Int8.self))
            }
        }}
    }
}

/// PAD of NHWC tensors, any element size.
struct PadFast: Kernel {
    var inShape: (Int32, Int32, Int32, Int32), outShape: (Int32, Int32, Int32, Int32), before: (Int32, Int32, Int32, Int32)
    var elementSize: Int32
    var fill: (UInt8, UInt8, UInt8, UInt8)
    var input: Int, output: Int

    init(input: NHWC, output: NHWC, before: NHWC, elementSize: Int, fill: [UInt8], inputOffset: Int, outputOffset: Int) {
        inShape = (Int32(input.n), Int32(input.h), Int32(input.w), Int32(input.c))
        outShape = (Int32(output.n), Int32(output.h), Int32(output.w), Int32(output.c))
        self.before = (Int32(before.n), Int32(before.h), Int32(before.w), Int32(before.c))
        self.elementSize = Int32(elementSize)
        let f = fill + [0, 0, 0, 0]
        self.fill = (f[0], f[1], f[2], f[3])
        self.input = inputOffset; self.output = outputOffset
    }

    func eval(arena: UnsafeMutableRawPointer) {
        var i = inShape, o = outShape, b = before, f = fill
        withUnsafePointer(to: &i) { ip in
        withUnsafePointer(to: &o) { op in
        withUnsafePointer(to: &b) { bp in
        withUnsafePointer(to: &f) { fp in
            bf_pad_nhwc(UnsafeRawPointer(ip).assumingMemoryBound(to: Int32.self), UnsafeRawPointer(op).assumingMemoryBound(to: Int32.self),
                        UnsafeRawPointer(bp).assumingMemoryBound(to: Int32.self), elementSize,
                        UnsafeRawPointer(fp).assumingMemoryBound(to: UInt8.self), arena + input, arena + output)
        }}}}
    }
}

/// ADD int8 by exact table decomposition, `bf_qs8_add_lut_avx512vbmi` (see CKernels.h): the
/// output is Pi[a] + Qi[b] + [Ra[a] >= Rb[b]], clamped. The tables are derived from the
/// reference's fixed-point values and then checked against ``AddInt8Params/apply`` on all
/// 65,536 input pairs; `make` returns nil if any pair differs (the sign nudge of the output
/// rounding is not modelled), and the engine uses ``AddInt8Fast`` instead.
struct AddInt8LutFast: Kernel {
    let packed: PackedParams<bf_qs8_add_lut_params>
    let input1: Int, input2: Int, output: Int

    static func make(_ p: AddInt8Params, input1: Int, input2: Int, output: Int) -> AddInt8LutFast? {
        guard CPUFeatures.current.contains(.avx512vbmi), let tables = tables(p) else { return nil }
        return AddInt8LutFast(p, tables: tables, input1: input1, input2: input2, output: output)
    }

    /// With tables already made by ``tables(_:)`` for the same scales (any `p.count`).
    init(_ p: AddInt8Params, tables: [UInt8], input1: Int, input2: Int, output: Int) {
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
    static func tables(_ p: AddInt8Params) -> [UInt8]? {
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
