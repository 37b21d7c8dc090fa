import Foundation
import Testing
import TestSupport
@testable import TFLite
#if canImport(Glibc)
import Glibc
#endif

/// Model files get the same checks as images: a regular file, within a size limit.
@Suite struct ModelFileTests {
    static func tempDir() throws -> String {
        let d = NSTemporaryDirectory() + "tflite-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test func fifoGivenAsAModelFailsAtOnce() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/model.tflite"
        #expect(mkfifo(fifo, 0o600) == 0)
        let start = Date()
        #expect(throws: ModelError(file: fifo, "is a FIFO (named pipe), not a regular file")) {
            try TFLiteModel(contentsOfFile: fifo)
        }
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func devZeroIsRefusedWithoutReading() throws {
        #expect(throws: ModelError(file: "/dev/zero", "is a character device, not a regular file")) {
            try TFLiteModel(contentsOfFile: "/dev/zero")
        }
    }

    @Test func oversizedModelFileIsRefusedBeforeReading() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Sparse: 1 GiB + 1 byte of nothing, so the test costs no disk or memory.
        let big = dir + "/big.tflite"
        let fd = open(big, O_WRONLY | O_CREAT, 0o600)
        #expect(fd >= 0)
        #expect(ftruncate(fd, off_t(ByteStorage.defaultMaximumFileSize + 1)) == 0)
        close(fd)
        #expect(throws: ModelError(file: big, "file is 1073741825 bytes, larger than the 1073741824-byte limit for a model file")) {
            try TFLiteModel(contentsOfFile: big)
        }
        // A real model read with a limit just below its size is refused; at its size it loads.
        let model = SharedData.fetchedModel("face_detection_front.tflite")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: model)[.size] as? Int)
        #expect(throws: ModelError(file: model, "file is \(size) bytes, larger than the \(size - 1)-byte limit for a model file")) {
            try ByteStorage(contentsOfFile: model, maximumSize: size - 1)
        }
        let storage = try ByteStorage(contentsOfFile: model, maximumSize: size)
        #expect(storage.bytes.count == size)
        #expect(Array(storage.bytes[4..<8]) == Array("TFL3".utf8))
        let loaded = try TFLiteModel(contentsOfFile: model)
        #expect(loaded.subgraphs.count == 1)
    }
}
