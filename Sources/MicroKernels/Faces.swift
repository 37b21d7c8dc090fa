import CMicroPlan

// Anchor decoding, MediaPipe's weighted non-maximum suppression, the WIDER box and clipping, for
// one frame as large as the model's input, in the Embedded Swift subset. Every float operation
// is the one `blazeface detect` performs, in the same order, so the faces are bit-identical to
// the host's on the same frame (BlazeFace/DetectionDecoding.swift, NonMaxSuppression.swift,
// Face.swift, FaceSanity.swift).

/// A candidate: its anchor and score.
public struct BFCandidate {
    public var anchor: Int32
    public var score: Float
    public init(anchor: Int32, score: Float) { (self.anchor, self.score) = (anchor, score) }
}

/// A decoded box and keypoints in normalised input coordinates.
struct BFDecoded {
    var xMin: Float = 0, yMin: Float = 0, xMax: Float = 0, yMax: Float = 0
    var kp = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))

    var area: Float { max(0, xMax - xMin) * max(0, yMax - yMin) }

    func iou(_ o: BFDecoded) -> Float {
        let w = min(xMax, o.xMax) - max(xMin, o.xMin), h = min(yMax, o.yMax) - max(yMin, o.yMin)
        let inter = max(0, w) * max(0, h)
        let union = area + o.area - inter
        guard union > 0 else { return 0 }
        return inter / union
    }

    subscript(k: Int) -> Float {
        get { withUnsafeBytes(of: kp) { $0.load(fromByteOffset: 4 * k, as: Float.self) } }
        set { withUnsafeMutableBytes(of: &kp) { $0.storeBytes(of: newValue, toByteOffset: 4 * k, as: Float.self) } }
    }
}

/// The faces in the model's outputs, strongest first; returns how many were written to `faces`
/// (at most `maxFaces`). `candidates` is scratch for `anchor_count` entries.
public func bfDetectFaces(_ model: UnsafePointer<bf_model_t>, arena: UnsafeMutableRawPointer,
                          candidates: UnsafeMutablePointer<BFCandidate>, faces: UnsafeMutablePointer<bf_face_t>, maxFaces: Int32) -> Int32 {
    let m = model.pointee
    guard let cfgPointer = m.detect, let outputs = m.outputs else { return 0 }
    let cfg = cfgPointer.pointee
    guard let scoreOut = cfg.score_output, let table = cfg.score_table else { return 0 }
    // Scores: the clipped sigmoid of each int8 score, from the table the host made.
    var count = 0, anchor = 0
    for h in 0..<Int(cfg.head_count) {
        let out = outputs[Int(scoreOut[h])]
        let v = (arena + Int(out.offset)).assumingMemoryBound(to: Float.self)
        for i in 0..<Int(out.count) {
            guard let q = bfQuantized(v[i], out) else { continue }
            let score = table[h * 256 + Int(q) + 128]
            if score >= cfg.min_score, bfDecode(model, arena: arena, anchor: anchor + i) != nil {
                candidates[count] = BFCandidate(anchor: Int32(truncatingIfNeeded: anchor + i), score: score)
                count += 1
            }
        }
        anchor += Int(out.count)
    }
    bfSortCandidates(candidates, count: count)
    return bfWeightedNMS(model, arena: arena, candidates, count: count, faces: faces, maxFaces: Int(maxFaces))
}

/// The int8 value that DEQUANTIZE turned into `v` (found by recomputing the dequantization, so
/// it is exact), or nil when none did.
func bfQuantized(_ v: Float, _ out: bf_output_t) -> Int32? {
    let scale = Double(out.scale), zp = out.zero_point
    guard scale > 0, v.isFinite else { return nil }
    let r = Double(v) / scale
    guard r > -1000, r < 1000 else { return nil }
    let guess = Int32(r.rounded()) &+ zp
    var d: Int32 = -1
    while d <= 1 {
        let q = guess &+ d
        if q >= -128 && q <= 127 && Float(scale * Double(q &- zp)) == v { return q }
        d += 1
    }
    return nil
}

/// Descending score, then ascending anchor (insertion sort: candidates are few).
func bfSortCandidates(_ c: UnsafeMutablePointer<BFCandidate>, count: Int) {
    if count < 2 { return }
    for i in 1..<count {
        let v = c[i]
        var j = i
        while j > 0 && (c[j - 1].score < v.score || (c[j - 1].score == v.score && c[j - 1].anchor > v.anchor)) {
            c[j] = c[j - 1]
            j -= 1
        }
        c[j] = v
    }
}

/// Anchor `a`'s box and keypoints from the float regressors; nil when the box is empty,
/// inverted or not finite (as the host's `decodeOne`).
func bfDecode(_ model: UnsafePointer<bf_model_t>, arena: UnsafeMutableRawPointer, anchor a: Int) -> BFDecoded? {
    let m = model.pointee
    guard let cfgPointer = m.detect, let outputs = m.outputs else { return nil }
    let cfg = cfgPointer.pointee
    guard let boxOut = cfg.box_output, let scoreOut = cfg.score_output, let (ax, ay) = bfAnchor(cfg, a) else { return nil }
    let aw: Float = 1, ah: Float = 1
    var start = 0, head = -1
    for h in 0..<Int(cfg.head_count) {
        let n = Int(outputs[Int(scoreOut[h])].count)
        if a < start + n { head = h; break }
        start += n
    }
    guard head >= 0 else { return nil }
    let nc = Int(cfg.num_coords)
    let raw = (arena + Int(outputs[Int(boxOut[head])].offset)).assumingMemoryBound(to: Float.self) + (a - start) * nc
    let xCenter = raw[0] / cfg.x_scale * aw + ax
    let yCenter = raw[1] / cfg.y_scale * ah + ay
    let width = raw[2] / cfg.w_scale * aw
    let height = raw[3] / cfg.h_scale * ah
    guard width > 0, height > 0, width.isFinite, height.isFinite, xCenter.isFinite, yCenter.isFinite else { return nil }
    var d = BFDecoded()
    d.xMin = xCenter - width / 2
    d.yMin = yCenter - height / 2
    d.xMax = xCenter + width / 2
    d.yMax = yCenter + height / 2
    for k in 0..<min(Int(cfg.num_keypoints), 6) {
        let x = raw[4 + 2 * k] / cfg.x_scale * aw + ax
        let y = raw[4 + 2 * k + 1] / cfg.y_scale * ah + ay
        guard x.isFinite, y.isFinite else { return nil }
        d[2 * k] = x
        d[2 * k + 1] = y
    }
    return d
}

/// MediaPipe's weighted NMS over sorted candidates (the host's `clusterSuppression` with
/// `averagedIoU` 0), each kept detection turned into a face.
func bfWeightedNMS(_ model: UnsafePointer<bf_model_t>, arena: UnsafeMutableRawPointer, _ c: UnsafeMutablePointer<BFCandidate>,
                   count: Int, faces: UnsafeMutablePointer<bf_face_t>, maxFaces: Int) -> Int32 {
    guard let cfgPointer = model.pointee.detect, maxFaces > 0 else { return 0 }
    let cfg = cfgPointer.pointee
    let keypoints = min(Int(cfg.num_keypoints), 6)
    var written = 0
    for i in 0..<count where c[i].anchor >= 0 {
        guard let top = bfDecode(model, arena: arena, anchor: Int(c[i].anchor)) else { continue }
        // Sums over the cluster in the host's order: the top first, then the members by rank.
        var total = c[i].score, members = 1
        var sum = top, weight = c[i].score
        sum.xMin = top.xMin * weight; sum.yMin = top.yMin * weight
        sum.xMax = top.xMax * weight; sum.yMax = top.yMax * weight
        for k in 0..<(2 * keypoints) { sum[k] = 0 + top[k] * weight }
        var kpWeight = weight
        for j in (i + 1)..<max(i + 1, count) where c[j].anchor >= 0 {
            guard let d = bfDecode(model, arena: arena, anchor: Int(c[j].anchor)), d.iou(top) > cfg.iou_threshold else { continue }
            weight = c[j].score
            total += weight
            members += 1
            sum.xMin += d.xMin * weight; sum.yMin += d.yMin * weight
            sum.xMax += d.xMax * weight; sum.yMax += d.yMax * weight
            for k in 0..<(2 * keypoints) { sum[k] += d[k] * weight }
            kpWeight += weight
            c[j].anchor = -1
        }
        var merged = top
        if members > 1, total > 0, total.isFinite {
            merged.xMin = sum.xMin / total; merged.yMin = sum.yMin / total
            merged.xMax = sum.xMax / total; merged.yMax = sum.yMax / total
            for k in 0..<(2 * keypoints) { merged[k] = sum[k] / kpWeight }
        }
        if bfFace(merged, score: c[i].score, cfg: cfg, width: Float(model.pointee.input_w), height: Float(model.pointee.input_h),
                  keypoints: keypoints, into: faces + written) {
            written += 1
            if written >= maxFaces { break }
        }
    }
    return Int32(truncatingIfNeeded: written)
}

/// Maps a detection to pixels of the frame, applies the WIDER box and the sanity checks and
/// clipping of the host's `FaceSanity`; false when the face is dropped.
func bfFace(_ d: BFDecoded, score: Float, cfg: bf_detect_config_t, width: Float, height: Float, keypoints: Int,
            into face: UnsafeMutablePointer<bf_face_t>) -> Bool {
    let x0 = d.xMin * width, y0 = d.yMin * height, x1 = d.xMax * width, y1 = d.yMax * height
    var bx = min(x0, x1), by = min(y0, y1), bw = abs(x1 - x0), bh = abs(y1 - y0)
    if !(cfg.box_up == 0 && cfg.box_width == 1 && cfg.box_height == 1) {
        let cx = bx + bw / 2
        let cy = by + bh / 2 - cfg.box_up * bh
        let w = bw * cfg.box_width, h = bh * cfg.box_height
        (bx, by, bw, bh) = (cx - w / 2, cy - h / 2, w, h)
    }
    var f = bf_face_t()
    f.score = score
    let long = max(max(width, height), 1)
    var finite = bx.isFinite && by.isFinite && bw.isFinite && bh.isFinite && score.isFinite
    withUnsafeMutableBytes(of: &f.keypoints) { kp in
        for k in 0..<(2 * keypoints) {
            let v = d[k] * (k % 2 == 0 ? width : height)
            kp.storeBytes(of: v, toByteOffset: 4 * k, as: Float.self)
            if !v.isFinite || abs(v) > 8 * long { finite = false }
        }
    }
    guard finite, bw >= 0, bh >= 0, bw <= 4 * long, bh <= 4 * long else { return false }
    let cx = bx + bw / 2, cy = by + bh / 2
    guard cx >= -long, cy >= -long, cx <= width + long, cy <= height + long else { return false }
    if cfg.clip_boxes != 0 && (bx < 0 || by < 0 || bx + bw > width || by + bh > height) {
        let cx0 = min(max(bx, 0), width), cy0 = min(max(by, 0), height)
        let cx1 = min(max(bx + bw, 0), width), cy1 = min(max(by + bh, 0), height)
        guard cx1 > cx0, cy1 > cy0 else { return false }
        (bx, by, bw, bh) = (cx0, cy0, cx1 - cx0, cy1 - cy0)
    }
    (f.x, f.y, f.width, f.height) = (bx, by, bw, bh)
    face.pointee = f
    return true
}

/// The centre of anchor `a` (fixed 1 x 1 anchors on grids), computed as the host's
/// `generateAnchors` does: (index + offset) / size.
func bfAnchor(_ cfg: bf_detect_config_t, _ a: Int) -> (Float, Float)? {
    guard let grids = cfg.grids else { return nil }
    var start = 0
    for g in 0..<Int(cfg.grid_count) {
        let w = Int(grids[3 * g]), h = Int(grids[3 * g + 1]), per = Int(grids[3 * g + 2])
        let n = w * h * per
        if a < start + n {
            let cell = (a - start) / per
            let x = cell % w, y = cell / w
            return ((Float(x) + cfg.anchor_offset_x) / Float(w), (Float(y) + cfg.anchor_offset_y) / Float(h))
        }
        start += n
    }
    return nil
}
