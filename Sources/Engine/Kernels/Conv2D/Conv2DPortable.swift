/// CONV_2D int8 weights packed once per op for ``Conv2DQS8Portable`` (every band of a fused
/// group shares them).
///
/// Inputs and weights are offset by 128 to unsigned bytes, x' = x + 128 and w' = w + 128, and the
/// K = kh * kw * inC taps are taken in pairs, each pair as the two 16-bit halves of a 32-bit word.
/// A 16-lane 16-bit multiply of 8 channels' weight words by one broadcast input word gives 16
/// exact products (x' * w' <= 255 * 255 < 2^16); per 32-bit lane, A sums the words and H their
/// high halves, and A - 65535 * H is the sum of both halves (all modulo 2^32, as the reference's
/// int32 accumulator). sum(x * w) = sum(x' * w') - 128 * sum(x) - 128 * sum(w) - 16384 * K,
/// and with the input zero point folded in, acc = bias - zp_in * sum(w) + sum(x * w) (padded taps
/// read as zp_in), which equals the reference's sum over inside taps of (x - zp_in) * w.
struct ConvQS8Pack: Sendable {
    static let lanes = 8
    let taps: Int, pairs: Int, blocks: Int
    let weights: ConstantBuffer<UInt32>  // [block][pair][lane]: w' of taps 2j, 2j+1 of channel 8 * block + lane, 0 past K
    let bias: ConstantBuffer<Int32>      // [blocks * 8]: bias + (-zp_in - 128) * sum(w) - 16384 * K
    let requantization: Requantization

    init(_ p: ConvQS8Params) {
        let oc = p.output.c, k = p.weights.count / max(1, oc)
        taps = k
        pairs = (k + 1) / 2
        blocks = (oc + Self.lanes - 1) / Self.lanes
        var w = [UInt32](repeating: 0, count: blocks * pairs * Self.lanes)
        var b = [Int32](repeating: 0, count: blocks * Self.lanes)
        for c in 0..<oc {
            let filter = p.weights[(c * k)..<(c * k + k)]
            let sum = filter.reduce(0) { $0 &+ Int32($1) }
            b[c] = p.bias[c] &+ (p.inputOffset &- 128) &* sum &- 16384 &* Int32(truncatingIfNeeded: k)
            for j in 0..<pairs {
                let hi = 2 * j + 1 < k ? offsetBinary(filter[c * k + 2 * j + 1]) : 0
                w[((c / Self.lanes) * pairs + j) * Self.lanes + c % Self.lanes] = offsetBinary(filter[c * k + 2 * j]) | hi << 16
            }
        }
        weights = ConstantBuffer(w)
        bias = ConstantBuffer(b)
        requantization = Requantization(p)
    }
}

/// x + 128 as an unsigned value.
@inline(__always)
func offsetBinary(_ x: Int8) -> UInt32 { UInt32(UInt8(bitPattern: x) ^ 0x80) }

/// CONV_2D int8 in portable Swift (any kernel size, stride and padding; dilation 1, batch 1),
/// bit-exact with ``Conv2DQS8Reference``. Two output pixels at a time: their taps (the pixel
/// itself for 1x1 stride-1 unpadded convolutions, else the window gathered with zp_in in the
/// padding) become pair words, then 8 output channels at a time accumulate in 32-bit lanes (see
/// ``ConvQS8Pack``) and are requantized exactly.
struct Conv2DQS8Portable: Kernel {
    let pack: ConvQS8Pack
    let input: NHWC, output: NHWC, window: Window
    let fill: Int8              // zp_in
    let pointwise: Bool
    let inputOffsetInArena: Int, outputOffsetInArena: Int

    /// nil when the geometry is outside this kernel (dilation or batch > 1).
    static func make(_ p: ConvQS8Params, pack: ConvQS8Pack, input: Int, output: Int) -> Conv2DQS8Portable? {
        let win = p.window
        guard win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1,
              pack.taps == win.filterH * win.filterW * p.input.c else { return nil }
        let pointwise = win.filterH == 1 && win.filterW == 1 && win.strideH == 1 && win.strideW == 1
            && win.padTop == 0 && win.padLeft == 0 && p.input.h == p.output.h && p.input.w == p.output.w
        return Conv2DQS8Portable(pack: pack, input: p.input, output: p.output, window: win,
                                  fill: Int8(truncatingIfNeeded: -p.inputOffset), pointwise: pointwise,
                                  inputOffsetInArena: input, outputOffsetInArena: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + inputOffsetInArena).assumingMemoryBound(to: Int8.self))
        let y = (arena + outputOffsetInArena).assumingMemoryBound(to: Int8.self)
        let pairs = pack.pairs, oc = output.c, count = output.h * output.w
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: pack.taps) { patchBuffer in
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * pairs) { wordBuffer in
            guard let patch = patchBuffer.baseAddress, let words = wordBuffer.baseAddress else { return }
            for i in stride(from: 0, to: count, by: 2) {
                let s0 = load(i, x, patch, into: words)
                if i + 1 < count {
                    let s1 = load(i + 1, x, patch, into: words + pairs)
                    accumulate(words, words + pairs, s0, s1, y + i * oc, y + (i + 1) * oc)
                } else {
                    accumulate(words, words, s0, s0, y + i * oc, nil)
                }
            }
        }}
    }

    /// The pair words of output pixel i's taps; returns 128 * their sum.
    @inline(__always)
    private func load(_ i: Int, _ x: UnsafePointer<Int8>, _ patch: UnsafeMutablePointer<Int8>, into words: UnsafeMutablePointer<UInt32>) -> Int32 {
        let src: UnsafePointer<Int8>
        if pointwise {
            src = x + i * input.c
        } else {
            gather(x, i / output.w, i % output.w, into: patch)
            src = UnsafePointer(patch)
        }
        let k = pack.taps
        var sum: Int32 = 0
        for j in 0..<(k / 2) {
            let a = src[2 * j], b = src[2 * j + 1]
            sum &+= Int32(a) &+ Int32(b)
            words[j] = offsetBinary(a) | offsetBinary(b) << 16
        }
        if k % 2 == 1 {
            sum &+= Int32(src[k - 1])
            words[k / 2] = offsetBinary(src[k - 1])
        }
        return sum &* 128
    }

    /// The kh x kw x inC window of output pixel (oy, ox), zp_in outside the input.
    @inline(__always)
    private func gather(_ x: UnsafePointer<Int8>, _ oy: Int, _ ox: Int, into patch: UnsafeMutablePointer<Int8>) {
        let ic = input.c, row = window.filterW * ic
        let y0 = oy * window.strideH - window.padTop, x0 = ox * window.strideW - window.padLeft
        let kx0 = min(max(0, -x0), window.filterW), kx1 = max(kx0, min(window.filterW, input.w - x0))
        var dst = patch
        for ky in 0..<window.filterH {
            let yy = y0 + ky
            if yy < 0 || yy >= input.h || kx0 == kx1 {
                dst.update(repeating: fill, count: row)
            } else {
                dst.update(repeating: fill, count: kx0 * ic)
                (dst + kx0 * ic).update(from: x + (yy * input.w + x0 + kx0) * ic, count: (kx1 - kx0) * ic)
                (dst + kx1 * ic).update(repeating: fill, count: (window.filterW - kx1) * ic)
            }
            dst += row
        }
    }

    /// All output channels of two pixels (`out1` nil: one pixel) from their pair words and
    /// 128 * their input sums.
    @inline(__always)
    private func accumulate(_ words0: UnsafePointer<UInt32>, _ words1: UnsafePointer<UInt32>, _ s0: Int32, _ s1: Int32,
                            _ out0: UnsafeMutablePointer<Int8>, _ out1: UnsafeMutablePointer<Int8>?) {
        let lanes = ConvQS8Pack.lanes, pairs = pack.pairs, oc = output.c
        @inline(__always) func products(_ w: SIMD16<UInt16>, _ word: UInt32) -> SIMD8<UInt32> {
            unsafeBitCast(w &* unsafeBitCast(SIMD8<UInt32>(repeating: word), to: SIMD16<UInt16>.self), to: SIMD8<UInt32>.self)
        }
        for b in 0..<pack.blocks {
            let c0 = b * lanes
            var a0 = SIMD8<UInt32>(), h0 = a0, a1 = a0, h1 = a0
            let w = UnsafeRawPointer(pack.weights.pointer + b * pairs * lanes)
            for j in 0..<pairs {
                let wv = unsafeBitCast(w.loadUnaligned(fromByteOffset: 4 * lanes * j, as: SIMD8<UInt32>.self), to: SIMD16<UInt16>.self)
                let p0 = products(wv, words0[j]), p1 = products(wv, words1[j])
                a0 &+= p0; h0 &+= p0 &>> 16
                a1 &+= p1; h1 &+= p1 &>> 16
            }
            let bias = UnsafeRawPointer(pack.bias.pointer + c0).loadUnaligned(as: SIMD8<Int32>.self)
            let n = min(lanes, oc - c0)
            pack.requantization.store(bias &+ SIMD8<Int32>(truncatingIfNeeded: a0 &- (h0 &<< 16) &+ h0) &- s0, channel: c0, count: n, to: out0 + c0)
            if let out1 {
                pack.requantization.store(bias &+ SIMD8<Int32>(truncatingIfNeeded: a1 &- (h1 &<< 16) &+ h1) &- s1, channel: c0, count: n, to: out1 + c0)
            }
        }
    }
}

/// CONV_2D float32 (any kernel size, stride and padding; dilation 1, batch 1). Weights packed
/// at prepare as [kh][kw][ic][oc]; per output pixel, every input value inside the window is
/// multiplied into all output channels at once. (Explicit SIMD16<Float> accumulators were twice
/// as slow on baseline x86-64.)
struct Conv2DF32Portable: Kernel {
    let weights: ConstantBuffer<Float>   // [kh * kw * ic][oc]
    let bias: ConstantBuffer<Float>
    let input: NHWC, output: NHWC, window: Window
    let actMin: Float, actMax: Float
    let inputOffsetInArena: Int, outputOffsetInArena: Int

    /// Packs `p.weights` ([oc][kh][kw][ic]) for ``make(_:pack:input:output:)``.
    static func pack(_ p: ConvF32Params) -> ConstantBuffer<Float> {
        let oc = p.output.c, taps = p.window.filterH * p.window.filterW * p.input.c
        var packed = [Float](repeating: 0, count: taps * oc)
        for o in 0..<oc { for t in 0..<taps { packed[t * oc + o] = p.weights[o * taps + t] } }
        return ConstantBuffer(packed)
    }

    /// nil when the op is outside this kernel (dilation or batch > 1, or weights of another size).
    static func make(_ p: ConvF32Params, pack: @autoclosure () -> ConstantBuffer<Float>, input: Int, output: Int) -> Conv2DF32Portable? {
        let win = p.window
        guard win.dilationH == 1, win.dilationW == 1, p.input.n == 1, p.output.n == 1,
              p.weights.count == p.output.c * win.filterH * win.filterW * p.input.c, p.bias.count == p.output.c else { return nil }
        return Conv2DF32Portable(weights: pack(), bias: ConstantBuffer(p.bias), input: p.input, output: p.output, window: win,
                                   actMin: p.actMin, actMax: p.actMax, inputOffsetInArena: input, outputOffsetInArena: output)
    }

    func eval(arena: UnsafeMutableRawPointer) {
        let x = UnsafePointer((arena + inputOffsetInArena).assumingMemoryBound(to: Float.self))
        let y = (arena + outputOffsetInArena).assumingMemoryBound(to: Float.self)
        let ic = input.c, oc = output.c, win = window, w = weights.pointer
        window.forEachOutput(input, output) { pixel, origin, ky, kx in
            let acc = y + pixel * oc
            acc.update(repeating: 0, count: oc)
            for ty in ky {
                for tx in kx {
                    let xp = x + (origin + ty * input.w + tx) * ic, wp = w + (ty * win.filterW + tx) * ic * oc
                    for i in 0..<ic {
                        let v = xp[i], row = wp + i * oc
                        for o in 0..<oc { acc[o] += v * row[o] }
                    }
                }
            }
            for o in 0..<oc { acc[o] = min(max(acc[o] + bias.pointer[o], actMin), actMax) }
        }
    }
}
