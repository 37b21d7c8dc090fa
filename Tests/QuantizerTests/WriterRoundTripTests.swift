import Foundation
import Testing
import TestSupport
import TFLite

/// ModelWriter writes what TFLiteModel reads back, field for field.
@Suite struct WriterRoundTripTests {
    /// Writes `model`'s blueprint, reads it back and checks every part is the same; returns the bytes.
    @discardableResult
    func roundTrip(_ blueprint: ModelBlueprint) throws -> (TFLiteModel, [UInt8]) {
        let bytes = try ModelWriter.serialize(blueprint)
        let back = try TFLiteModel(bytes: bytes)
        #expect(back.version == blueprint.version)
        #expect(back.description == blueprint.description)
        #expect(back.operatorCodes == blueprint.operatorCodes)
        #expect(back.subgraphs == blueprint.subgraphs)
        #expect(back.signatures == blueprint.signatures)
        #expect(try back.metadata() == blueprint.metadata)
        #expect(back.buffers.count == blueprint.buffers.count)
        for (i, range) in back.buffers.enumerated() where i < blueprint.buffers.count {
            #expect(Array(back.storage.bytes[range]) == blueprint.buffers[i], "buffer \(i)")
            if !range.isEmpty { #expect(range.lowerBound % 16 == 0, "buffer \(i) starts at \(range.lowerBound)") }
        }
        // Writing what was read gives the same bytes.
        #expect(try ModelWriter.serialize(try ModelBlueprint(back)) == bytes)
        return (back, bytes)
    }

    @Test func floatFrontModelRoundTrips() throws {
        let model = try TFLiteModel(contentsOfFile: SharedData.floatModel)
        let (back, _) = try roundTrip(try ModelBlueprint(model))
        #expect(back.subgraphs[0].operators.count == 164)
        #expect(back.subgraphs[0].tensors.contains { $0.type == .float16 })
    }

    @Test(.requires(.int8Model)) func stInt8ModelRoundTrips() throws {
        let model = try TFLiteModel(contentsOfFile: SharedData.int8Model)
        let (back, _) = try roundTrip(try ModelBlueprint(model))
        // Per-channel quantization with its axis survives.
        let perChannel = back.subgraphs[0].tensors.filter { ($0.quantization?.scale.count ?? 0) > 1 }
        #expect(!perChannel.isEmpty)
        #expect(perChannel.contains { $0.quantization?.quantizedDimension == 3 })
        #expect(back.signatures.count == model.signatures.count)
    }

    @Test func everyOptionTypeAndLargeOpcodesRoundTrip() throws {
        let q = Quantization(scale: [0.5, 0.25], zeroPoint: [0, 0], quantizedDimension: 3)
        let tensors = [
            Tensor(name: "x", shape: [1, 4, 4, 2], type: .float32),
            Tensor(name: "w", shape: [1, 3, 3, 2], type: .int8, buffer: 1, quantization: q),
            Tensor(name: "b", shape: [2], type: .int32, buffer: 2),
            Tensor(name: "y", shape: [1, 4, 4, 2], type: .int8,
                   quantization: Quantization(scale: [0.1], zeroPoint: [-128])),
            Tensor(name: "v", shape: [3], type: .float32, isVariable: true),
        ]
        let options: [BuiltinOptions] = [
            .conv2D(ConvOptions(padding: .same, stride: 2, activation: .relu6)),
            .depthwiseConv2D(ConvOptions(padding: .valid, stride: 1, activation: .relu, depthMultiplier: 2)),
            .pool2D(PoolOptions(padding: .same, stride: 2, filter: 3, activation: .none)),
            .concatenation(axis: -1, activation: .reluN1To1),
            .add(activation: .relu, potScaleInt16: false),
            .reshape(newShape: [1, -1, 16]),
            .resizeBilinear(alignCorners: false, halfPixelCenters: true),
            .depthToSpace(blockSize: 2),
            .empty(unionType: 22),
            .none,
        ]
        let codes = [OperatorCode(builtin: .conv2D, version: 3), OperatorCode(builtin: .densify, version: 1),
                     OperatorCode(builtin: BuiltinOperator(rawValue: 150), version: 2),
                     OperatorCode(builtin: .custom, version: 1, customCode: "MyOp")]
        let ops = options.enumerated().map { k, o in
            Operator(opcodeIndex: k % codes.count, inputs: [0, 1, k % 2 == 0 ? 2 : -1], outputs: [3], options: o)
        }
        var b = ModelBlueprint(description: "round trip", operatorCodes: codes,
                               subgraphs: [Subgraph(tensors: tensors, inputs: [0], outputs: [3], operators: ops, name: "main")],
                               buffers: [[], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18], [0, 0, 0, 1, 0, 0, 0, 2]],
                               signatures: [SignatureDef(key: "serving_default", subgraph: 0, inputs: [("in", 0)], outputs: [("out", 3)])])
        b.addMetadata(name: "min_runtime_version", bytes: Array("1.14.0".utf8))
        let (back, bytes) = try roundTrip(b)
        #expect(Array(bytes[4..<8]) == Array("TFL3".utf8))
        #expect(try back.metadataBytes(named: "min_runtime_version") == Array("1.14.0".utf8))
        #expect(try back.metadataBytes(named: "absent") == nil)
        // Codes past 126 only fit the extended field (the deprecated byte holds 127).
        #expect(back.operatorCodes[2].builtin.rawValue == 150)
        #expect(back.operatorCodes[3].customCode == "MyOp")
    }

    @Test func unwritableModelsAreErrors() throws {
        let t = Tensor(name: "x", shape: [1], type: .float32)
        let other = ModelBlueprint(operatorCodes: [OperatorCode(builtin: .add)],
                                   subgraphs: [Subgraph(tensors: [t], inputs: [0], outputs: [0],
                                                        operators: [Operator(opcodeIndex: 0, inputs: [0], outputs: [0], options: .other(unionType: 40))])],
                                   buffers: [[]])
        #expect(throws: ModelError.self) { try ModelWriter.serialize(other) }
        let badBuffer = ModelBlueprint(operatorCodes: [], subgraphs: [Subgraph(tensors: [Tensor(name: "x", shape: [1], type: .float32, buffer: 5)],
                                                                               inputs: [0], outputs: [0], operators: [])],
                                       buffers: [[]])
        let error = try #require(throws: ModelError.self) { try ModelWriter.serialize(badBuffer) }
        #expect(error.message.contains("buffer index 5 out of range"))
        let badOpcode = ModelBlueprint(operatorCodes: [], subgraphs: [Subgraph(tensors: [t], inputs: [0], outputs: [0],
                                                                               operators: [Operator(opcodeIndex: 3, inputs: [0], outputs: [0])])],
                                       buffers: [[]])
        #expect(throws: ModelError.self) { try ModelWriter.serialize(badOpcode) }
        let nonEmptySentinel = ModelBlueprint(operatorCodes: [], subgraphs: [], buffers: [[1]])
        #expect(throws: ModelError.self) { try ModelWriter.serialize(nonEmptySentinel) }
    }
}
