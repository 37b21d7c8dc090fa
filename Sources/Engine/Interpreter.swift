import TFLite
import CKernels

/// Runs a ``CompiledModel``: owns the activation arena (one allocation, made at init), accepts
/// inputs, invokes the kernels in order and exposes outputs.
///
/// An `Interpreter` is not thread-safe; use one per thread or task. Many interpreters can share
/// one ``CompiledModel``. `invoke()` allocates nothing.
public final class Interpreter {
    /// The prepared model.
    public let compiled: CompiledModel
    private let arena: UnsafeMutableRawPointer
    private let arenaSize: Int

    /// Creates an interpreter with a zeroed arena of ``MemoryPlan/arenaSize`` bytes.
    public init(_ compiled: CompiledModel) {
        self.compiled = compiled
        arenaSize = max(compiled.plan.arenaSize, 64)
        arena = UnsafeMutableRawPointer.allocate(byteCount: arenaSize, alignment: 64)
        arena.initializeMemory(as: UInt8.self, repeating: 0, count: arenaSize)
    }

    deinit { arena.deallocate() }

    /// Convenience: reads and prepares a model file.
    public convenience init(modelPath: String) throws {
        self.init(try CompiledModel(model: TFLiteModel(contentsOfFile: modelPath)))
    }

    // MARK: - Tensors

    /// The bytes of a tensor that lives in the arena (inputs, outputs, intermediates), or nil.
    public func tensorBytes(_ tensor: Int) -> UnsafeMutableRawBufferPointer? {
        guard let off = compiled.arenaOffset(of: tensor), compiled.tensors.indices.contains(tensor) else { return nil }
        return UnsafeMutableRawBufferPointer(start: arena + off, count: compiled.tensors[tensor].byteCount)
    }

    /// Copies raw bytes into graph input `index`; their count must equal the tensor's byte size.
    ///
    /// With the compact plan, a float input that only feeds a QUANTIZE has no buffer: its values
    /// are quantized straight into the QUANTIZE's output (the same arithmetic as the op).
    public func setInput(_ index: Int = 0, bytes: UnsafeRawBufferPointer) throws {
        let t = try inputTensor(index)
        guard t.byteCount == bytes.count, let base = bytes.baseAddress else {
            throw EngineError("input \(index) '\(t.name)' needs \(t.byteCount) bytes (\(t.shape) \(t.type)), got \(bytes.count)")
        }
        if let st = stagedInput(index), let q = tensorBytes(st.int8Tensor)?.baseAddress {
            let x = base.assumingMemoryBound(to: Float.self), y = q.assumingMemoryBound(to: Int8.self)
            st.quantize.made.quantize(x, y)
            return
        }
        guard let dst = tensorBytes(t.index) else { throw EngineError("input \(index) '\(t.name)' has no buffer") }
        dst.baseAddress?.copyMemory(from: base, byteCount: bytes.count)
    }

    /// Feeds 8-bit pixels (interleaved RGB, `H * W * 3` bytes for a `1xHxWx3` input) to a graph
    /// input whose QUANTIZE maps pixel / 255 to pixel - 128 (``CompiledModel/acceptsPixels(input:)``,
    /// the int8 BlazeFace model): the same as `setInput(floats: pixels.map { Float($0) / 255 })`,
    /// without a float buffer in the compact plan (each byte is written as `p ^ 0x80`).
    ///
    /// - Throws: when the input does not accept pixels or the count differs from its element count.
    public func setInput(_ index: Int = 0, pixels: UnsafeBufferPointer<UInt8>) throws {
        let t = try inputTensor(index)
        guard let st = compiled.inputStages[index], st.pixels else {
            throw EngineError("input \(index) '\(t.name)' does not take 8-bit pixels (it must be float32 feeding only a QUANTIZE with scale 1/255, zero point -128); feed floats")
        }
        guard pixels.count == t.elementCount, let src = pixels.baseAddress else {
            throw EngineError("input \(index) '\(t.name)' needs \(t.elementCount) pixel bytes (\(t.shape)), got \(pixels.count)")
        }
        if stagedInput(index) != nil, let q = tensorBytes(st.int8Tensor)?.baseAddress {
            bf_u8_xor80(src, Int64(pixels.count), q.assumingMemoryBound(to: UInt8.self))
        } else if let f = tensorBytes(t.index)?.baseAddress?.assumingMemoryBound(to: Float.self) {
            for i in 0..<pixels.count { f[i] = Float(src[i]) / 255 }
        }
    }

    /// Array convenience for ``setInput(_:pixels:)-(_,UnsafeBufferPointer<UInt8>)``.
    public func setInput(_ index: Int = 0, pixels: [UInt8]) throws {
        try pixels.withUnsafeBufferPointer { try setInput(index, pixels: $0) }
    }

    /// The input's quantize stage when the compact plan quantizes it at `setInput`.
    private func stagedInput(_ index: Int) -> InputStage? {
        guard let st = compiled.inputStages[index], compiled.arenaOffset(of: st.floatTensor) == nil else { return nil }
        return st
    }

    /// Copies float32 values into graph input `index` (which must be float32).
    public func setInput(_ index: Int = 0, floats: [Float]) throws {
        let t = try inputTensor(index)
        guard t.type == .float32 else { throw EngineError("input \(index) '\(t.name)' is \(t.type), not float32") }
        try floats.withUnsafeBytes { try setInput(index, bytes: $0) }
    }

    /// Graph output `index` as float32 values (which it must be).
    public func outputFloats(_ index: Int) throws -> [Float] {
        guard compiled.outputIndices.indices.contains(index) else {
            throw EngineError("output \(index) out of range (model has \(compiled.outputIndices.count))")
        }
        let t = compiled.tensors[compiled.outputIndices[index]]
        guard t.type == .float32, let b = tensorBytes(t.index) else { throw EngineError("output \(index) '\(t.name)' is \(t.type), not float32") }
        return Array(b.bindMemory(to: Float.self))
    }

    /// Read-only view of a graph output's bytes, valid until the next `invoke`.
    public func output(_ index: Int) -> UnsafeRawBufferPointer? {
        guard compiled.outputIndices.indices.contains(index) else { return nil }
        return tensorBytes(compiled.outputIndices[index]).map { UnsafeRawBufferPointer($0) }
    }

    private func inputTensor(_ index: Int) throws -> TensorInfo {
        guard compiled.inputIndices.indices.contains(index) else {
            throw EngineError("input \(index) out of range (model has \(compiled.inputIndices.count))")
        }
        return compiled.tensors[compiled.inputIndices[index]]
    }

    // MARK: - Running

    /// Runs every op once.
    public func invoke() {
        for op in compiled.ops {
            op.kernel?.eval(arena: arena)
        }
    }

    /// Runs every op once and calls `observer` after each op with its execution index, output
    /// tensor index and output bytes (valid only during the call: later ops may reuse the memory).
    ///
    /// With the compact plan, the outputs of fused ops (``CompiledModel/unmaterialized``) are not
    /// reported, and a tensor a fused group writes (a RELU's after its ADD) is reported, at its own
    /// op's index, when the group has run; a QUANTIZE done by `setInput` is reported at its index.
    public func invoke(observer: (_ opIndex: Int, _ tensor: Int, _ bytes: UnsafeRawBufferPointer) -> Void) {
        var members: [Int: [PreparedOp]] = [:]
        for op in compiled.ops { if let group = op.fusedInto { members[group, default: []].append(op) } }
        for op in compiled.ops where op.runs && op.fusedInto == nil {
            guard op.kernel != nil || op.runsAtInput else { continue }
            op.kernel?.eval(arena: arena)
            for member in ([op] + (members[op.index] ?? [])).sorted(by: { $0.index < $1.index }) {
                for t in member.outputs {
                    if let b = tensorBytes(t) { observer(member.index, t, UnsafeRawBufferPointer(b)) }
                }
            }
        }
    }

    /// Runs every op, calling `around(opIndex)` before each kernel and the closure it returns after
    /// (a profiling hook: ModelTools' `Benchmark.profileOps` times each op with it).
    public func invoke(around: (Int) -> () -> Void) {
        for op in compiled.ops {
            guard let kernel = op.kernel else { continue }
            let done = around(op.index)
            kernel.eval(arena: arena)
            done()
        }
    }
}
