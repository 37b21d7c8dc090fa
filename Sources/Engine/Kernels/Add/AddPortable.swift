/// ADD int8 in portable Swift by the exact table decomposition of ``AddQS8Params/exactTables()``
/// (plain Swift, checked against ``AddQS8Params/apply(_:_:)`` on all 65,536 input pairs when it
/// is made): y = clamp(P[a] + Q[b] + [Ra[a] >= Rb[b]]). Two 256-entry int32 tables indexed by the
/// input byte, T1 = 65536 * P + Ra and T2 = 65536 * (Q + 1) - Rb, give
/// (T1[a] + T2[b]) >> 16 = P + Q + [Ra - Rb >= 0], the ranks being below 512 and |P|, |Q| <= 16000.
/// Elementwise, so the output may be one of the inputs.
struct AddQS8Portable: Kernel {
    let tables: ConstantBuffer<Int32>   // T1, then T2
    let count: Int
    let actMin: Int32, actMax: Int32
    let input1: Int, input2: Int, output: Int

    /// T1 and T2 from the tables' bytes (8 x 256: low then high byte of P, Ra, Q, Rb).
    static func decode(_ bytes: [UInt8]) -> ConstantBuffer<Int32> {
        func table(_ j: Int, _ v: Int) -> Int32 {
            Int32(Int16(bitPattern: UInt16(bytes[2 * j * 256 + v]) | UInt16(bytes[(2 * j + 1) * 256 + v]) << 8))
        }
        return ConstantBuffer((0..<256).map { table(0, $0) << 16 + table(1, $0) } + (0..<256).map { (table(2, $0) + 1) << 16 - table(3, $0) })
    }

    init(_ p: AddQS8Params, tables: ConstantBuffer<Int32>, input1: Int, input2: Int, output: Int) {
        self.tables = tables
        count = p.count
        actMin = max(-128, p.actMin); actMax = min(127, p.actMax)
        self.input1 = input1; self.input2 = input2; self.output = output
    }

    func eval(arena: UnsafeMutableRawPointer) {
        let a = (arena + input1).assumingMemoryBound(to: UInt8.self)
        let b = (arena + input2).assumingMemoryBound(to: UInt8.self)
        let y = (arena + output).assumingMemoryBound(to: Int8.self)
        let t1 = tables.pointer, t2 = tables.pointer + 256
        for i in 0..<count {
            let s = (t1[Int(a[i])] &+ t2[Int(b[i])]) &>> 16
            y[i] = Int8(truncatingIfNeeded: min(max(s, actMin), actMax))
        }
    }
}
