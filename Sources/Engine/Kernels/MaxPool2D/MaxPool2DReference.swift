/// MAX_POOL_2D reference kernel, int8 or float32: the max over the window clipped to the input
/// (starting from ``PoolElement/referenceStart``), then the fused activation's clamp.
struct MaxPool2DReference<Element: PoolElement>: Kernel {
    var input: NHWC, output: NHWC
    var window: Window
    var actMin: Element, actMax: Element
    var inputOffset: Int, outputOffset: Int

    // Specialized: through `any Kernel` the generic body would compare via witness calls.
    @_specialize(exported: false, where Element == Int8)
    @_specialize(exported: false, where Element == Float)
    func eval(arena: UnsafeMutableRawPointer) {
        let x = (arena + inputOffset).assumingMemoryBound(to: Element.self)
        let y = (arena + outputOffset).assumingMemoryBound(to: Element.self)
        let win = window
        for b in 0..<output.n {
            for oy in 0..<output.h {
                let y0 = oy * win.strideH - win.padTop
                let ky0 = max(0, -y0), ky1 = min(win.filterH, input.h - y0)
                for ox in 0..<output.w {
                    let x0 = ox * win.strideW - win.padLeft
                    let kx0 = max(0, -x0), kx1 = min(win.filterW, input.w - x0)
                    for c in 0..<output.c {
                        var m = Element.referenceStart
                        if ky0 < ky1 && kx0 < kx1 {
                            for ky in ky0..<ky1 {
                                for kx in kx0..<kx1 {
                                    m = max(m, x[((b * input.h + y0 + ky) * input.w + x0 + kx) * input.c + c])
                                }
                            }
                        }
                        y[((b * output.h + oy) * output.w + ox) * output.c + c] = min(max(m, actMin), actMax)
                    }
                }
            }
        }
    }
}

/// MAX_POOL_2D int8 reference kernel.
typealias MaxPool2DQS8Reference = MaxPool2DReference<Int8>
/// MAX_POOL_2D float32 reference kernel.
typealias MaxPool2DF32Reference = MaxPool2DReference<Float>
