import CMicroPlan
#if BLAZEFACE_MVE
import CMicroMVE
#endif

// Runs an exported model's steps (blazeface_plan.h) over one arena: the microcontroller's
// interpreter, also run on the host by the export tests. No allocation, no FlatBuffer.

/// Runs every step of `model` over `arena` (at least `model.arena_size` bytes, 16-byte aligned),
/// whose int8 input is already in place. `onStep(i, true)` is called before step i and
/// `onStep(i, false)` after it (for per-op instruction counts).
public func bfRun(_ model: UnsafePointer<bf_model_t>, arena: UnsafeMutableRawPointer, onStep: (Int32, Bool) -> Void) {
    let m = model.pointee
    guard let steps = m.steps else { return }
    let scratch = (arena + Int(m.scratch_offset)).assumingMemoryBound(to: Int32.self)
    for i in 0..<Int(m.step_count) {
        onStep(Int32(truncatingIfNeeded: i), true)
        bfRunStep(steps + i, arena: arena, scratch: scratch)
        onStep(Int32(truncatingIfNeeded: i), false)
    }
}

/// Writes 8-bit RGB pixels (`input_h * input_w * input_c` bytes) as the model's int8 input,
/// through the table the host made from its own input path (p ^ 0x80 for ST's model, whose
/// QUANTIZE takes pixel / 255).
public func bfSetPixels(_ model: UnsafePointer<bf_model_t>, arena: UnsafeMutableRawPointer, pixels: UnsafePointer<UInt8>) {
    let m = model.pointee
    guard let table = m.input_table else { return }
    let n = Int(m.input_h) * Int(m.input_w) * Int(m.input_c)
    let x = (arena + Int(m.input_offset)).assumingMemoryBound(to: Int8.self)
    for i in 0..<n { x[i] = table[Int(pixels[i])] }
}

@inline(__always)
private func int8At(_ arena: UnsafeMutableRawPointer, _ offset: Int32) -> UnsafeMutablePointer<Int8> {
    (arena + Int(offset)).assumingMemoryBound(to: Int8.self)
}

/// One step.
public func bfRunStep(_ step: UnsafePointer<bf_step_t>, arena: UnsafeMutableRawPointer, scratch: UnsafeMutablePointer<Int32>) {
    let s = step.pointee
    guard let params = s.params else { return }
    let x = UnsafePointer(int8At(arena, s.input)), y = int8At(arena, s.output)
    switch s.kind {
    case Int32(BF_STEP_CONV.rawValue):
        let p = params.assumingMemoryBound(to: bf_conv_t.self)
        if bfIsPointwise(p) {
            bfPointwise(p, x, y, pixels: Int(p.pointee.out_h) * Int(p.pointee.out_w))
        } else {
            #if BLAZEFACE_MVE
            if bf_mve_conv(p, x, y) != 0 { return }
            #endif
            bfConv(p, x, y)
        }
    case Int32(BF_STEP_DEPTHWISE.rawValue):
        let p = params.assumingMemoryBound(to: bf_conv_t.self)
        #if BLAZEFACE_MVE
        if bf_mve_depthwise(p, x, y, scratch) != 0 { return }
        #endif
        bfDepthwise(p, x, y, acc: scratch)
    case Int32(BF_STEP_ADD.rawValue):
        bfAddStep(params.assumingMemoryBound(to: bf_add_t.self), x, UnsafePointer(int8At(arena, s.input2)), y, count: Int(s.count))
    case Int32(BF_STEP_PAD.rawValue):
        bfPadChannels(params.assumingMemoryBound(to: bf_pad_t.self), x, y, pixels: Int(s.count))
    case Int32(BF_STEP_MAX_POOL.rawValue):
        bfMaxPool(params.assumingMemoryBound(to: bf_pool_t.self), x, y)
    case Int32(BF_STEP_DEQUANTIZE.rawValue):
        let out = (arena + Int(s.output)).assumingMemoryBound(to: Float.self)
        bfDequantize(params.assumingMemoryBound(to: bf_dequantize_t.self), x, out, count: Int(s.count))
    case Int32(BF_STEP_COPY.rawValue):
        bfCopy(UnsafeRawPointer(x), UnsafeMutableRawPointer(y), byteCount: Int(params.assumingMemoryBound(to: bf_copy_t.self).pointee.byte_count))
    case Int32(BF_STEP_CONCAT.rawValue):
        bfConcat(params.assumingMemoryBound(to: bf_concat_t.self), arena: arena, output: Int(s.output))
    case Int32(BF_STEP_BANDED.rawValue):
        bfBanded(params.assumingMemoryBound(to: bf_banded_t.self), arena: arena)
    default:
        return
    }
}

/// A pointwise convolution over `pixels` pixels, through the Helium kernel when there is one.
@inline(__always)
private func bfPointwise(_ p: UnsafePointer<bf_conv_t>, _ x: UnsafePointer<Int8>, _ y: UnsafeMutablePointer<Int8>, pixels: Int) {
    #if BLAZEFACE_MVE
    if bf_mve_pointwise(p, x, y, Int32(truncatingIfNeeded: pixels)) != 0 { return }
    #endif
    bfConvPointwise(p, x, y, pixels: pixels)
}

/// ADD, through the Helium kernel when there is one.
@inline(__always)
private func bfAddStep(_ p: UnsafePointer<bf_add_t>, _ a: UnsafePointer<Int8>, _ b: UnsafePointer<Int8>,
                       _ y: UnsafeMutablePointer<Int8>, count: Int) {
    #if BLAZEFACE_MVE
    if bf_mve_add(p, a, b, y, Int32(truncatingIfNeeded: count)) != 0 { return }
    #endif
    bfAdd(p, a, b, y, count: count)
}

/// A fused group, band by band: conv into scratch0, channel PAD of the skip into scratch1, ADD.
public func bfBanded(_ g: UnsafePointer<bf_banded_t>, arena: UnsafeMutableRawPointer) {
    let b = g.pointee
    guard let conv = b.conv, let add = b.add, b.band_pixels > 0 else { return }
    let ic = Int(conv.pointee.in_c), oc = Int(conv.pointee.out_c)
    let skipChannels = b.pad.map { Int($0.pointee.in_c) } ?? oc
    let total = Int(b.pixels), band = Int(b.band_pixels)
    let count = (total + band - 1) / band
    for k in 0..<count {
        let index = b.reverse != 0 ? count - 1 - k : k
        let p0 = index * band, n = total - p0 < band ? total - p0 : band
        let convBand = int8At(arena, b.scratch0)
        bfPointwise(conv, UnsafePointer(int8At(arena, b.x) + p0 * ic), convBand, pixels: n)
        var skipBand = int8At(arena, b.skip) + p0 * oc
        if let pad = b.pad {
            skipBand = int8At(arena, b.scratch1)
            bfPadChannels(pad, UnsafePointer(int8At(arena, b.skip) + p0 * skipChannels), skipBand, pixels: n)
        }
        let out = int8At(arena, b.y) + p0 * oc
        if b.conv_operand == 0 {
            bfAddStep(add, UnsafePointer(convBand), UnsafePointer(skipBand), out, count: n * oc)
        } else {
            bfAddStep(add, UnsafePointer(skipBand), UnsafePointer(convBand), out, count: n * oc)
        }
    }
}
