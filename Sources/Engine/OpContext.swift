import TFLite

/// An op that maps pixel i of its inputs to pixel i of its output (1x1 stride-1 CONV_2D, ADD,
/// channel-only PAD, RELU), so that it can run on any run of consecutive pixels: `make(n, offsets)`
/// builds its kernel for `n` pixels whose operands start at the given arena offsets (inputs in
/// the op's order, then the output).
struct Pointwise: @unchecked Sendable {
    var pixels: Int
    var inputChannels: Int, outputChannels: Int
    var elementSize: Int
    var make: (_ pixels: Int, _ offsets: [Int]) -> any Kernel
}

/// The prepare step of one operator: validation helpers and one method per supported op.
struct OpContext {
    let index: Int
    let code: BuiltinOperator
    let op: Operator
    let builder: KernelBuilder

    func fail(_ message: String) -> EngineError {
        EngineError(opIndex: index, opName: code.description, message)
    }

    var tensors: [TensorInfo] { builder.tensors }

    // MARK: Operand helpers

    func input(_ k: Int, optional: Bool = false) throws -> TensorInfo? {
        guard k < op.inputs.count, op.inputs[k] >= 0 else {
            if optional { return nil }
            throw fail("missing input \(k) (has \(op.inputs.count) inputs)")
        }
        return tensors[op.inputs[k]]
    }

    func requiredInput(_ k: Int) throws -> TensorInfo {
        guard let t = try input(k) else { throw fail("missing input \(k)") }
        return t
    }

    func output(_ k: Int = 0) throws -> TensorInfo {
        guard k < op.outputs.count else { throw fail("missing output \(k) (has \(op.outputs.count) outputs)") }
        return tensors[op.outputs[k]]
    }

    func expectCounts(inputs: ClosedRange<Int>, outputs: Int = 1) throws {
        guard inputs.contains(op.inputs.count) else {
            throw fail("expects \(inputs.lowerBound == inputs.upperBound ? "\(inputs.lowerBound)" : "\(inputs.lowerBound)-\(inputs.upperBound)") inputs, has \(op.inputs.count)")
        }
        guard op.outputs.count == outputs else { throw fail("expects \(outputs) output(s), has \(op.outputs.count)") }
    }

    func expectActivation(_ t: TensorInfo, role: String) throws {
        if builder.isConstant(t.index) { throw fail("\(role) tensor \(t.index) '\(t.name)' is a constant; only computed tensors are supported there") }
    }

    func expectType(_ t: TensorInfo, _ types: [TensorType], role: String) throws {
        guard types.contains(t.type) else {
            throw fail("\(role) tensor \(t.index) '\(t.name)' has type \(t.type); supported: \(types.map(\.description).joined(separator: ", "))")
        }
    }

    /// Per-tensor scale and zero point of an int8 tensor, validated.
    func perTensor(_ t: TensorInfo, role: String) throws -> (scale: Float, zp: Int32) {
        guard t.isPerTensorQuantized, let s = t.scales.first, let z = t.zeroPoints.first else {
            throw fail("\(role) tensor \(t.index) '\(t.name)' must have one scale and zero point (has \(t.scales.count) scales)")
        }
        guard s > 0, s.isFinite else { throw fail("\(role) tensor \(t.index) has invalid scale \(s)") }
        guard (-128...127).contains(z) else { throw fail("\(role) tensor \(t.index) has zero point \(z) outside int8") }
        return (s, Int32(z))
    }

    func rank4(_ t: TensorInfo, role: String) throws -> NHWC {
        guard t.shape.count == 4 else { throw fail("\(role) tensor \(t.index) has shape \(t.shape); expected rank 4 (NHWC)") }
        return NHWC(t.shape)
    }

    func activation(_ a: Activation) throws -> ActivationKind {
        switch a {
        case .none: return .none
        case .relu: return .relu
        case .relu6: return .relu6
        case .reluN1To1: return .reluN1To1
        default: throw fail("fused activation \(a) is not supported")
        }
    }

    func padding(_ p: Padding) throws -> PaddingKind {
        switch p {
        case .same: return .same
        case .valid: return .valid
        case .unknown: throw fail("\(p) is not supported")
        }
    }

    /// A constant of exactly `count` elements of `type`, as raw bytes.
    func constant(_ t: TensorInfo, _ type: TensorType, count: Int, role: String) throws -> UnsafeRawBufferPointer {
        guard t.type == type else { throw fail("\(role) tensor \(t.index) has type \(t.type), expected \(type)") }
        guard let bytes = builder.constantBytes(t.index) else {
            throw fail("\(role) tensor \(t.index) '\(t.name)' must be a constant in the model")
        }
        guard t.elementCount == count, bytes.count == count * (type.byteSize ?? 0) else {
            throw fail("\(role) tensor \(t.index) has \(bytes.count) bytes of data for \(t.elementCount) elements; expected \(count) elements of \(type)")
        }
        return bytes
    }

    func int8Constant(_ t: TensorInfo, count: Int, role: String) throws -> [Int8] {
        let b = try constant(t, .int8, count: count, role: role)
        return b.map { Int8(bitPattern: $0) }
    }

    func int32Constant(_ t: TensorInfo, count: Int, role: String) throws -> [Int32] {
        let b = try constant(t, .int32, count: count, role: role)
        return (0..<count).map { Int32(littleEndian: b.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self)) }
    }

    func floatConstant(_ t: TensorInfo, count: Int, role: String) throws -> [Float] {
        if let f = builder.foldedFloat(t.index) {
            guard f.count == count else { throw fail("\(role) tensor \(t.index) has \(f.count) elements, expected \(count)") }
            return f
        }
        let b = try constant(t, .float32, count: count, role: role)
        return (0..<count).map { Float(bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
    }

    // MARK: QUANTIZE / DEQUANTIZE

    func quantize() throws -> KernelBuilder.Binder {
        try expectCounts(inputs: 1...1)
        let x = try requiredInput(0), y = try output()
        try expectActivation(x, role: "input")
        try expectType(x, [.float32], role: "input")
        try expectType(y, [.int8], role: "output")
        guard x.shape == y.shape else { throw fail("input shape \(x.shape) differs from output shape \(y.shape)") }
        let (s, z) = try perTensor(y, role: "output")
        let count = y.elementCount
        if builder.options.kernels == .fast, builder.options.cpu.contains(.avx512) {
            return { off in QuantizeFloatToInt8Fast(input: off(x.index), output: off(y.index), count: count, scale: s, zeroPoint: z) }
        }
        return { off in QuantizeFloatToInt8Reference(input: off(x.index), output: off(y.index), count: count, scale: s, zeroPoint: z) }
    }

    /// Folds DEQUANTIZE of a constant (float16 weights, or int8) into float32 values.
    func foldDequantize() throws -> [Float]? {
        try expectCounts(inputs: 1...1)
        let x = try requiredInput(0), y = try output()
        guard builder.isConstant(x.index) else { return nil }
        try expectType(y, [.float32], role: "output")
        guard x.elementCount == y.elementCount else { throw fail("input has \(x.elementCount) elements, output \(y.elementCount)") }
        switch x.type {
        case .float16:
            let b = try constant(x, .float16, count: x.elementCount, role: "input")
            return (0..<x.elementCount).map { floatFromHalf(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) }
        case .int8:
            let (s, z) = try perTensor(x, role: "input")
            let q = try int8Constant(x, count: x.elementCount, role: "input")
            return q.map { Float(Double(s) * Double(Int32($0) - z)) }
        default:
            throw fail("dequantizing a \(x.type) constant is not supported")
        }
    }

    func dequantize() throws -> KernelBuilder.Binder {
        let x = try requiredInput(0), y = try output()
        try expectType(x, [.int8], role: "input")
        try expectType(y, [.float32], role: "output")
        guard x.elementCount == y.elementCount else { throw fail("input has \(x.elementCount) elements, output \(y.elementCount)") }
        let (s, z) = try perTensor(x, role: "input")
        let count = y.elementCount
        if builder.options.kernels == .fast, builder.options.cpu.contains(.avx512) {
            return { off in DequantizeInt8Fast(input: off(x.index), output: off(y.index), count: count, scale: Double(s), zeroPoint: z) }
        }
        return { off in DequantizeInt8Reference(input: off(x.index), output: off(y.index), count: count, scale: Double(s), zeroPoint: z) }
    }

    // MARK: CONV_2D / DEPTHWISE_CONV_2D

    func conv(depthwise: Bool) throws -> (KernelBuilder.Binder, Int, Pointwise?) {
        try expectCounts(inputs: 2...3)
        let o: ConvOptions
        switch op.options {
        case .conv2D(let c) where !depthwise: o = c
        case .depthwiseConv2D(let c) where depthwise: o = c
        default: throw fail("missing or wrong builtin options (\(op.options))")
        }
        guard o.strideW >= 1, o.strideH >= 1, o.strideW <= 64, o.strideH <= 64 else { throw fail("invalid strides \(o.strideH)x\(o.strideW)") }
        guard o.dilationW >= 1, o.dilationH >= 1, o.dilationW <= 64, o.dilationH <= 64 else { throw fail("invalid dilation \(o.dilationH)x\(o.dilationW)") }
        let pad = try padding(o.padding)
        let act = try activation(o.activation)
        let x = try requiredInput(0), w = try requiredInput(1), b = try input(2, optional: true), y = try output()
        try expectActivation(x, role: "input")
        try expectType(x, [.int8, .float32], role: "input")
        let xs = try rank4(x, role: "input"), ys = try rank4(y, role: "output")
        guard w.shape.count == 4 else { throw fail("filter tensor \(w.index) has shape \(w.shape); expected rank 4") }
        let kh = w.shape[1], kw = w.shape[2]
        let oc = depthwise ? w.shape[3] : w.shape[0]
        if depthwise {
            guard w.shape[0] == 1 else { throw fail("depthwise filter shape \(w.shape) must start with 1") }
            guard xs.c > 0, oc % xs.c == 0 else { throw fail("output channels \(oc) are not a multiple of input channels \(xs.c)") }
            if o.depthMultiplier != 0 && o.depthMultiplier != oc / xs.c {
                throw fail("depth_multiplier \(o.depthMultiplier) disagrees with \(oc) output / \(xs.c) input channels")
            }
        } else {
            guard w.shape[3] == xs.c else { throw fail("filter depth \(w.shape[3]) differs from input channels \(xs.c) (grouped convolution is not supported)") }
        }
        guard kh >= 1, kw >= 1 else { throw fail("empty filter \(w.shape)") }
        let win = Window(padding: pad, inH: xs.h, inW: xs.w, filterH: kh, filterW: kw,
                         strideH: o.strideH, strideW: o.strideW, dilationH: o.dilationH, dilationW: o.dilationW)
        guard ys.n == xs.n, ys.h == win.outH, ys.w == win.outW, ys.c == oc else {
            throw fail("output shape \(y.shape) differs from the computed [\(xs.n), \(win.outH), \(win.outW), \(oc)]")
        }
        let macs = ys.count * kh * kw * (depthwise ? 1 : xs.c)
        let dm = depthwise ? oc / xs.c : 0
        // A 1x1, stride 1, unpadded CONV_2D maps pixel i of its input to pixel i of its output: it
        // can run on any run of pixels (the fused bands of the compact plan).
        let isPointwise = !depthwise && kh == 1 && kw == 1 && o.strideH == 1 && o.strideW == 1 && win.padTop == 0 && win.padLeft == 0
            && xs.n == 1 && ys.h == xs.h && ys.w == xs.w
        let pixels = xs.h * xs.w
        func band(_ n: Int) -> (NHWC, NHWC, Window) {
            (NHWC([1, 1, n, xs.c]), NHWC([1, 1, n, oc]), Window(padding: .valid, inH: 1, inW: n, filterH: 1, filterW: 1, strideH: 1, strideW: 1))
        }
        if x.type == .float32 {
            try expectType(y, [.float32], role: "output")
            let weights = try floatConstant(w, count: w.elementCount, role: "filter")
            let bias = try b.map { try floatConstant($0, count: oc, role: "bias") } ?? Array(repeating: 0, count: oc)
            let r = act.floatRange
            let p = ConvFloatParams(input: xs, output: ys, window: win, actMin: r.min, actMax: r.max, weights: weights, bias: bias)
            let fast = builder.options.kernels == .fast, portable = builder.options.kernels != .reference
            // .fast: the AVX-512 kernel if it applies, else the AVX2 one, else the portable one.
            let cpu = builder.options.cpu, avx512 = fast && cpu.contains(.avx512)
            if depthwise {
                return ({ off in
                    if avx512, dm == 1, let k = DepthwiseConv2DFloatFast.make(p, input: off(x.index), output: off(y.index)) { return k }
                    if fast, dm == 1, let k = DepthwiseConv2DFloatAVX2.make(p, input: off(x.index), output: off(y.index), cpu: cpu) { return k }
                    if portable, let k = DepthwiseConv2DFloatPortable.make(p, depthMultiplier: dm, input: off(x.index), output: off(y.index)) { return k }
                    return DepthwiseConv2DFloatReference(p: p, depthMultiplier: dm, inputOffsetInArena: off(x.index), outputOffsetInArena: off(y.index))
                }, macs, nil)
            }
            // Packed on first use (not when the C kernel takes every band), shared by all bands.
            let pack = PrepareOnce { Conv2DFloatPortable.pack(p) }
            let make: (ConvFloatParams, Int, Int) -> any Kernel = { q, i, o in
                if avx512, let k = Conv2DFloatFast.make(q, input: i, output: o) { return k }
                if fast, let k = Conv2DFloatAVX2.make(q, input: i, output: o, cpu: cpu) { return k }
                if portable, let k = Conv2DFloatPortable.make(q, pack: pack.get, input: i, output: o) { return k }
                return Conv2DFloatReference(p: q, inputOffsetInArena: i, outputOffsetInArena: o)
            }
            let pointwise = !isPointwise ? nil : Pointwise(pixels: pixels, inputChannels: xs.c, outputChannels: oc, elementSize: 4) { n, o in
                var q = p
                (q.input, q.output, q.window) = band(n)
                return make(q, o[0], o[1])
            }
            return ({ off in make(p, off(x.index), off(y.index)) }, macs, pointwise)
        }
        try expectType(y, [.int8], role: "output")
        let (sIn, zIn) = try perTensor(x, role: "input")
        let (sOut, zOut) = try perTensor(y, role: "output")
        let weights = try int8Constant(w, count: w.elementCount, role: "filter")
        guard w.scales.count == oc || w.scales.count == 1 else { throw fail("filter has \(w.scales.count) scales for \(oc) output channels") }
        if w.scales.count > 1 && w.quantizedDimension != (depthwise ? 3 : 0) {
            throw fail("filter is quantized along dimension \(w.quantizedDimension); expected \(depthwise ? 3 : 0)")
        }
        guard w.zeroPoints.allSatisfy({ $0 == 0 }) else { throw fail("filter zero points must be 0 (symmetric int8 weights)") }
        let bias: [Int32]
        if let b {
            bias = try int32Constant(b, count: oc, role: "bias")
        } else {
            bias = Array(repeating: 0, count: oc)
        }
        var mults: [Int32] = [], shifts: [Int32] = []
        for c in 0..<oc {
            let sw = w.scales.count == 1 ? w.scales[0] : w.scales[c]
            guard sw > 0, sw.isFinite else { throw fail("filter channel \(c) has invalid scale \(sw)") }
            // TFLite: double(input_scale) * double(filter_scale) / double(output_scale).
            let m = QuantizedMultiplier(Double(sIn) * Double(sw) / Double(sOut))
            mults.append(m.significand)
            shifts.append(m.shift)
        }
        let (lo, hi) = quantizedActivationRange(act, scale: sOut, zeroPoint: zOut)
        let p = ConvInt8Params(input: xs, output: ys, window: win, inputOffset: -zIn, outputOffset: zOut,
                               actMin: lo, actMax: hi, weights: weights, bias: bias, multipliers: mults, shifts: shifts)
        let fast = builder.options.kernels == .fast, portable = builder.options.kernels != .reference
        // .fast: the AVX-512 kernel if it applies, else the AVX2 one, else the portable one.
        let cpu = builder.options.cpu, vnni = fast && cpu.contains(.avx512vnni)
        if depthwise {
            return ({ off in
                if vnni, dm == 1, let k = DepthwiseConv2DInt8Fast.make(p, input: off(x.index), output: off(y.index)) { return k }
                if fast, dm == 1, let k = DepthwiseConv2DInt8AVX2.make(p, input: off(x.index), output: off(y.index), cpu: cpu) { return k }
                if portable, let k = DepthwiseConv2DInt8Portable.make(p, depthMultiplier: dm, input: off(x.index), output: off(y.index)) { return k }
                return DepthwiseConv2DInt8Reference(p: p, depthMultiplier: dm, inputOffsetInArena: off(x.index), outputOffsetInArena: off(y.index))
            }, macs, nil)
        }
        // Packed on first use (not when the C kernel takes every band), shared by all bands.
        let pack = PrepareOnce { ConvInt8Pack(p) }
        let make: (ConvInt8Params, Int, Int) -> any Kernel = { q, i, o in
            if vnni, let k = Conv2DInt8Fast.make(q, input: i, output: o) { return k }
            if fast, let k = Conv2DInt8AVX2.make(q, input: i, output: o, cpu: cpu) { return k }
            if portable, let k = Conv2DInt8Portable.make(q, pack: pack.get, input: i, output: o) { return k }
            return Conv2DInt8Reference(p: q, inputOffsetInArena: i, outputOffsetInArena: o)
        }
        let pointwise = !isPointwise ? nil : Pointwise(pixels: pixels, inputChannels: xs.c, outputChannels: oc, elementSize: 1) { n, o in
            var q = p
            (q.input, q.output, q.window) = band(n)
            return make(q, o[0], o[1])
        }
        return ({ off in make(p, off(x.index), off(y.index)) }, macs, pointwise)
    }

    // MARK: ADD

    func add() throws -> (KernelBuilder.Binder, Pointwise?) {
        try expectCounts(inputs: 2...2)
        guard case .add(let a, _) = op.options else { throw fail("missing or wrong builtin options (\(op.options))") }
        let act = try activation(a)
        let x1 = try requiredInput(0), x2 = try requiredInput(1), y = try output()
        try expectActivation(x1, role: "input 0")
        try expectActivation(x2, role: "input 1")
        guard x1.shape == y.shape, x2.shape == y.shape else {
            throw fail("broadcasting is not supported: input shapes \(x1.shape), \(x2.shape), output \(y.shape)")
        }
        guard x1.type == y.type, x2.type == y.type else { throw fail("mixed types \(x1.type), \(x2.type) -> \(y.type)") }
        try expectType(y, [.int8, .float32], role: "output")
        let count = y.elementCount
        let channels = max(y.shape.last ?? 1, 1)
        let pixels = count / channels
        if y.type == .float32 {
            let r = act.floatRange
            let cpu = builder.options.cpu, fast = builder.options.kernels == .fast, avx512 = fast && cpu.contains(.avx512)
            let make: (Int, [Int]) -> any Kernel = { n, o in
                if avx512 { return AddFloatFast(count: n, actMin: r.min, actMax: r.max, input1: o[0], input2: o[1], output: o[2]) }
                if fast, let k = AddFloatAVX2.make(count: n, actMin: r.min, actMax: r.max, input1: o[0], input2: o[1], output: o[2], cpu: cpu) { return k }
                return AddFloatReference(count: n, actMin: r.min, actMax: r.max, input1: o[0], input2: o[1], output: o[2])
            }
            return ({ off in make(count, [off(x1.index), off(x2.index), off(y.index)]) },
                    Pointwise(pixels: pixels, inputChannels: channels, outputChannels: channels, elementSize: 4) { n, o in make(n * channels, o) })
        }
        let (s1, z1) = try perTensor(x1, role: "input 0")
        let (s2, z2) = try perTensor(x2, role: "input 1")
        let (so, zo) = try perTensor(y, role: "output")
        let p = AddInt8Params(count: count, scale1: s1, zp1: z1, scale2: s2, zp2: z2, scaleOut: so, zpOut: zo, activation: act)
        for m in [p.input1Multiplier, p.input2Multiplier, p.outputMultiplier] where m.shift > 0 {
            throw fail("rescale multiplier is not below 1 (scales \(s1), \(s2) -> \(so)); the int8 reference ADD requires it")
        }
        let fast = builder.options.kernels == .fast, portable = builder.options.kernels != .reference
        // The exact tables are derived (and checked on all 65,536 pairs) once, for every band.
        let tables = PrepareOnce { portable ? AddInt8LutFast.tables(p) : nil }
        let cpu = builder.options.cpu, vbmi = fast && cpu.contains(.avx512vbmi), avx512 = fast && cpu.contains(.avx512)
        let portableTables = PrepareOnce { tables.get.map(AddInt8Portable.decode) }
        let make: (Int, [Int]) -> any Kernel = { n, o in
            var q = p
            q.count = n
            if vbmi, let t = tables.get { return AddInt8LutFast(q, tables: t, input1: o[0], input2: o[1], output: o[2]) }
            if avx512, let k = AddInt8Fast.make(q, input1: o[0], input2: o[1], output: o[2]) { return k }
            if fast, let t = portableTables.get, let k = AddInt8AVX2.make(q, tables: t, input1: o[0], input2: o[1], output: o[2], cpu: cpu) { return k }
            if let t = portableTables.get { return AddInt8Portable(q, tables: t, input1: o[0], input2: o[1], output: o[2]) }
            return AddInt8Reference(p: q, input1: o[0], input2: o[1], output: o[2])
        }
        return ({ off in make(count, [off(x1.index), off(x2.index), off(y.index)]) },
                Pointwise(pixels: pixels, inputChannels: channels, outputChannels: channels, elementSize: 1) { n, o in make(n * channels, o) })
    }

    // MARK: PAD

    func pad() throws -> (KernelBuilder.Binder, Pointwise?) {
        try expectCounts(inputs: 2...2)
        let x = try requiredInput(0), pads = try requiredInput(1), y = try output()
        try expectActivation(x, role: "input")
        guard x.type == y.type else { throw fail("input type \(x.type) differs from output type \(y.type)") }
        try expectType(y, [.int8, .float32], role: "output")
        guard x.shape.count == y.shape.count, (1...4).contains(x.shape.count) else {
            throw fail("input rank \(x.shape.count) and output rank \(y.shape.count) must match and be 1..4")
        }
        let rank = x.shape.count
        guard pads.shape == [rank, 2] else { throw fail("paddings shape \(pads.shape); expected [\(rank), 2]") }
        let raw: [Int]
        if pads.type == .int64 {
            let b = try constant(pads, .int64, count: rank * 2, role: "paddings")
            raw = (0..<rank * 2).map { Int(Int64(littleEndian: b.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self))) }
        } else {
            raw = try int32Constant(pads, count: rank * 2, role: "paddings").map(Int.init)
        }
        guard raw.allSatisfy({ (0...4096).contains($0) }) else { throw fail("paddings \(raw) must be in 0...4096") }
        for d in 0..<rank where x.shape[d] + raw[2 * d] + raw[2 * d + 1] != y.shape[d] {
            throw fail("output shape \(y.shape) differs from input \(x.shape) padded by \(raw)")
        }
        let padBefore = Array(repeating: 0, count: 4 - rank) + stride(from: 0, to: 2 * rank, by: 2).map { raw[$0] }
        let fill: [UInt8]
        if y.type == .int8 {
            let (sx, zx) = try perTensor(x, role: "input")
            let (sy, zy) = try perTensor(y, role: "output")
            guard sx == sy, zx == zy else { throw fail("input and output quantization differ (\(sx), \(zx)) vs (\(sy), \(zy))") }
            fill = [UInt8(bitPattern: Int8(zy))]
        } else {
            fill = [0, 0, 0, 0]
        }
        let xs = NHWC(x.shape), ys = NHWC(y.shape), before = NHWC(padBefore)
        let es = y.type.byteSize ?? 1
        let cpu = builder.options.cpu, fastAny = builder.options.kernels == .fast, fast = fastAny && cpu.contains(.avx512)
        let make: (NHWC, NHWC, NHWC, Int, Int) -> any Kernel = { xs, ys, before, i, o in
            if fast { return PadFast(input: xs, output: ys, before: before, elementSize: es, fill: fill, inputOffset: i, outputOffset: o) }
            if fastAny, let k = PadFloatAVX2.make(input: xs, output: ys, before: before, elementSize: es, fill: fill, input: i, output: o, cpu: cpu) { return k }
            return PadReference(input: xs, output: ys, before: before, elementSize: es, fill: fill, inputOffset: i, outputOffset: o)
        }
        // Padding of the last dimension only: pixel i of the input becomes pixel i of the output.
        let channelOnly = xs.n == ys.n && xs.h == ys.h && xs.w == ys.w
        let pointwise = !channelOnly ? nil : Pointwise(pixels: xs.n * xs.h * xs.w, inputChannels: xs.c, outputChannels: ys.c, elementSize: es) { n, o in
            make(NHWC([1, 1, n, xs.c]), NHWC([1, 1, n, ys.c]), NHWC([0, 0, 0, before.c]), o[0], o[1])
        }
        return ({ off in make(xs, ys, before, off(x.index), off(y.index)) }, pointwise)
    }

    // MARK: MAX_POOL_2D

    func maxPool() throws -> KernelBuilder.Binder {
        try expectCounts(inputs: 1...1)
        guard case .pool2D(let o) = op.options else { throw fail("missing or wrong builtin options (\(op.options))") }
        guard o.strideW >= 1, o.strideH >= 1, o.filterW >= 1, o.filterH >= 1, o.strideW <= 64, o.strideH <= 64, o.filterW <= 256, o.filterH <= 256 else {
            throw fail("invalid pool geometry: filter \(o.filterH)x\(o.filterW), stride \(o.strideH)x\(o.strideW)")
        }
        let x = try requiredInput(0), y = try output()
        try expectActivation(x, role: "input")
        let xs = try rank4(x, role: "input"), ys = try rank4(y, role: "output")
        let win = Window(padding: try padding(o.padding), inH: xs.h, inW: xs.w, filterH: o.filterH, filterW: o.filterW,
                         strideH: o.strideH, strideW: o.strideW)
        guard ys.n == xs.n, ys.c == xs.c, ys.h == win.outH, ys.w == win.outW else {
            throw fail("output shape \(y.shape) differs from the computed [\(xs.n), \(win.outH), \(win.outW), \(xs.c)]")
        }
        let act = try activation(o.activation)
        guard x.type == y.type else { throw fail("input type \(x.type) differs from output type \(y.type)") }
        try expectType(y, [.int8, .float32], role: "output")
        let fastPool = builder.options.kernels == .fast && builder.options.cpu.contains(.avx512)
        if y.type == .float32 {
            let r = act.floatRange
            if fastPool {
                return { off in MaxPool2DFast(input: xs, output: ys, window: win, isFloat: true, minFloat: r.min, maxFloat: r.max, inputOffset: off(x.index), outputOffset: off(y.index)) }
            }
            let portable = builder.options.kernels != .reference
            return { off in
                if portable, let k = MaxPool2DPortable<Float>.make(input: xs, output: ys, window: win, actMin: r.min, actMax: r.max,
                                                                   inputOffset: off(x.index), outputOffset: off(y.index)) { return k }
                return MaxPool2DFloatReference(input: xs, output: ys, window: win, actMin: r.min, actMax: r.max, inputOffset: off(x.index), outputOffset: off(y.index))
            }
        }
        let (sx, zx) = try perTensor(x, role: "input")
        let (sy, zy) = try perTensor(y, role: "output")
        guard sx == sy, zx == zy else { throw fail("input and output quantization differ") }
        let (lo, hi) = quantizedActivationRange(act, scale: sy, zeroPoint: zy)
        if fastPool {
            return { off in MaxPool2DFast(input: xs, output: ys, window: win, isFloat: false, minInt8: max(-128, lo), maxInt8: min(127, hi), inputOffset: off(x.index), outputOffset: off(y.index)) }
        }
        let portable = builder.options.kernels != .reference
        return { off in
            if portable, let k = MaxPool2DPortable<Int8>.make(input: xs, output: ys, window: win, actMin: Int8(clamping: lo), actMax: Int8(clamping: hi),
                                                            inputOffset: off(x.index), outputOffset: off(y.index)) { return k }
            return MaxPool2DInt8Reference(input: xs, output: ys, window: win, actMin: Int8(clamping: lo), actMax: Int8(clamping: hi), inputOffset: off(x.index), outputOffset: off(y.index))
        }
    }

    // MARK: RESHAPE / RELU / CONCATENATION

    func reshape() throws -> KernelBuilder.Binder {
        try expectCounts(inputs: 1...2)
        let x = try requiredInput(0), y = try output()
        try expectActivation(x, role: "input")
        guard x.type == y.type, x.elementCount == y.elementCount else {
            throw fail("cannot reshape \(x.shape) \(x.type) into \(y.shape) \(y.type)")
        }
        if y.type == .int8 {
            let (sx, zx) = try perTensor(x, role: "input")
            let (sy, zy) = try perTensor(y, role: "output")
            guard sx == sy, zx == zy else { throw fail("input and output quantization differ") }
        }
        let n = y.byteCount
        return { off in ReshapeReference(input: off(x.index), output: off(y.index), byteCount: n) }
    }

    func relu(six: Bool) throws -> (KernelBuilder.Binder, Pointwise?) {
        try expectCounts(inputs: 1...1)
        let x = try requiredInput(0), y = try output()
        try expectActivation(x, role: "input")
        try expectType(x, [.float32], role: "input")
        try expectType(y, [.float32], role: "output")
        guard x.shape == y.shape else { throw fail("input shape \(x.shape) differs from output shape \(y.shape)") }
        let count = y.elementCount
        let channels = max(y.shape.last ?? 1, 1)
        let hi = six ? 6 : Float.greatestFiniteMagnitude
        let cpu = builder.options.cpu, fast = builder.options.kernels == .fast, avx512 = fast && cpu.contains(.avx512)
        let make: (Int, [Int]) -> any Kernel = { n, o in
            if avx512 { return ClampFloatFast(count: n, lo: 0, hi: hi, input: o[0], output: o[1]) }
            if fast, let k = ClampFloatAVX2.make(count: n, lo: 0, hi: hi, input: o[0], output: o[1], cpu: cpu) { return k }
            return ClampFloatReference(count: n, lo: 0, hi: hi, input: o[0], output: o[1])
        }
        return ({ off in make(count, [off(x.index), off(y.index)]) },
                Pointwise(pixels: count / channels, inputChannels: channels, outputChannels: channels, elementSize: 4) { n, o in make(n * channels, o) })
    }

    func concatenation() throws -> KernelBuilder.Binder {
        guard case .concatenation(let rawAxis, let a) = op.options else { throw fail("missing or wrong builtin options (\(op.options))") }
        guard a == .none else { throw fail("fused activation \(a) on CONCATENATION is not supported") }
        guard !op.inputs.isEmpty, op.outputs.count == 1 else { throw fail("needs at least one input and one output") }
        let y = try output()
        let xs = try op.inputs.indices.map { try requiredInput($0) }
        let rank = y.shape.count
        let axis = rawAxis < 0 ? rawAxis + rank : rawAxis
        guard (0..<rank).contains(axis) else { throw fail("axis \(rawAxis) out of range for rank \(rank)") }
        var total = 0
        for x in xs {
            try expectActivation(x, role: "input")
            guard x.type == y.type, x.shape.count == rank else { throw fail("input \(x.index) type/rank differ from the output") }
            for d in 0..<rank where d != axis && x.shape[d] != y.shape[d] {
                throw fail("input \(x.index) shape \(x.shape) does not match output \(y.shape) outside axis \(axis)")
            }
            if y.type == .int8 {
                guard x.scales == y.scales, x.zeroPoints == y.zeroPoints else { throw fail("requantizing concatenation is not supported") }
            }
            total += x.shape[axis]
        }
        guard total == y.shape[axis] else { throw fail("inputs sum to \(total) along axis \(axis); output has \(y.shape[axis])") }
        try expectType(y, [.int8, .float32], role: "output")
        let outer = y.shape[..<axis].reduce(1, *)
        let es = y.type.byteSize ?? 1
        let inner = xs.map { $0.shape[axis...].reduce(1, *) * es }
        return { off in ConcatenationReference(inputs: xs.map { off($0.index) }, innerBytes: inner, outer: outer, output: off(y.index)) }
    }
}
