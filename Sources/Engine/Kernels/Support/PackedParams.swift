/// `params` with `p`'s weights and bias packed by `pack` into `bytes` (the C size function).
func packFloat<P>(_ params: P, _ p: ConvF32Params, size: (UnsafePointer<P>) -> Int,
                          pack: (UnsafeMutablePointer<P>, UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutableRawPointer) -> Void) -> PackedParams<P> {
    PackedParams(params, bytes: withUnsafePointer(to: params) { size($0) }) { params, buffer in
        p.weights.withUnsafeBufferPointer { w in p.bias.withUnsafeBufferPointer { b in pack(params, w.baseAddress, b.baseAddress, buffer) } }
    }
}
