/// RESIZE_BILINEAR int8 in portable Swift, bit-exact with ``ResizeBilinearQS8Reference``: the
/// neighbours and 10-bit weights of every output row and column computed once at bind time, then
/// four products per value in 32-bit arithmetic (each axis's weights sum to 1024 and are at most
/// 2048 in magnitude together, so |sum| <= 128 * 2048 * 2048 = 2^29), eight channels at a time.
struct ResizeBilinearQS8Portable: Kernel {
    struct Tap: Sendable { var lower: Int, upper: Int, weightLower: Int32, weightUpper: Int32 }
    let input: NHWC, output: NHWC
    let rows: [Tap], columns: [Tap]
    let inputOffset: Int, outputOffset: Int

    init(input: NHWC, output: NHWC, alignCorners: Bool, halfPixelCenters: Bool, inputOffset: Int, outputOffset: Int) {
        func taps(_ outSize: Int, _ inSize: Int) -> [Tap] {
            let s = ResizeBilinearQS8Reference.scale10(inSize, outSize, alignCorners: alignCorners)
            return (0..<outSize).map { v in
                let (scaled, lo, hi) = ResizeBilinearQS8Reference.interpolation(v, scale10: s, halfPixelCenters: halfPixelCenters, inputSize: inSize)
                let f = scaled - (1 << 10) * Int32(lo)
                return Tap(lower: lo, upper: hi, weightLower: (1 << 10) - f, weightUpper: f)
            }
        }
        self.input = input
        self.output = output
        rows = taps(output.h, input.h)
        columns = taps(output.w, input.w)
        self.inputOffset = inputOffset
        self.outputOffset = outputOffset
    }

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafeRawPointer(arena + inputOffset)
        let y = arena + outputOffset
        let c = input.c
        let half = SIMD8<Int32>(repeating: 1 << 19), zero = SIMD8<Int32>(repeating: 0)
        rows.withUnsafeBufferPointer { rows in
            columns.withUnsafeBufferPointer { columns in
                for b in 0..<output.n {
                    for oy in 0..<output.h {
                        let r = rows[oy]
                        let line0 = (b * input.h + r.lower) * input.w, line1 = (b * input.h + r.upper) * input.w
                        for ox in 0..<output.w {
                            let t = columns[ox]
                            let w00 = r.weightLower * t.weightLower, w10 = r.weightUpper * t.weightLower
                            let w01 = r.weightLower * t.weightUpper, w11 = r.weightUpper * t.weightUpper
                            let p00 = (line0 + t.lower) * c, p10 = (line1 + t.lower) * c
                            let p01 = (line0 + t.upper) * c, p11 = (line1 + t.upper) * c
                            let o = ((b * output.h + oy) * output.w + ox) * c
                            var k = 0
                            while k + 8 <= c {
                                func load(_ p: Int) -> SIMD8<Int32> {
                                    SIMD8<Int32>(truncatingIfNeeded: x.loadUnaligned(fromByteOffset: p + k, as: SIMD8<Int8>.self))
                                }
                                let sum = load(p00) &* w00 &+ load(p10) &* w10 &+ load(p01) &* w01 &+ load(p11) &* w11
                                // (sum ± 2^19) / 2^20 truncating toward zero: shift the magnitude.
                                let negative = sum .<= zero
                                let magnitude = (sum.replacing(with: 0 &- sum, where: negative) &+ half) &>> 20
                                let v = magnitude.replacing(with: 0 &- magnitude, where: negative)
                                (y + o + k).storeBytes(of: SIMD8<Int8>(truncatingIfNeeded: v), as: SIMD8<Int8>.self)
                                k += 8
                            }
                            let x8 = x.assumingMemoryBound(to: Int8.self)
                            let y8 = y.assumingMemoryBound(to: Int8.self)
                            while k < c {
                                let sum = Int32(x8[p00 + k]) * w00 + Int32(x8[p10 + k]) * w10 + Int32(x8[p01 + k]) * w01 + Int32(x8[p11 + k]) * w11
                                let round: Int32 = sum > 0 ? 1 << 19 : -(1 << 19)
                                y8[o + k] = Int8(truncatingIfNeeded: (sum + round) / (1 << 20))
                                k += 1
                            }
                        }
                    }
                }
            }
        }
    }
}
