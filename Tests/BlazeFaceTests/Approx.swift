import BlazeFace

/// Absolute-tolerance comparisons; the tolerance is stated at each call site.
func isClose(_ a: Float, _ b: Float, tolerance: Float) -> Bool {
    abs(a - b) <= tolerance
}

/// True when all four corners are within `tolerance`.
func isClose(_ a: NormalizedBox, _ b: NormalizedBox, tolerance: Float) -> Bool {
    isClose(a.xMin, b.xMin, tolerance: tolerance) && isClose(a.yMin, b.yMin, tolerance: tolerance)
        && isClose(a.xMax, b.xMax, tolerance: tolerance) && isClose(a.yMax, b.yMax, tolerance: tolerance)
}

/// True when the point lists have equal length and coordinates within `tolerance`.
func isClose(_ a: [NormalizedPoint], _ b: [NormalizedPoint], tolerance: Float) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy {
        isClose($0.x, $1.x, tolerance: tolerance) && isClose($0.y, $1.y, tolerance: tolerance)
    }
}
