/// Sparse storage of a constant tensor (`tflite.SparsityParameters`, TACO-style).
///
/// The stored values follow ``traversalOrder``; each traversed dimension is dense (all of
/// `denseSize` positions) or CSR-compressed (`segments` delimit, per position of the previous
/// dimension, a run of `indices` naming the non-zero coordinates). Dimensions past the tensor's
/// rank are block dimensions: ``blockMap`` names the original dimension each one subdivides.
public struct Sparsity: Sendable, Hashable {
    /// One traversed dimension.
    public enum Dimension: Sendable, Hashable {
        case dense(size: Int)
        case sparse(segments: [Int], indices: [Int])
    }

    public var traversalOrder: [Int]
    public var blockMap: [Int]
    public var dimensions: [Dimension]

    /// Expands the stored `values` (elements of `elementSize` bytes) into the dense row-major
    /// tensor of `shape`, zeros elsewhere.
    ///
    /// - Throws: ``ModelError`` when the metadata is inconsistent with the shape or the values.
    public func densify(_ values: UnsafeRawBufferPointer, shape: [Int], elementSize: Int) throws -> [UInt8] {
        let rank = shape.count
        let n = traversalOrder.count
        guard dimensions.count == n, n >= rank, blockMap.count == n - rank,
              Set(traversalOrder) == Set(0..<n), blockMap.allSatisfy({ (0..<rank).contains($0) }) else {
            throw ModelError("inconsistent sparsity metadata (traversal order \(traversalOrder), block map \(blockMap), \(dimensions.count) dimensions, rank \(rank))")
        }
        // Size of every expanded dimension (original dims divided by their blocks, then blocks).
        var dimSize = Array(repeating: 0, count: n)
        for (k, d) in dimensions.enumerated() {
            if case .dense(let s) = d { dimSize[traversalOrder[k]] = s }
        }
        var blockSize = Array(repeating: 1, count: rank)
        for (b, orig) in blockMap.enumerated() {
            let s = dimSize[rank + b]
            guard s > 0 else { throw ModelError("block dimension \(rank + b) must be dense with a size") }
            blockSize[orig] *= s
        }
        for d in 0..<rank where dimSize[d] == 0 {
            guard shape[d] % blockSize[d] == 0 else { throw ModelError("dimension \(d) of size \(shape[d]) is not a multiple of its block \(blockSize[d])") }
            dimSize[d] = shape[d] / blockSize[d]
        }
        var strides = Array(repeating: 1, count: rank)
        for d in stride(from: rank - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * shape[d + 1] }
        let total = shape.reduce(1, *)
        var out = [UInt8](repeating: 0, count: total * elementSize)
        var coord = Array(repeating: 0, count: n)
        var valueIndex = 0
        var failure: ModelError?
        // Depth-first walk in traversal order; `position` is the flat index within the current
        // level for CSR lookups (TFLite's FormatConverter semantics).
        func walk(_ level: Int, _ position: Int) {
            if failure != nil { return }
            if level == n {
                var flat = 0
                for d in 0..<rank {
                    var c = coord[d]
                    for (b, orig) in blockMap.enumerated() where orig == d { c = c * dimSize[rank + b] + coord[rank + b] }
                    guard c < shape[d] else { failure = ModelError("sparse coordinate \(c) out of range for dimension \(d) of size \(shape[d])"); return }
                    flat += c * strides[d]
                }
                guard (valueIndex + 1) * elementSize <= values.count else {
                    failure = ModelError("sparse tensor has fewer stored values (\(values.count / max(elementSize, 1))) than its metadata addresses")
                    return
                }
                for b in 0..<elementSize { out[flat * elementSize + b] = values[valueIndex * elementSize + b] }
                valueIndex += 1
                return
            }
            let dim = traversalOrder[level]
            switch dimensions[level] {
            case .dense(let size):
                for i in 0..<size {
                    coord[dim] = i
                    walk(level + 1, position * size + i)
                }
            case .sparse(let segments, let indices):
                guard position + 1 < segments.count, segments[position] >= 0, segments[position] <= segments[position + 1],
                      segments[position + 1] <= indices.count else {
                    failure = ModelError("CSR segments of dimension \(dim) are inconsistent at position \(position)")
                    return
                }
                for k in segments[position]..<segments[position + 1] {
                    guard indices[k] >= 0, indices[k] < dimSize[dim] else {
                        failure = ModelError("CSR index \(indices[k]) out of range for dimension \(dim)")
                        return
                    }
                    coord[dim] = indices[k]
                    walk(level + 1, k)
                }
            }
        }
        walk(0, 0)
        if let failure { throw failure }
        return out
    }
}
