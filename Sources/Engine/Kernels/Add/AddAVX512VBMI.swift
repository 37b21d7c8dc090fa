import CKernels

/// ADD int8 by exact table decomposition, `bf_qs8_add_lut_avx512vbmi` (see CKernels.h): the
/// output is Pi[a] + Qi[b] + [Ra[a] >= Rb[b]], clamped. The tables are derived from the
/// reference's fixed-point values and then checked against ``AddQS8Params/apply`` on all
/// 65,536 input pairs (``AddQS8Params/exactTables()``); where any pair differs (the sign nudge
/// of the output rounding is not modelled) the variant declines and the next one runs.
struct AddQS8AVX512VBMI: Kernel {
    let packed: PackedParams<bf_qs8_add_lut_params>
    let input1: Int, input2: Int, output: Int

    /// With tables made by ``AddQS8Params/exactTables()`` for the same scales (any `p.count`).
    init(_ p: AddQS8Params, tables: [UInt8], input1: Int, input2: Int, output: Int) {
        var c = bf_qs8_add_lut_params()
        c.count = Int64(p.count); c.act_min = p.actMin; c.act_max = p.actMax
        let packed = PackedParams(c, bytes: 2048) { params, buffer in
            tables.withUnsafeBytes { if let base = $0.baseAddress, $0.count == 2048 { buffer.copyMemory(from: base, byteCount: 2048) } }
            params.pointee.tables = UnsafePointer(buffer.assumingMemoryBound(to: UInt8.self))
        }
        self.packed = packed
        self.input1 = input1; self.input2 = input2; self.output = output
    }

    func eval(arena: UnsafeMutableRawPointer) {
        bf_qs8_add_lut_avx512vbmi(packed.params, (arena + input1).assumingMemoryBound(to: Int8.self),
                                  (arena + input2).assumingMemoryBound(to: Int8.self), (arena + output).assumingMemoryBound(to: Int8.self))
    }
}
