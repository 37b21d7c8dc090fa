/// Generates SSD anchors the way MediaPipe's `SsdAnchorsCalculator` does.
///
/// Layers are walked in order; a run of consecutive layers with the same stride shares one grid.
/// For each layer of the run, every aspect ratio adds one anchor per cell (scale linearly
/// interpolated between `minScale` and `maxScale` by layer index), and a positive
/// `interpolatedScaleAspectRatio` adds one more whose scale is the geometric mean of this layer's
/// and the next layer's (1.0 after the last layer). Anchors are emitted run by run, then row (y)
/// outer, column (x) inner, with a cell's anchors consecutive. A cell centre is
/// `((x + anchorOffsetX) / gridWidth, (y + anchorOffsetY) / gridHeight)`.
///
/// For ``SSDAnchorOptions/blazeFaceFront`` this gives 896 anchors: 512 on the 16x16 grid
/// (2 per cell) followed by 384 on the 8x8 grid (6 per cell).
///
/// - Parameter options: The anchor options. `strides.count` must equal `numLayers`, and explicit
///   feature map sizes, when given, must have one entry per layer.
/// - Returns: The anchors in model output order, or an empty array when the options are
///   inconsistent (layer count mismatch, non-positive stride or grid size).
public func generateAnchors(_ options: SSDAnchorOptions) -> [Anchor] {
    let layerCount = options.numLayers
    guard layerCount > 0, options.strides.count == layerCount else { return [] }
    let explicitGrid = !options.featureMapWidth.isEmpty || !options.featureMapHeight.isEmpty
    if explicitGrid {
        guard options.featureMapWidth.count == layerCount,
              options.featureMapHeight.count == layerCount else { return [] }
    }

    var anchors: [Anchor] = []
    var layer = 0
    while layer < layerCount {
        let stride = options.strides[layer]
        guard stride > 0 else { return [] }

        // Collect (scale, aspect ratio) pairs of every layer in this same-stride run.
        var shapes: [(scale: Float, aspectRatio: Float)] = []
        var runEnd = layer
        while runEnd < layerCount, options.strides[runEnd] == stride {
            let scale = anchorScale(options, layer: runEnd)
            if runEnd == 0, options.reduceBoxesInLowestLayer {
                shapes.append((0.1, 1.0))
                shapes.append((scale, 2.0))
                shapes.append((scale, 0.5))
            } else {
                for ratio in options.aspectRatios {
                    shapes.append((scale, ratio))
                }
                if options.interpolatedScaleAspectRatio > 0 {
                    let next: Float = runEnd == layerCount - 1
                        ? 1.0 : anchorScale(options, layer: runEnd + 1)
                    shapes.append(((scale * next).squareRoot(), options.interpolatedScaleAspectRatio))
                }
            }
            runEnd += 1
        }

        let gridWidth = explicitGrid
            ? options.featureMapWidth[layer] : ceilDivide(options.inputWidth, stride)
        let gridHeight = explicitGrid
            ? options.featureMapHeight[layer] : ceilDivide(options.inputHeight, stride)
        guard gridWidth > 0, gridHeight > 0 else { return [] }

        anchors.reserveCapacity(anchors.count + gridWidth * gridHeight * shapes.count)
        for y in 0..<gridHeight {
            let yCenter = (Float(y) + options.anchorOffsetY) / Float(gridHeight)
            for x in 0..<gridWidth {
                let xCenter = (Float(x) + options.anchorOffsetX) / Float(gridWidth)
                for shape in shapes {
                    if options.fixedAnchorSize {
                        anchors.append(Anchor(xCenter: xCenter, yCenter: yCenter, width: 1, height: 1))
                    } else {
                        let ratioRoot = shape.aspectRatio.squareRoot()
                        anchors.append(Anchor(
                            xCenter: xCenter, yCenter: yCenter,
                            width: shape.scale * ratioRoot, height: shape.scale / ratioRoot))
                    }
                }
            }
        }
        layer = runEnd
    }
    return anchors
}

/// MediaPipe's `CalculateScale`: linear from `minScale` to `maxScale` over the layers, or their
/// mean when there is a single layer.
private func anchorScale(_ options: SSDAnchorOptions, layer: Int) -> Float {
    let count = options.strides.count
    if count == 1 {
        return (options.minScale + options.maxScale) * 0.5
    }
    return options.minScale
        + (options.maxScale - options.minScale) * Float(layer) / Float(count - 1)
}

/// `ceil(value / divisor)` for positive integers.
private func ceilDivide(_ value: Int, _ divisor: Int) -> Int {
    (value + divisor - 1) / divisor
}
