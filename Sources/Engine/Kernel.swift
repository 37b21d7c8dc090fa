/// A prepared operator: everything it needs (shapes, multipliers, constants, arena offsets) was
/// computed and validated at prepare time, so `eval` is a plain loop that allocates nothing.
///
/// Kernels read and write tensors at fixed byte offsets in the interpreter's arena. The arena is
/// 64-byte aligned and each offset was placed by the ``MemoryPlanner`` with the tensor's full byte
/// size, which is what makes the unchecked pointer arithmetic inside `eval` safe.
public protocol Kernel: Sendable {
    /// Runs the operator once.
    func eval(arena: UnsafeMutableRawPointer)
}

/// NHWC dimensions of a rank-4 (or lower, left-padded with 1) tensor shape.
struct NHWC: Sendable, Hashable {
    var n: Int, h: Int, w: Int, c: Int

    init(_ shape: [Int]) {
        let s = Array(repeating: 1, count: max(0, 4 - shape.count)) + shape.suffix(4)
        n = s[0]; h = s[1]; w = s[2]; c = s[3]
    }

    var count: Int { n * h * w * c }
}

/// Window geometry shared by convolutions and pools: the output size the padding scheme gives,
/// and the padding before the first row/column (TFLite's `ComputePaddingHeightWidth`: total
/// padding max((out - 1) * stride + effective_filter - in, 0), floor(total / 2) of it before).
struct Window: Sendable, Hashable {
    var strideH: Int, strideW: Int
    var dilationH: Int, dilationW: Int
    var filterH: Int, filterW: Int
    var padTop: Int, padLeft: Int
    var outH: Int, outW: Int

    static func outputSize(_ padding: PaddingKind, input: Int, filter: Int, stride: Int, dilation: Int) -> Int {
        let effective = (filter - 1) * dilation + 1
        switch padding {
        case .same: return (input + stride - 1) / stride
        case .valid: return (input - effective + stride) / stride
        }
    }

    init(padding: PaddingKind, inH: Int, inW: Int, filterH: Int, filterW: Int,
         strideH: Int, strideW: Int, dilationH: Int = 1, dilationW: Int = 1) {
        self.strideH = strideH; self.strideW = strideW
        self.dilationH = dilationH; self.dilationW = dilationW
        self.filterH = filterH; self.filterW = filterW
        outH = Window.outputSize(padding, input: inH, filter: filterH, stride: strideH, dilation: dilationH)
        outW = Window.outputSize(padding, input: inW, filter: filterW, stride: strideW, dilation: dilationW)
        let totalH = max((outH - 1) * strideH + (filterH - 1) * dilationH + 1 - inH, 0)
        let totalW = max((outW - 1) * strideW + (filterW - 1) * dilationW + 1 - inW, 0)
        padTop = totalH / 2
        padLeft = totalW / 2
    }
}

/// Padding schemes the engine supports.
enum PaddingKind: Sendable, Hashable { case same, valid }
