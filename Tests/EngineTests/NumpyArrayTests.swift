import Foundation
import Testing
import TFLite
@testable import Engine
@testable import ModelTools

@Suite struct NumpyArrayTests {
    @Test func roundTripsEveryWritableType() throws {
        for (type, bytes) in [(TensorType.float32, 4), (.uint8, 1), (.int8, 1), (.int32, 4)] {
            let data = (0..<(6 * bytes)).map { UInt8(truncatingIfNeeded: $0 &* 37) }
            let a = try NumpyArray(type: type, shape: [2, 3], data: data)
            let encoded = a.npyBytes()
            #expect(encoded.count % 64 == data.count % 64)  // header padded to 64 bytes
            #expect(try NumpyArray(npyBytes: encoded) == a)
        }
        let scalarShape = try NumpyArray(shape: [4], floats: [1, -2, 3.5, 0])
        #expect(String(decoding: scalarShape.npyBytes()[10..<70], as: UTF8.self).contains("'shape': (4,)"))
        #expect(try NumpyArray(npyBytes: scalarShape.npyBytes()).floats == [1, -2, 3.5, 0])
    }

    @Test func readsWhatNumPyWrites() throws {
        // np.save of np.arange(3, dtype=np.int8).reshape(1, 3), version 1.0.
        var header = "{'descr': '|i1', 'fortran_order': False, 'shape': (1, 3), }"
        header += String(repeating: " ", count: 128 - 10 - header.utf8.count - 1) + "\n"
        let bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8) + [0, 1, 2]
        let a = try NumpyArray(npyBytes: bytes)
        #expect(a.type == .int8 && a.shape == [1, 3] && a.data == [0, 1, 2])
    }

    @Test func malformedFilesGetClearErrors() throws {
        let good = try NumpyArray(shape: [2, 2], floats: [1, 2, 3, 4]).npyBytes()
        func message(_ b: [UInt8]) -> String {
            do {
                _ = try NumpyArray(npyBytes: b)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(message([]).contains("not a .npy file"))
        #expect(message(Array(good.prefix(9))).contains("not a .npy file"))
        #expect(message(Array(good.dropLast(1))).contains("data is 15 bytes; shape [2, 2] of float32 needs 16"))
        var v = good
        v[6] = 9
        #expect(message(v).contains("unsupported .npy version 9"))
        v = good
        v[8] = 0xff
        v[9] = 0xff
        #expect(message(v).contains("header length"))
        // Edit the header text in place (same length), keeping the binary magic.
        func edited(_ from: String, _ to: String) -> [UInt8] {
            let header = String(decoding: good[10..<128], as: UTF8.self).replacingOccurrences(of: from, with: to)
            return Array(good[0..<10]) + Array(header.utf8) + Array(good[128...])
        }
        #expect(message(edited("<f4", ">f4")).contains("unsupported dtype \">f4\""))
        #expect(message(edited("False", "True ")).contains("Fortran"))
        #expect(message(edited("(2, 2)", "(2, x)")).contains("bad dimension"))
        #expect(throws: NumpyError.self) { try NumpyArray(type: .float32, shape: [3], data: [1, 2]) }
        #expect(throws: NumpyError.self) { try NumpyArray(contentsOfFile: "/nonexistent.npy") }
    }
}
