/// An immutable buffer of constants, 64-byte aligned, freed with its last kernel.
final class ConstantBuffer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    let count: Int

    init(_ values: [T]) {
        count = values.count
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(1, values.count) * MemoryLayout<T>.stride,
                                                   alignment: max(64, MemoryLayout<T>.alignment))
            .bindMemory(to: T.self, capacity: max(1, values.count))
        pointer.initialize(from: values, count: values.count)
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }
}

/// One output channel's requantization, TFLite's `MultiplyByQuantizedMultiplier(acc, m, shift)`
/// folded into one 64-bit product and one floor shift. With x = acc << max(shift, 0) (wrapping, as
/// the reference) and P = x * m:
/// - SaturatingRoundingDoublingHighMul(x, m) = floor((P + 2^30) / 2^31) for either sign of P
///   (the reference's truncation of (P + 1 - 2^30) / 2^31 is that floor when P < 0; m >= 0, so the
///   saturating case never occurs);
/// - RoundingDivideByPOT(h, r) = floor((h + 2^(r-1) - [h < 0]) / 2^r) for r > 0, and the two floors
///   combine: y = floor((P + 2^30 + 2^(30+r) - [P < 0] * 2^31) / 2^(31+r)) ([P < 0] may replace
///   [h < 0]: they differ only where both forms give 0). For r = 0, y = floor((P + 2^30) / 2^31).
struct ChannelRequant: Sendable {
    var leftScale: Int32    // 1 << max(shift, 0)
    var multiplier: Int64
    var rounding: Int64     // 2^30 + (r > 0 ? 2^(30+r) : 0)
    var negative: Int64     // r > 0 ? 2^31 : 0
    var rightShift: Int64   // 31 + r

    init(multiplier m: Int32, shift: Int32) {
        let r = Int64(max(0, -shift))
        leftScale = 1 << max(0, shift)
        multiplier = Int64(m)
        rounding = (1 << 30) + (r > 0 ? 1 << (30 + r) : 0)
        negative = r > 0 ? 1 << 31 : 0
        rightShift = 31 + r
    }

    /// `multiplyByQuantizedMultiplier(acc, m, shift)`.
    @inline(__always)
    func apply(_ acc: Int32) -> Int32 {
        let p = Int64(acc &* leftScale) &* multiplier
        return Int32(truncatingIfNeeded: (p &+ rounding &- (p < 0 ? negative : 0)) &>> rightShift)
    }
}

/// Per-channel requantization constants with the output zero point and activation clamp.
struct Requantization: Sendable {
    let channels: ConstantBuffer<ChannelRequant>
    let outputOffset: Int32, actMin: Int32, actMax: Int32

    init(_ p: ConvQS8Params) {
        channels = ConstantBuffer(zip(p.multipliers, p.shifts).map { ChannelRequant(multiplier: $0, shift: $1) })
        (outputOffset, actMin, actMax) = (p.outputOffset, p.actMin, p.actMax)
    }

    /// Output channel `c` of accumulator `acc`.
    @inline(__always)
    func callAsFunction(_ acc: Int32, channel c: Int) -> Int8 {
        Int8(truncatingIfNeeded: min(max(channels.pointer[c].apply(acc) &+ outputOffset, actMin), actMax))
    }

    /// Lanes 0..<count of `acc`, output channels c0..<c0 + count, to out[0..<count].
    @inline(__always)
    func store(_ acc: SIMD8<Int32>, channel c0: Int, count: Int, to out: UnsafeMutablePointer<Int8>) {
        for l in 0..<count { out[l] = self(acc[l], channel: c0 + l) }
    }
}

/// A value made on first use while the model is prepared (one thread), then shared: packed
/// weights that the C kernels may make unnecessary, and that every band of a fused group reuses.
final class PrepareOnce<T>: @unchecked Sendable {
    private var value: T?
    private let make: () -> T

    init(_ make: @escaping () -> T) { self.make = make }

    var get: T {
        if let value { return value }
        let v = make()
        value = v
        return v
    }
}

extension Window {
    /// For each output pixel in order (batch 1): its index, the input pixel index of its window's
    /// top-left tap (which may lie outside the input), and the window's rows and columns inside
    /// the input.
    @inline(__always)
    func forEachOutput(_ input: NHWC, _ output: NHWC, _ body: (_ pixel: Int, _ origin: Int, _ ky: Range<Int>, _ kx: Range<Int>) -> Void) {
        for oy in 0..<output.h {
            let y0 = oy * strideH - padTop, ky0 = max(0, -y0)
            let ky = ky0..<max(ky0, min(filterH, input.h - y0))
            for ox in 0..<output.w {
                let x0 = ox * strideW - padLeft, kx0 = max(0, -x0)
                body(oy * output.w + ox, y0 * input.w + x0, ky, kx0..<max(kx0, min(filterW, input.w - x0)))
            }
        }
    }
}

func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
