import CMicroPlan

// The firmware's Swift entry: runs the exported plan (MicroKernels' Runtime.swift) and decodes
// the faces. Storage comes from C (blazeface.c, model_data.c); nothing is allocated.

@_cdecl("bf_swift_detect")
public func bfSwiftDetect(_ model: UnsafePointer<bf_model_t>, _ arena: UnsafeMutablePointer<UInt8>,
                          _ candidates: UnsafeMutablePointer<UInt8>, _ rgb: UnsafePointer<UInt8>,
                          _ out: UnsafeMutablePointer<bf_face_t>, _ max: Int32,
                          _ hook: (@convention(c) (Int32, Int32) -> Void)?) -> Int32 {
    let a = UnsafeMutableRawPointer(arena)
    bfSetPixels(model, arena: a, pixels: rgb)
    bfRun(model, arena: a) { step, before in hook?(step, before ? 1 : 0) }
    let c = UnsafeMutableRawPointer(candidates).assumingMemoryBound(to: BFCandidate.self)
    return bfDetectFaces(model, arena: a, candidates: c, faces: out, maxFaces: max)
}
