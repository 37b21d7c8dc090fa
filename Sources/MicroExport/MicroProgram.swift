import BlazeFace
import CMicroPlan
import Engine
import MicroKernels

/// An exported plan laid out in memory as the firmware sees it (the C structs of
/// `blazeface_plan.h`), run on the host by the same Embedded Swift code: what the tests and
/// `blazeface export`'s self-check compare with the host engine before anything runs on a board.
public final class MicroProgram: @unchecked Sendable {
    private var blocks: [UnsafeMutableRawPointer] = []
    /// The model struct.
    public private(set) var model: UnsafeMutablePointer<bf_model_t>
    public let export: MicroExport

    public init(_ export: MicroExport) {
        self.export = export
        model = UnsafeMutablePointer<bf_model_t>.allocate(capacity: 1)
        model.initialize(to: bf_model_t())
        blocks.append(UnsafeMutableRawPointer(model))
        build()
    }

    deinit { for b in blocks { b.deallocate() } }

    private func keep<T>(_ values: [T]) -> UnsafePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, values.count))
        p.initialize(from: values, count: values.count)
        blocks.append(UnsafeMutableRawPointer(p))
        return UnsafePointer(p)
    }

    private func conv(_ g: bf_conv_t, _ k: MicroConvConstants) -> UnsafePointer<bf_conv_t> {
        var c = g
        (c.weights, c.bias, c.multiplier, c.shift) = (keep(k.weights), keep(k.bias), keep(k.multipliers), keep(k.shifts))
        return keep([c])
    }

    private func build() {
        var steps: [bf_step_t] = []
        for s in export.steps {
            var step = bf_step_t(kind: 0, op: Int32(s.op), input: Int32(s.input), input2: Int32(s.input2), output: Int32(s.output),
                                 count: Int32(s.count), params: nil)
            switch s.params {
            case .conv(let g, let k, let depthwise):
                step.kind = Int32((depthwise ? BF_STEP_DEPTHWISE : BF_STEP_CONV).rawValue)
                step.params = UnsafeRawPointer(conv(g, k))
            case .add(let a): (step.kind, step.params) = (Int32(BF_STEP_ADD.rawValue), UnsafeRawPointer(keep([a])))
            case .pad(let p): (step.kind, step.params) = (Int32(BF_STEP_PAD.rawValue), UnsafeRawPointer(keep([p])))
            case .maxPool(let p): (step.kind, step.params) = (Int32(BF_STEP_MAX_POOL.rawValue), UnsafeRawPointer(keep([p])))
            case .dequantize(let d): (step.kind, step.params) = (Int32(BF_STEP_DEQUANTIZE.rawValue), UnsafeRawPointer(keep([d])))
            case .copy(let n): (step.kind, step.params) = (Int32(BF_STEP_COPY.rawValue), UnsafeRawPointer(keep([bf_copy_t(byte_count: Int32(n))])))
            case .concat(let outer, let inputs, let inner):
                let c = bf_concat_t(outer: Int32(outer), count: Int32(inputs.count), inputs: keep(inputs.map { Int32($0) }), inner_bytes: keep(inner.map { Int32($0) }))
                (step.kind, step.params) = (Int32(BF_STEP_CONCAT.rawValue), UnsafeRawPointer(keep([c])))
            case .banded(let b):
                var g = bf_banded_t()
                g.conv = conv(b.conv, b.constants)
                g.pad = b.pad.map { keep([$0]) }
                g.add = keep([b.add])
                (g.conv_operand, g.pixels, g.band_pixels, g.reverse) = (Int32(b.convOperand), Int32(b.pixels), Int32(b.bandPixels), b.reverse ? 1 : 0)
                (g.x, g.skip, g.y, g.scratch0, g.scratch1) = (Int32(b.x), Int32(b.skip), Int32(b.y), Int32(b.scratch0), Int32(b.scratch1))
                (step.kind, step.params) = (Int32(BF_STEP_BANDED.rawValue), UnsafeRawPointer(keep([g])))
            }
            steps.append(step)
        }
        let e = export, d = e.detection
        var cfg = bf_detect_config_t()
        cfg.anchor_count = Int32(d.anchorCount)
        cfg.grid_count = Int32(d.grids.count)
        cfg.grids = keep(d.grids.flatMap { [Int32($0.width), Int32($0.height), Int32($0.perCell)] })
        (cfg.anchor_offset_x, cfg.anchor_offset_y) = d.anchorOffset
        cfg.head_count = Int32(d.heads.count)
        cfg.score_output = keep(d.heads.map { Int32($0.scores) })
        cfg.box_output = keep(d.heads.map { Int32($0.boxes) })
        cfg.score_table = keep(d.scoreTables.flatMap { $0 })
        (cfg.num_coords, cfg.num_keypoints) = (Int32(d.decoding.numCoords), Int32(d.decoding.numKeypoints))
        (cfg.x_scale, cfg.y_scale, cfg.w_scale, cfg.h_scale) = (d.decoding.xScale, d.decoding.yScale, d.decoding.wScale, d.decoding.hScale)
        (cfg.min_score, cfg.iou_threshold) = (d.minScore, d.iouThreshold)
        (cfg.box_up, cfg.box_width, cfg.box_height) = (d.box.up, d.box.width, d.box.height)
        cfg.clip_boxes = d.clipBoxes ? 1 : 0
        let outputs = e.io.outputs.map {
            bf_output_t(offset: Int32($0.offset), count: Int32($0.count), scale: $0.quantization?.scale ?? 0, zero_point: $0.quantization?.zeroPoint ?? 0)
        }
        let shape = e.inputShape
        model.pointee = bf_model_t(steps: keep(steps), step_count: Int32(steps.count), arena_size: Int32(e.arenaSize),
                                   input_offset: Int32(e.io.input), input_table: keep(d.inputTable), input_h: Int32(shape.h), input_w: Int32(shape.w), input_c: Int32(shape.c),
                                   scratch_offset: Int32(e.scratchOffset), scratch_count: Int32(e.scratchCount),
                                   output_count: Int32(outputs.count), outputs: keep(outputs), detect: keep([cfg]))
    }

    /// Runs the plan on `pixels` (the input frame's 8-bit RGB bytes) and returns the faces and
    /// the arena (outputs at ``MicroExport/io``).
    public func run(pixels: [UInt8]) -> (faces: [bf_face_t], arena: [UInt8]) {
        let size = export.arenaSize
        let arena = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        defer { arena.deallocate() }
        arena.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        let count = export.detection.anchorCount
        var faces = [bf_face_t](repeating: bf_face_t(), count: max(1, count))
        var candidates = [BFCandidate](repeating: BFCandidate(anchor: 0, score: 0), count: max(1, count))
        pixels.withUnsafeBufferPointer { px in
            guard let base = px.baseAddress, px.count >= export.inputShape.h * export.inputShape.w * 3 else { return }
            bfSetPixels(model, arena: arena, pixels: base)
        }
        bfRun(model, arena: arena) { _, _ in }
        let n: Int32 = candidates.withUnsafeMutableBufferPointer { c in
            faces.withUnsafeMutableBufferPointer { f in
                guard let cb = c.baseAddress, let fb = f.baseAddress else { return 0 }
                return bfDetectFaces(model, arena: arena, candidates: cb, faces: fb, maxFaces: Int32(count))
            }
        }
        let bytes = [UInt8](UnsafeRawBufferPointer(start: arena, count: size))
        return (Array(faces.prefix(Int(n))), bytes)
    }
}
