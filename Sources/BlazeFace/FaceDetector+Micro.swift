import Engine
import TFLite

/// What a microcontroller needs to turn the model's outputs into the same faces as
/// ``FaceDetector/detect(_:options:)`` on a frame of the model's input size (one pass):
/// anchors, output pairing, decoding constants, score tables and the box style.
public struct MicroDetection: Sendable {
    /// The anchor grids (width, height, anchors per cell), in anchor order; every anchor is 1 x 1
    /// with centre ((column, row) + ``anchorOffset``) / (width, height).
    public var grids: [(width: Int, height: Int, perCell: Int)]
    /// The anchors' offset within their cell.
    public var anchorOffset: (x: Float, y: Float)
    /// Anchors in all.
    public var anchorCount: Int
    /// Output positions of each head's scores and regressors, in anchor order.
    public var heads: [(scores: Int, boxes: Int)]
    /// Per head, the clipped sigmoid of each int8 score q at index q + 128: the score this host
    /// computes from the dequantized value.
    public var scoreTables: [[Float]]
    /// The family's decoding (scales, coordinates, keypoints).
    public var decoding: DecodeOptions
    /// The detector's thresholds.
    public var minScore: Float, iouThreshold: Float
    /// The reported box: the family's WIDER adjustment, or identity for the model's own box.
    public var box: BoxAdjustment
    /// True when boxes are clipped to the frame.
    public var clipBoxes: Bool
    /// The int8 input value of each 8-bit pixel value: what this detector writes into the model
    /// (p ^ 0x80 for ST's model; the family's normalisation, then QUANTIZE, for others).
    public var inputTable: [Int8]
}

extension FaceDetector {
    /// The decoding constants of this detector for a microcontroller export.
    ///
    /// - Throws: ``DetectorError`` when the firmware could not reproduce this detector: a
    ///   score output that is not a DEQUANTIZE of a per-tensor int8 tensor, NMS other than
    ///   weighted, a face limit, or a coordinate layout other than BlazeFace's (box first, then
    ///   six keypoints as x, y).
    public func microDetection() throws -> MicroDetection {
        guard options.nms == .weighted, options.maxFaces == nil else {
            throw DetectorError("the firmware runs weighted NMS with no face limit (have \(options.nms), max faces \(options.maxFaces.map(String.init) ?? "none"))")
        }
        let d = decodeOptions
        guard d.boxCoordOffset == 0, d.keypointCoordOffset == 4, d.valuesPerKeypoint == 2, d.numKeypoints <= 6,
              d.numCoords >= 4 + 2 * d.numKeypoints else {
            throw DetectorError("the firmware decodes BlazeFace's layout (box at 0, up to six x, y keypoints from 4)")
        }
        var tables: [[Float]] = []
        for head in heads {
            let t = model.outputIndices[head.scores]
            guard let producer = model.ops.last(where: { $0.runs && $0.outputs.contains(t) }), producer.op == .dequantize,
                  let q = producer.inputs.first, model.tensors[q].type == .int8, model.tensors[q].isPerTensorQuantized,
                  let scale = model.tensors[q].scales.first, let zp = model.tensors[q].zeroPoints.first else {
                throw DetectorError("score output \(head.scores) is not a DEQUANTIZE of a per-tensor int8 tensor")
            }
            tables.append((0..<256).map { k in
                let logit = Float(Double(scale) * Double(Int32(k - 128) - Int32(truncatingIfNeeded: zp)))
                return clippedSigmoid(logit, clip: d.scoreClippingThresh)
            })
        }
        let anchors = heads.flatMap { $0.anchors }
        let o = family.anchors, grids = Self.anchorGrids(o)
        let rebuilt = grids.flatMap { g in
            (0..<g.height).flatMap { y in
                (0..<g.width).flatMap { x in
                    Array(repeating: Anchor(xCenter: (Float(x) + o.anchorOffsetX) / Float(g.width),
                                            yCenter: (Float(y) + o.anchorOffsetY) / Float(g.height), width: 1, height: 1), count: g.perCell)
                }
            }
        }
        guard o.fixedAnchorSize, rebuilt == anchors else {
            throw DetectorError("the firmware computes fixed 1x1 anchors on grids; this family's anchors differ")
        }
        let table = try microInputTable(int8Tensor: model.microIO().inputTensor)
        return MicroDetection(grids: grids, anchorOffset: (o.anchorOffsetX, o.anchorOffsetY), anchorCount: anchors.count, heads: heads.map { ($0.scores, $0.regressors) }, scoreTables: tables, decoding: d,
                              minScore: options.minScore, iouThreshold: options.iouThreshold,
                              box: options.boxStyle == .wider ? family.widerBox : .identity, clipBoxes: options.clipBoxes, inputTable: table)
    }
}

extension FaceDetector {
    /// The grids of ``generateAnchors(_:)``: per run of layers with one stride, its grid and the
    /// number of anchor shapes per cell.
    static func anchorGrids(_ o: SSDAnchorOptions) -> [(width: Int, height: Int, perCell: Int)] {
        var grids: [(width: Int, height: Int, perCell: Int)] = []
        var layer = 0
        let explicit = !o.featureMapWidth.isEmpty
        while layer < o.numLayers, o.strides.count == o.numLayers, o.strides[layer] > 0 {
            let stride = o.strides[layer]
            var end = layer, shapes = 0
            while end < o.numLayers, o.strides[end] == stride {
                shapes += end == 0 && o.reduceBoxesInLowestLayer ? 3 : o.aspectRatios.count + (o.interpolatedScaleAspectRatio > 0 ? 1 : 0)
                end += 1
            }
            let w = explicit ? o.featureMapWidth[layer] : (o.inputWidth + stride - 1) / stride
            let h = explicit ? o.featureMapHeight[layer] : (o.inputHeight + stride - 1) / stride
            grids.append((w, h, shapes))
            layer = end
        }
        return grids
    }

    /// Feeds every pixel value through this detector's own input path and reads back the int8
    /// input tensor: the table the firmware applies to its frame.
    func microInputTable(int8Tensor: Int) throws -> [Int8] {
        let n = input.size * input.size * 3
        let pixels = (0..<n).map { UInt8(truncatingIfNeeded: $0) }
        let interpreter = Interpreter(model)
        input.feed(pixels, into: interpreter, model: model)
        guard let bytes = interpreter.tensorBytes(int8Tensor), bytes.count == n else {
            throw DetectorError("the model's int8 input tensor is not in the arena")
        }
        let values = bytes.map { Int8(bitPattern: $0) }
        let table = Array(values.prefix(256))
        guard values.indices.allSatisfy({ values[$0] == table[$0 % 256] }) else {
            throw DetectorError("the model's input quantization differs between channels; the firmware applies one table")
        }
        return table
    }
}
