import Foundation
import Testing
import TestSupport
@testable import TFLite

@Suite struct ReaderTests {
    static let int8Bytes: [UInt8]? = FileManager.default.contents(atPath: SharedData.int8Model).map { [UInt8]($0) }

    @Test(.requires(.int8Model)) func readsTheInt8Model() throws {
        let m = try TFLiteModel(contentsOfFile: SharedData.int8Model)
        #expect(m.version == 3)
        #expect(m.subgraphs.count == 1)
        let g = m.subgraphs[0]
        #expect(g.operators.count == 76)
        #expect(g.inputs == [0])
        #expect(g.tensors[0].shape == [1, 128, 128, 3])
        #expect(g.tensors[0].type == .float32)
        // The input QUANTIZE output: scale 1/255, zero point -128 (it represents [0, 1]).
        let q = try #require(g.tensors[82].quantization)
        #expect(q.scale == [Float(0.003921568859368563)])
        #expect(q.zeroPoint == [-128])
        // Op histogram from PIPELINE.md.
        var counts: [String: Int] = [:]
        for op in g.operators { counts[m.code(of: op)?.builtin.description ?? "?", default: 0] += 1 }
        #expect(counts == ["QUANTIZE": 1, "CONV_2D": 21, "DEPTHWISE_CONV_2D": 16, "ADD": 16, "PAD": 11,
                           "MAX_POOL_2D": 3, "RESHAPE": 4, "DEQUANTIZE": 4])
        // The first convolution: 5x5 stride 2, per-channel weights along axis 0.
        let conv = g.operators[1]
        guard case .conv2D(let o) = conv.options else { Issue.record("op 1 options: \(conv.options)"); return }
        #expect(o.strideW == 2 && o.strideH == 2 && o.padding == .same && o.activation == .relu)
        let w = g.tensors[conv.inputs[1]]
        #expect(w.shape == [24, 5, 5, 3])
        #expect(w.quantization?.scale.count == 24)
        #expect(w.quantization?.quantizedDimension == 0)
        // Signatures name the outputs.
        #expect(m.signatures.first?.outputs.map(\.name).sorted() ==
                ["tf_op_layer_classificators_1", "tf_op_layer_classificators_2", "tf_op_layer_regressors_1", "tf_op_layer_regressors_2"])
    }

    @Test func readsTheFloatModel() throws {
        let m = try TFLiteModel(contentsOfFile: SharedData.floatModel)
        let g = m.subgraphs[0]
        #expect(g.outputs.map { g.tensors[$0].shape } == [[1, 896, 16], [1, 896, 1]])
        #expect(g.tensors.contains { $0.type == .float16 })
        #expect(g.operators.contains { m.code(of: $0)?.builtin == .concatenation })
    }

    @Test func readsAHandMadeModel() throws {
        let m = try TFLiteModel(bytes: TinyAddModel().bytes)
        #expect(m.subgraphs[0].tensors.map(\.name) == ["a", "b", "sum"])
        #expect(m.subgraphs[0].operators[0].options == .add(activation: .none, potScaleInt16: true))
        #expect(m.operatorCodes[0].builtin == .add)
    }

    /// Every truncation of the real model (at a stride, plus the first 64 lengths) must throw a
    /// ModelError, never crash.
    @Test(.requires(.int8Model)) func everyTruncationThrows() throws {
        let bytes = try #require(Self.int8Bytes)
        var lengths = Array(0..<64)
        lengths += stride(from: 64, to: bytes.count, by: 997)
        lengths += [bytes.count - 1, bytes.count - 4, bytes.count - 100]
        for n in lengths {
            #expect(throws: ModelError.self, "length \(n)") { try TFLiteModel(bytes: Array(bytes[0..<n])) }
        }
    }

    /// Random byte flips: the reader either throws a ModelError or returns a model whose every
    /// index is in range (checked by reading through them).
    @Test(.requires(.int8Model)) func randomByteFlipsNeverCrash() throws {
        let bytes = try #require(Self.int8Bytes)
        var rng = SplitMix64(seed: 42)
        var thrown = 0
        // Flip within the metadata region (the flatbuffer tables), where flips matter most,
        // and anywhere in the file.
        for trial in 0..<400 {
            var b = bytes
            for _ in 0..<(1 + trial % 4) {
                let pos = Int(rng.next() % UInt64(b.count))
                b[pos] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            }
            do {
                let m = try TFLiteModel(bytes: b)
                for g in m.subgraphs {
                    for op in g.operators {
                        _ = try #require(m.code(of: op))
                        for t in op.inputs where t >= 0 { _ = g.tensors[t] }
                        for t in op.outputs { _ = g.tensors[t] }
                    }
                    for t in g.tensors { _ = m.buffers[t.buffer] }
                }
            } catch is ModelError {
                thrown += 1
            }
        }
        #expect(thrown > 0)
    }

    @Test func hostileFlatBuffers() throws {
        let base = TinyAddModel()
        func expectError(_ b: [UInt8], containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                _ = try TFLiteModel(bytes: b)
                Issue.record("expected an error containing '\(text)'", sourceLocation: sourceLocation)
            } catch let e as ModelError {
                #expect(e.description.contains(text), "got: \(e)", sourceLocation: sourceLocation)
            } catch {
                Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            }
        }
        func patched(_ pos: Int, _ v: UInt32) -> [UInt8] {
            let w = FlatBufferWriter()
            w.bytes = base.bytes
            w.set(v, at: pos)
            return w.bytes
        }
        expectError([], containing: "too short")
        expectError(Array(repeating: 0, count: 7), containing: "too short")
        // Root offset outside the file.
        expectError(patched(0, 0xFFFF_FFF0), containing: "points outside")
        // Wrong file identifier.
        var ident = base.bytes
        ident[4] = UInt8(ascii: "X")
        expectError(ident, containing: "file identifier")
        // A vtable offset pointing outside the file.
        expectError(patched(base.firstTensor, 0x7FFF_FFFF), containing: "vtable")
        // A huge vector length.
        expectError(patched(base.subgraphsVector, 0xFFFF_FFFF), containing: "runs past the end")
        expectError(patched(base.tensorsVector, 0x4000_0000), containing: "runs past the end")
        // A cycle: a vector element that points at itself (offset 0).
        expectError(patched(base.subgraphsVector + 4, 0), containing: "vtable size")
        // Wrong type: the subgraph vector's element points at a string instead of a table.
        // (The tensor's name string follows its shape vector; aim at the string "a".)
        let nameString = base.bytes.indices.first { i in
            i + 6 <= base.bytes.count && Array(base.bytes[i..<(i + 6)]) == [1, 0, 0, 0, UInt8(ascii: "a"), 0]
        } ?? 0
        #expect(nameString > 0)
        expectError(patched(base.subgraphsVector + 4, UInt32(nameString - base.subgraphsVector - 4)), containing: "subgraphs[0]")
        // Indices out of range.
        expectError(patched(base.operatorInputsVector + 4, 99), containing: "tensor index 99 out of range")
        expectError(patched(base.opcodeIndexField, 5), containing: "opcode index 5 out of range")
        expectError(patched(base.tensorBufferField, 7), containing: "buffer index 7 out of range")
        // Errors say where.
        do {
            _ = try TFLiteModel(bytes: patched(base.operatorInputsVector + 4, 99))
        } catch let e as ModelError {
            #expect(e.location == "subgraphs[0].operators[0].inputs[0]")
        }
    }

    @Test func missingAndDirectoryPathsAreNamed() {
        #expect(throws: ModelError(file: "/nonexistent/model.tflite", "no such file")) {
            try TFLiteModel(contentsOfFile: "/nonexistent/model.tflite")
        }
        #expect(throws: ModelError(file: "/tmp", "is a directory, not a model file")) {
            try TFLiteModel(contentsOfFile: "/tmp")
        }
    }
}

