/// Separable RGB resampler (vertical pass into a float row, then
/// horizontal pass) using `ResampleAxis` weights. Allocates one float row
/// per call; nothing per pixel.
enum Resampler {
    /// Resamples the whole `sourceWidth` x `sourceHeight` RGB image into the
    /// `width` x `height` rectangle whose top-left pixel is (`originX`,
    /// `originY`) of a destination with `rowStride` bytes per row.
    /// Source rows are `sourceRowStride` bytes apart (default: packed), so a region of a larger
    /// image resamples in place.
    static func resample(source: UnsafeBufferPointer<UInt8>, sourceWidth: Int, sourceHeight: Int,
                         sourceRowStride: Int? = nil,
                         into destination: UnsafeMutableBufferPointer<UInt8>, rowStride: Int,
                         originX: Int, originY: Int, width: Int, height: Int) {
        let sourceStride = sourceRowStride ?? sourceWidth * 3
        precondition(sourceWidth > 0 && sourceHeight > 0 && width > 0 && height > 0)
        precondition(sourceStride >= sourceWidth * 3)
        precondition(source.count >= (sourceHeight - 1) * sourceStride + sourceWidth * 3)
        precondition(originX >= 0 && originY >= 0 && (originX + width) * 3 <= rowStride)
        precondition(destination.count >= (originY + height - 1) * rowStride + (originX + width) * 3)
        guard let sourceBase = source.baseAddress, let destinationBase = destination.baseAddress else { return }
        if sourceWidth == width && sourceHeight == height {
            // Same size (e.g. a 1/8-scale JPEG decode that already has the model's side): a copy.
            for y in 0..<height {
                (destinationBase + (originY + y) * rowStride + originX * 3).update(from: sourceBase + y * sourceStride, count: width * 3)
            }
            return
        }

        let xAxis = ResampleAxis(source: sourceWidth, destination: width)
        let yAxis = ResampleAxis(source: sourceHeight, destination: height)
        let rowLength = sourceWidth * 3
        var row = [Float](repeating: 0, count: rowLength)

        row.withUnsafeMutableBufferPointer { rowBuffer in
            guard let accumulator = rowBuffer.baseAddress else { return }
            xAxis.weights.withUnsafeBufferPointer { xWeights in
            yAxis.weights.withUnsafeBufferPointer { yWeights in
            xAxis.starts.withUnsafeBufferPointer { xStarts in
            xAxis.counts.withUnsafeBufferPointer { xCounts in
                // The axes hold exactly `width` and `height` entries with in-range taps
                // (ResampleAxis), so the loops below index them without further checks.
                guard let xw = xWeights.baseAddress, let yw = yWeights.baseAddress,
                      let xs = xStarts.baseAddress, let xc = xCounts.baseAddress else { return }
                for oy in 0..<height {
                    // Vertical pass: weighted sum of the source rows.
                    let yStart = yAxis.starts[oy]
                    let yTaps = yAxis.counts[oy]
                    let firstWeight = yw[oy * yAxis.maxTaps]
                    let firstRow = sourceBase + yStart * sourceStride
                    for i in 0..<rowLength { accumulator[i] = firstWeight * Float(firstRow[i]) }
                    if yTaps > 1 {
                        for k in 1..<yTaps {
                            let weight = yw[oy * yAxis.maxTaps + k]
                            let sourceRow = sourceBase + (yStart + k) * sourceStride
                            for i in 0..<rowLength { accumulator[i] += weight * Float(sourceRow[i]) }
                        }
                    }
                    // Horizontal pass.
                    let out = destinationBase + (originY + oy) * rowStride + originX * 3
                    let maxTaps = xAxis.maxTaps
                    for ox in 0..<width {
                        let xStart = xs[ox] * 3
                        let xTaps = xc[ox]
                        let weightBase = ox * maxTaps
                        var r: Float = 0, g: Float = 0, b: Float = 0
                        for k in 0..<xTaps {
                            let weight = xw[weightBase + k]
                            let p = xStart + k * 3
                            r += weight * accumulator[p]
                            g += weight * accumulator[p + 1]
                            b += weight * accumulator[p + 2]
                        }
                        out[ox * 3] = toByte(r)
                        out[ox * 3 + 1] = toByte(g)
                        out[ox * 3 + 2] = toByte(b)
                    }
                }
            }
            }
            }
            }
        }
    }

    @inline(__always)
    static func toByte(_ value: Float) -> UInt8 {
        let rounded = value + 0.5
        if rounded <= 0 { return 0 }
        if rounded >= 255 { return 255 }
        return UInt8(rounded)  // truncation of a value in (0, 255)
    }
}
