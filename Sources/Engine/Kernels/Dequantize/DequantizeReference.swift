/// DEQUANTIZE int8 -> float32: float32(double(scale) * (q - zp)), as TFLite's reference does.
struct DequantizeQS8Reference: Kernel {
    var input: Int, output: Int, count: Int
    var scale: Double, zeroPoint: Int32

    func eval(arena: UnsafeMutableRawPointer) {
        let x = (arena + input).assumingMemoryBound(to: Int8.self)
        let y = (arena + output).assumingMemoryBound(to: Float.self)
        for i in 0..<count {
            y[i] = Float(scale * Double(Int32(x[i]) - zeroPoint))
        }
    }
}
