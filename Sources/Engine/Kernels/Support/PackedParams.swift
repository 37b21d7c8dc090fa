import CKernels

/// Prepared parameters of a C microkernel and the 64-byte aligned buffer of its packed
/// constants, both immutable after init and freed with the kernel.
final class PackedParams<P>: @unchecked Sendable {
    let params: UnsafeMutablePointer<P>
    let buffer: UnsafeMutableRawPointer?

    init(_ params: P, bytes: Int, pack: (UnsafeMutablePointer<P>, UnsafeMutableRawPointer) -> Void = { _, _ in }) {
        self.params = .allocate(capacity: 1)
        self.params.initialize(to: params)
        if bytes > 0 {
            let b = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            b.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
            pack(self.params, b)
            buffer = b
        } else {
            buffer = nil
        }
    }

    deinit {
        params.deinitialize(count: 1)
        params.deallocate()
        buffer?.deallocate()
    }
}

/// The window fields shared by the C convolution parameters.
protocol CWindowParams {
    init()
    var in_h: Int32 { get set }
    var in_w: Int32 { get set }
    var out_h: Int32 { get set }
    var out_w: Int32 { get set }
    var kh: Int32 { get set }
    var kw: Int32 { get set }
    var stride_h: Int32 { get set }
    var stride_w: Int32 { get set }
    var pad_top: Int32 { get set }
    var pad_left: Int32 { get set }
    /// Sets the channel counts (input, output).
    mutating func setChannels(_ input: Int, _ output: Int)
}

/// The C CONV_2D parameters (input and output channels).
protocol ConvCParams: CWindowParams {
    var in_c: Int32 { get set }
    var out_c: Int32 { get set }
}

/// The C DEPTHWISE_CONV_2D parameters (one channel count).
protocol DepthwiseCParams: CWindowParams {
    var c: Int32 { get set }
}

/// The int8 fields of the C convolution parameters: zero points and the activation clamp.
protocol QS8CParams {
    var zp_in: Int32 { get set }
    var zp_out: Int32 { get set }
    var act_min: Int32 { get set }
    var act_max: Int32 { get set }
}

extension bf_qs8_conv_params: ConvCParams, QS8CParams {}
extension bf_qs8_conv_avx2_params: ConvCParams, QS8CParams {}
extension bf_f32_conv_params: ConvCParams {}
extension bf_qs8_dwconv_params: DepthwiseCParams, QS8CParams {}
extension bf_qs8_dwconv_avx2_params: DepthwiseCParams, QS8CParams {}
extension bf_f32_dwconv_params: DepthwiseCParams {}

extension CWindowParams {
    /// Parameters with the geometry of a convolution from `input` to `output` over `window`.
    init(_ input: NHWC, _ output: NHWC, _ window: Window) {
        self.init()
        (in_h, in_w, out_h, out_w) = (Int32(input.h), Int32(input.w), Int32(output.h), Int32(output.w))
        (kh, kw, stride_h, stride_w) = (Int32(window.filterH), Int32(window.filterW), Int32(window.strideH), Int32(window.strideW))
        (pad_top, pad_left) = (Int32(window.padTop), Int32(window.padLeft))
        setChannels(input.c, output.c)
    }
}

extension ConvCParams {
    mutating func setChannels(_ input: Int, _ output: Int) { (in_c, out_c) = (Int32(input), Int32(output)) }
}

extension DepthwiseCParams {
    mutating func setChannels(_ input: Int, _ output: Int) { c = Int32(input) }
}

extension QS8CParams {
    /// Sets the zero points and clamp of `p`.
    mutating func setQuantization(_ p: ConvQS8Params) {
        (zp_in, zp_out, act_min, act_max) = (-p.inputOffset, p.outputOffset, p.actMin, p.actMax)
    }
}

/// `params` with `p`'s weights and bias packed by `pack` into `size(params)` bytes.
func packF32<P>(_ params: P, _ p: ConvF32Params, size: (UnsafePointer<P>) -> Int,
                pack: (UnsafeMutablePointer<P>, UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutableRawPointer) -> Void) -> PackedParams<P> {
    PackedParams(params, bytes: withUnsafePointer(to: params) { size($0) }) { params, buffer in
        p.weights.withUnsafeBufferPointer { w in p.bias.withUnsafeBufferPointer { b in pack(params, w.baseAddress, b.baseAddress, buffer) } }
    }
}

/// `params` with `p`'s weights, bias, multipliers and shifts packed by `pack` into `size(params)` bytes.
func packQS8<P>(_ params: P, _ p: ConvQS8Params, size: (UnsafePointer<P>) -> Int,
                pack: (UnsafeMutablePointer<P>, UnsafePointer<Int8>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?,
                       UnsafeMutableRawPointer) -> Void) -> PackedParams<P> {
    PackedParams(params, bytes: withUnsafePointer(to: params) { size($0) }) { params, buffer in
        p.withConstants { w, b, m, s in pack(params, w, b, m, s, buffer) }
    }
}

/// A kernel that calls one C microkernel on its packed parameters, input and output.
protocol PackedCKernel: Kernel {
    associatedtype Params
    associatedtype Element
    var packed: PackedParams<Params> { get }
    var input: Int { get }
    var output: Int { get }
    /// The C function.
    static var run: (UnsafePointer<Params>?, UnsafePointer<Element>?, UnsafeMutablePointer<Element>?) -> Void { get }
}

extension PackedCKernel {
    func eval(arena: UnsafeMutableRawPointer) {
        Self.run(packed.params, (arena + input).assumingMemoryBound(to: Element.self), (arena + output).assumingMemoryBound(to: Element.self))
    }
}

/// True for a 1x1, stride 1, unpadded convolution whose output has the input's size.
func isPointwise(_ input: NHWC, _ output: NHWC, _ win: Window) -> Bool {
    win.filterH == 1 && win.filterW == 1 && win.strideH == 1 && win.strideW == 1 && win.padTop == 0 && win.padLeft == 0
        && input.h == output.h && input.w == output.w
}

/// True when the C kernels can take the geometry: no dilation, batch 1.
func plainGeometry(_ input: NHWC, _ output: NHWC, _ win: Window) -> Bool {
    win.dilationH == 1 && win.dilationW == 1 && input.n == 1 && output.n == 1
}
