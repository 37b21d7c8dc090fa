import TFLite

/// The low-memory layout (``EngineOptions/Memory/compact``).
///
/// Three rewrites of the tensor-level plan, none of which changes a value (a standalone RELU
/// after a fused ADD joins the group and clamps each band in place):
/// 1. A float graph input that only feeds a QUANTIZE is quantized while the caller's values are
///    copied in, so the float buffer does not exist (8-bit pixels are written as `p ^ 0x80`, which
///    equals QUANTIZE(p / 255) when that is proved at prepare).
/// 2. ADD(CONV_2D 1x1 (x), skip) and ADD(CONV_2D 1x1 (x), PAD(skip)) run as one kernel over bands
///    of consecutive pixels: per band, the conv writes a scratch band, the PAD (channel padding
///    only) writes a second scratch band, and the ADD combines them into the output. Each kernel
///    is the ordinary kernel of its op on a run of pixels, so every element is computed exactly
///    as in the unfused graph.
/// 3. When the skip tensor dies at the ADD, the ADD output is written over it (same place). With
///    padding (output pixel wider than the skip pixel) the bands run last to first: band
///    [p0, p1) writes bytes from Co * p0 on, while the skip pixels still unread end at Cs * p0.
extension CompiledModel {
    struct CompactLayout {
        var plan: MemoryPlan
        var buffers: [PlannedBuffer]
        var fusions: [FusedAdd]
        var hidden: [Int]
        /// Scratch buffer ids per fused ADD: [conv band, padded skip band].
        var scratch: [Int: [Int]]
    }

    /// Float graph inputs that only feed a QUANTIZE to per-tensor int8, by input position.
    static func inputStages(ops: [PreparedOp], graph: Subgraph, tensors: [TensorInfo], selector: KernelSelector) -> [Int: InputStage] {
        var stages: [Int: InputStage] = [:]
        for (pos, t) in graph.inputs.enumerated() where tensors[t].type == .float32 && !graph.outputs.contains(t) {
            let readers = ops.filter { $0.runs && $0.inputs.contains(t) }
            guard readers.count == 1, let q = readers.first, q.op == .quantize, q.inputs.count == 1,
                  let out = q.outputs.first, tensors[out].type == .int8, tensors[out].isPerTensorQuantized,
                  let s = tensors[out].scales.first, let z = tensors[out].zeroPoints.first,
                  tensors[out].elementCount == tensors[t].elementCount, !graph.inputs.contains(out) else { continue }
            let zp = Int32(z)
            let setup = QuantizeSetup(count: tensors[t].elementCount, scale: s, zeroPoint: zp)
            stages[pos] = InputStage(floatTensor: t, int8Tensor: out, scale: s, zeroPoint: zp,
                                     quantize: selector.choose(Quantize.qs8, setup, KernelOperands(inputs: [0], output: 0)),
                                     pixels: QuantizeQS8Reference.quantizesPixelsAsXor80(scale: s, zeroPoint: zp))
        }
        return stages
    }

    static func compactLayout(ops: [PreparedOp], graph: Subgraph, tensors: [TensorInfo], isConstant: (Int) -> Bool,
                              pointwise: [Int: Pointwise], stages: [Int: InputStage]) -> CompactLayout {
        var producer: [Int: Int] = [:], readers: [Int: [Int]] = [:]
        for op in ops where op.runs {
            for t in op.outputs { producer[t] = op.index }
            for t in Set(op.inputs) where t >= 0 && !isConstant(t) { readers[t, default: []].append(op.index) }
        }
        let outputs = Set(graph.outputs), inputs = Set(graph.inputs)
        func privateTo(_ t: Int, _ op: Int) -> Bool { readers[t] == [op] && !outputs.contains(t) && !inputs.contains(t) }

        let (fusions0, fusedInto) = findFusions(ops: ops, pointwise: pointwise, producer: producer, readers: readers,
                                                isConstant: isConstant, privateTo: privateTo)
        var fusions = fusions0

        // Lifetimes: fused convs and PADs read their inputs at their ADD; their outputs vanish. With
        // a fused RELU the ADD output vanishes and the RELU output is written at the ADD.
        let activations = Set(fusions.compactMap(\.activation))
        var hidden = Set(fusedInto.keys.filter { !activations.contains($0) }.flatMap { ops[$0].outputs })
        for f in fusions where f.activation != nil { hidden.formUnion(ops[f.add].outputs) }
        let staged = Dictionary(uniqueKeysWithValues: stages.values.map { ($0.floatTensor, $0.int8Tensor) })
        hidden.formUnion(staged.keys)
        var first: [Int: Int] = [:], last: [Int: Int] = [:]
        func read(_ t: Int, _ step: Int) { last[t] = max(last[t] ?? step, step) }
        func write(_ t: Int, _ step: Int) { first[t] = min(first[t] ?? step, step); read(t, step) }
        for t in graph.inputs where !hidden.contains(t) { write(t, 0) }
        for op in ops where op.runs {
            if op.op == .quantize, let x = op.inputs.first, staged[x] != nil {
                for t in op.outputs { write(t, 0) }
                continue
            }
            let step = fusedInto[op.index] ?? op.index
            for t in op.inputs where t >= 0 && !isConstant(t) && !hidden.contains(t) { read(t, step) }
            if fusedInto[op.index] == nil || activations.contains(op.index) {
                for t in op.outputs where !hidden.contains(t) { write(t, step) }
            }
        }
        for t in graph.outputs { read(t, ops.count) }

        // Outputs written over their skip: one buffer for the chain.
        var parent: [Int: Int] = [:]
        func root(_ t: Int) -> Int {
            var r = t
            while let p = parent[r] { r = p }
            return r
        }
        for i in fusions.indices {
            let f = fusions[i], y = ops[f.activation ?? f.add].outputs[0]
            if last[f.skip] == f.add, !inputs.contains(f.skip), !outputs.contains(f.skip),
               tensors[y].byteCount >= tensors[f.skip].byteCount {
                parent[y] = root(f.skip)
                fusions[i].inPlace = true
            }
        }
        let (groups, buffers, scratch) = chainBuffers(first: first, last: last, root: root, tensors: tensors,
                                                      fusions: fusions, pointwise: pointwise)
        var plan = MemoryPlanner.plan(buffers)
        for t in first.keys { if let g = groups[root(t)] { plan.offsets[t] = plan.offsets[g.tensor] } }
        return CompactLayout(plan: plan, buffers: buffers, fusions: fusions, hidden: hidden.sorted(), scratch: scratch)
    }

    /// ADD(CONV_2D 1x1, skip) groups (with the skip's channel PAD and a trailing RELU when they
    /// are private to the group), and the group's ADD index for every op fused into it.
    static func findFusions(ops: [PreparedOp], pointwise: [Int: Pointwise], producer: [Int: Int], readers: [Int: [Int]],
                            isConstant: (Int) -> Bool, privateTo: (Int, Int) -> Bool) -> ([FusedAdd], [Int: Int]) {
        var fusions: [FusedAdd] = []
        var fusedInto: [Int: Int] = [:]
        for a in ops where a.runs && a.op == .add && a.inputs.count == 2 && a.outputs.count == 1 {
            guard let add = pointwise[a.index] else { continue }
            for slot in 0...1 {
                let c = a.inputs[slot], other = a.inputs[1 - slot]
                guard c != other, let ci = producer[c], ops[ci].op == .conv2D, fusedInto[ci] == nil,
                      let conv = pointwise[ci], conv.pixels == add.pixels, conv.outputChannels == add.outputChannels,
                      conv.elementSize == add.elementSize, privateTo(c, a.index) else { continue }
                var skip = other, pad: Int?
                if let pi = producer[other], ops[pi].op == .pad, let p = pointwise[pi], p.pixels == add.pixels,
                   p.outputChannels == add.outputChannels, privateTo(other, a.index) {
                    skip = ops[pi].inputs[0]
                    pad = pi
                }
                guard !isConstant(skip), skip != c else { continue }
                // A standalone RELU that alone reads the ADD output clamps each band in place.
                var activation: Int?
                let sum = a.outputs[0]
                if let r = readers[sum], r.count == 1, let ri = r.first, [.relu, .relu6].contains(ops[ri].op),
                   let act = pointwise[ri], act.pixels == add.pixels, act.outputChannels == add.outputChannels,
                   act.elementSize == add.elementSize, privateTo(sum, ri), ops[ri].outputs.count == 1 {
                    activation = ri
                }
                fusions.append(FusedAdd(add: a.index, conv: ci, pad: pad, activation: activation, convOperand: slot, skip: skip,
                                        inPlace: false, bandPixels: min(add.pixels, bandPixels)))
                fusedInto[ci] = a.index
                if let pad { fusedInto[pad] = a.index }
                if let activation { fusedInto[activation] = a.index }
                break
            }
        }

        return (fusions, fusedInto)
    }

    /// One planned buffer per chain of tensors written over each other (named after its largest
    /// tensor), plus the scratch bands of each fused group.
    static func chainBuffers(first: [Int: Int], last: [Int: Int], root: (Int) -> Int, tensors: [TensorInfo],
                             fusions: [FusedAdd], pointwise: [Int: Pointwise])
        -> (groups: [Int: PlannedBuffer], buffers: [PlannedBuffer], scratch: [Int: [Int]]) {
        var groups: [Int: PlannedBuffer] = [:]
        for t in first.keys.sorted() {
            let r = root(t)
            let lo = first[t] ?? 0, hi = last[t] ?? lo
            if var g = groups[r] {
                if tensors[t].byteCount > g.size { g.tensor = t }
                g.size = max(g.size, tensors[t].byteCount)
                g.firstUse = min(g.firstUse, lo)
                g.lastUse = max(g.lastUse, hi)
                groups[r] = g
            } else {
                groups[r] = PlannedBuffer(tensor: t, size: tensors[t].byteCount, firstUse: lo, lastUse: hi)
            }
        }
        var buffers = groups.values.sorted { $0.tensor < $1.tensor }
        var scratch: [Int: [Int]] = [:]
        var next = tensors.count
        for f in fusions {
            guard let add = pointwise[f.add] else { continue }
            let bytes = f.bandPixels * add.outputChannels * add.elementSize
            var ids: [Int] = []
            for _ in 0..<(f.pad == nil ? 1 : 2) {
                buffers.append(PlannedBuffer(tensor: next, size: bytes, firstUse: f.add, lastUse: f.add))
                ids.append(next)
                next += 1
            }
            scratch[f.add] = ids
        }
        return (groups, buffers, scratch)
    }

    /// The kernel of a fused group: per band, conv into scratch 0, PAD into scratch 1, ADD.
    static func bandedKernel(_ f: FusedAdd, ops: [PreparedOp], tensors: [TensorInfo], pointwise: [Int: Pointwise],
                             plan: MemoryPlan, scratch: [Int]) -> ChosenKernel {
        guard let conv = pointwise[f.conv], let add = pointwise[f.add] else { return ChosenKernel(name: "banded()", kernel: BandedKernel(steps: [])) }
        let off: (Int) -> Int = { plan.offsets[$0] ?? 0 }
        let es = add.elementSize, co = add.outputChannels
        let x = ops[f.conv].inputs[0], y = ops[f.activation ?? f.add].outputs[0]
        let activation = f.activation.flatMap { pointwise[$0] }
        let skipChannels = f.pad.flatMap { pointwise[$0]?.inputChannels } ?? co
        var bands = stride(from: 0, to: add.pixels, by: f.bandPixels).map { ($0, min(f.bandPixels, add.pixels - $0)) }
        if f.inPlace && skipChannels < co { bands.reverse() }
        var steps: [ChosenKernel] = []
        for (p0, n) in bands {
            let convBand = off(scratch[0])
            steps.append(conv.make(n, [off(x) + p0 * conv.inputChannels * es, convBand]))
            var skipBand = off(f.skip) + p0 * co * es
            if let pi = f.pad, let pad = pointwise[pi], scratch.count > 1 {
                skipBand = off(scratch[1])
                steps.append(pad.make(n, [off(f.skip) + p0 * skipChannels * es, skipBand]))
            }
            let operands = f.convOperand == 0 ? [convBand, skipBand] : [skipBand, convBand]
            let out = off(y) + p0 * co * es
            steps.append(add.make(n, operands + [out]))
            if let activation { steps.append(activation.make(n, [out, out])) }
        }
        // Named after the first band's kernels, e.g. banded(conv2d.qs8.avx512vnni+add.qs8.avx512vbmi).
        let first = steps.prefix(1 + (f.pad == nil ? 0 : 1) + 1 + (activation == nil ? 0 : 1))
        return ChosenKernel(name: "banded(" + first.map(\.name).joined(separator: "+") + ")", kernel: BandedKernel(steps: steps.map(\.kernel)))
    }
}
