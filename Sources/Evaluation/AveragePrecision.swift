/// The two ways of turning a precision-recall curve into average precision used here.
enum AveragePrecision {
    /// PASCAL VOC continuous AP, as the WIDER FACE `VOCap`: sentinels recall 0/1 and precision
    /// 0/0 at both ends, precision replaced by its running maximum from the right (NaN entries
    /// are skipped, as MATLAB's `max` skips them), then the sum of recall steps times the
    /// precision at the end of each step.
    /// - Parameters:
    ///   - recall: Recall values, non-decreasing.
    ///   - precision: Precision values, same count (NaN allowed where nothing was proposed).
    static func voc(recall: [Double], precision: [Double]) -> Double {
        let mrec = [0.0] + recall + [1.0]
        var mpre = [0.0] + precision + [0.0]
        for index in stride(from: mpre.count - 2, through: 0, by: -1) {
            let here = mpre[index]
            let right = mpre[index + 1]
            if here.isNaN {
                mpre[index] = right
            } else if !right.isNaN {
                mpre[index] = max(here, right)
            }
        }
        var sum = 0.0
        for index in 1..<mrec.count where mrec[index] != mrec[index - 1] {
            sum += (mrec[index] - mrec[index - 1]) * mpre[index]
        }
        return sum
    }

    /// The 101 recall sample points of the COCO-style interpolation: `numpy.linspace(0, 1, 101)`,
    /// i.e. `i * 0.01` with the last point exactly 1.
    static let cocoRecallPoints: [Double] = (0...100).map { $0 == 100 ? 1.0 : Double($0) * (1.0 / 100.0) }

    /// Linear interpolation with the exact semantics of `numpy.interp` for non-decreasing `xp`
    /// (duplicates allowed): for x inside the range, take the last j with `xp[j] <= x`; at the
    /// last point or on an exact hit return `fp[j]`, else interpolate between j and j + 1.
    /// Outside the range return the first or last `fp`.
    static func numpyInterp(_ x: Double, xp: [Double], fp: [Double]) -> Double {
        guard let firstX = xp.first, let lastX = xp.last, let firstY = fp.first, let lastY = fp.last else { return .nan }
        if x < firstX { return firstY }
        if x > lastX { return lastY }
        // Last index with xp[j] <= x (binary search; xp is sorted).
        var low = 0
        var high = xp.count
        while low < high {
            let mid = low + (high - low) / 2
            if x >= xp[mid] { low = mid + 1 } else { high = mid }
        }
        let j = low - 1
        if j == xp.count - 1 { return fp[j] }
        if xp[j] == x { return fp[j] }
        let slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
        return slope * (x - xp[j]) + fp[j]
    }

    /// The trapezoid rule as `numpy.trapz(y, x)`: the sum of `(x[i+1] - x[i]) * (y[i+1] + y[i]) / 2`.
    static func trapezoid(y: [Double], x: [Double]) -> Double {
        var sum = 0.0
        let count = min(x.count, y.count)
        guard count >= 2 else { return 0 }
        for index in 0..<(count - 1) {
            sum += (x[index + 1] - x[index]) * (y[index + 1] + y[index]) / 2.0
        }
        return sum
    }
}
