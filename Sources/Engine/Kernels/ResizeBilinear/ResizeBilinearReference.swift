/// RESIZE_BILINEAR float32 reference kernel (TFLite's `reference_ops::ResizeBilinear`).
///
/// For output row y: in_y = (y + 0.5) * scale - 0.5 with half-pixel centres, else y * scale;
/// y0 = max(floor(in_y), 0), y1 = min(ceil(in_y), H - 1); columns likewise; the four neighbours
/// are weighted by (in_y - y0) and (in_x - x0). scale = in / out, or (in - 1) / (out - 1) with
/// align_corners.
struct ResizeBilinearF32Reference: Kernel {
    var input: NHWC, output: NHWC
    var alignCorners: Bool, halfPixelCenters: Bool
    var inputOffset: Int, outputOffset: Int

    static func scale(_ inSize: Int, _ outSize: Int, alignCorners: Bool) -> Float {
        alignCorners && outSize > 1 ? Float(inSize - 1) / Float(outSize - 1) : Float(inSize) / Float(outSize)
    }

    static func interpolation(_ value: Int, scale: Float, halfPixelCenters: Bool, inputSize: Int) -> (Float, Int, Int) {
        let scaled = halfPixelCenters ? (Float(value) + 0.5) * scale - 0.5 : Float(value) * scale
        let lower = max(Int(scaled.rounded(.down)), 0)
        let upper = min(Int(scaled.rounded(.up)), inputSize - 1)
        return (scaled, lower, upper)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        let x = (arena + inputOffset).assumingMemoryBound(to: Float.self)
        let y = (arena + outputOffset).assumingMemoryBound(to: Float.self)
        let hs = Self.scale(input.h, output.h, alignCorners: alignCorners)
        let ws = Self.scale(input.w, output.w, alignCorners: alignCorners)
        let c = input.c
        for b in 0..<output.n {
            for oy in 0..<output.h {
                let (iy, y0, y1) = Self.interpolation(oy, scale: hs, halfPixelCenters: halfPixelCenters, inputSize: input.h)
                let dy = iy - Float(y0)
                for ox in 0..<output.w {
                    let (ix, x0, x1) = Self.interpolation(ox, scale: ws, halfPixelCenters: halfPixelCenters, inputSize: input.w)
                    let dx = ix - Float(x0)
                    let r00 = ((b * input.h + y0) * input.w + x0) * c, r10 = ((b * input.h + y1) * input.w + x0) * c
                    let r01 = ((b * input.h + y0) * input.w + x1) * c, r11 = ((b * input.h + y1) * input.w + x1) * c
                    let o = ((b * output.h + oy) * output.w + ox) * c
                    for k in 0..<c {
                        y[o + k] = x[r00 + k] * (1 - dy) * (1 - dx) + x[r10 + k] * dy * (1 - dx)
                            + x[r01 + k] * (1 - dy) * dx + x[r11 + k] * dy * dx
                    }
                }
            }
        }
    }
}
