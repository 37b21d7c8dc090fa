/// RESIZE_BILINEAR int8 reference kernel (TFLite's `reference_ops::ResizeBilinear` for int8): the
/// plain loop, in 10-bit fixed point, on the raw int8 values (input and output share one
/// quantization, so no requantization).
///
/// scale_10 = round(1024 * in / out) (integer, half up), or with align_corners
/// round(1024 * (in - 1) / (out - 1)); output row y samples in_y = y * scale_10, or with
/// half-pixel centres y * scale_10 + scale_10 / 2 - 512 (which may be negative); y0 = max(in_y / 1024, 0)
/// and y1 = min((in_y + 1023) / 1024, H - 1), C division truncating toward zero; the weights are
/// 1024 - (in_y - 1024 y0) and in_y - 1024 y0 per axis (the same for columns); the sum of the four
/// products (20 fractional bits) is rounded half away from zero: (sum ± 2^19) / 2^20, truncating.
struct ResizeBilinearQS8Reference: Kernel {
    var input: NHWC, output: NHWC
    var alignCorners: Bool, halfPixelCenters: Bool
    var inputOffset: Int, outputOffset: Int

    /// The 10-bit fixed-point scale of one axis.
    static func scale10(_ inSize: Int, _ outSize: Int, alignCorners: Bool) -> Int32 {
        if alignCorners && outSize > 1 { return Int32(((1 << 10) * (inSize - 1) + (outSize - 1) / 2) / (outSize - 1)) }
        return Int32(((1 << 10) * inSize + outSize / 2) / outSize)
    }

    /// The sampled position (10 fractional bits) and the lower and upper neighbours of output index `value`.
    static func interpolation(_ value: Int, scale10: Int32, halfPixelCenters: Bool, inputSize: Int) -> (Int32, Int, Int) {
        let v = Int32(value)
        let scaled = halfPixelCenters ? v * scale10 + scale10 / 2 - (1 << 9) : v * scale10
        let lower = max(Int(scaled / (1 << 10)), 0)
        let upper = min(Int((scaled + (1 << 10) - 1) / (1 << 10)), inputSize - 1)
        return (scaled, lower, upper)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + inputOffset).assumingMemoryBound(to: Int8.self))
        let y = (arena + outputOffset).assumingMemoryBound(to: Int8.self)
        let hs = Self.scale10(input.h, output.h, alignCorners: alignCorners)
        let ws = Self.scale10(input.w, output.w, alignCorners: alignCorners)
        let c = input.c
        for b in 0..<output.n {
            for oy in 0..<output.h {
                let (iy, y0, y1) = Self.interpolation(oy, scale10: hs, halfPixelCenters: halfPixelCenters, inputSize: input.h)
                let fy = Int64(iy - (1 << 10) * Int32(y0))
                for ox in 0..<output.w {
                    let (ix, x0, x1) = Self.interpolation(ox, scale10: ws, halfPixelCenters: halfPixelCenters, inputSize: input.w)
                    let fx = Int64(ix - (1 << 10) * Int32(x0))
                    let r00 = ((b * input.h + y0) * input.w + x0) * c, r10 = ((b * input.h + y1) * input.w + x0) * c
                    let r01 = ((b * input.h + y0) * input.w + x1) * c, r11 = ((b * input.h + y1) * input.w + x1) * c
                    let o = ((b * output.h + oy) * output.w + ox) * c
                    for k in 0..<c {
                        let sum = Int64(x[r00 + k]) * ((1 << 10) - fy) * ((1 << 10) - fx)
                            + Int64(x[r10 + k]) * fy * ((1 << 10) - fx)
                            + Int64(x[r01 + k]) * ((1 << 10) - fy) * fx
                            + Int64(x[r11 + k]) * fy * fx
                        let round: Int64 = sum > 0 ? 1 << 19 : -(1 << 19)
                        y[o + k] = Int8(truncatingIfNeeded: (sum + round) / (1 << 20))
                    }
                }
            }
        }
    }
}
