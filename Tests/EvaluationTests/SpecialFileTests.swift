import Foundation
import Testing
@testable import Evaluation
#if canImport(Glibc)
import Glibc
#endif

/// MAT-files, WIDER text files and prediction files are read like models and images: a FIFO, a
/// device or a directory is refused at once with a message naming it, instead of blocking or
/// reading without end.
@Suite("Evaluation inputs that are not regular files")
struct SpecialFileTests {
    /// Runs `body` and records how long it took.
    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = Date()
        let value = try body()
        return (value, Date().timeIntervalSince(start))
    }

    @Test("A FIFO given as a MAT-file fails at once, naming it")
    func fifoMATFile() throws {
        let dir = try makeTemporaryDirectory("fifo-mat")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/wider_easy_val.mat"
        #expect(mkfifo(fifo, 0o600) == 0)
        let (error, seconds) = Self.timed { () -> MATError? in
            do { _ = try MATFile(contentsOfFile: fifo); return nil } catch let e as MATError { return e } catch { return nil }
        }
        let e = try #require(error, "a FIFO was read as a MAT-file")
        #expect(e.fileName == fifo)
        #expect(e.reason == "is a FIFO (named pipe), not a regular file")
        #expect("\(e)".hasPrefix("\(fifo): is a FIFO (named pipe), not a regular file"))
        #expect(seconds < 5)
    }

    @Test("/dev/zero and a directory are refused as MAT-files without reading")
    func deviceAndDirectoryMATFile() throws {
        let dir = try makeTemporaryDirectory("dir-mat")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: MATError(fileName: "/dev/zero", reason: "is a character device, not a regular file", offset: 0)) {
            try MATFile(contentsOfFile: "/dev/zero")
        }
        #expect(throws: MATError(fileName: dir, reason: "is a directory, not a MAT file", offset: 0)) {
            try MATFile(contentsOfFile: dir)
        }
        #expect(throws: MATError(fileName: dir + "/none.mat", reason: "no such file", offset: 0)) {
            try MATFile(contentsOfFile: dir + "/none.mat")
        }
    }

    @Test("A FIFO among the WIDER split files or the prediction files fails at once, naming it")
    func fifoTextFiles() throws {
        let dir = try makeTemporaryDirectory("fifo-text")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let box = dir + "/wider_face_val_bbx_gt.txt"
        try Data("1--A/a.jpg\n1\n1 2 3 4 0 0 0 0 0 0\n".utf8).write(to: URL(fileURLWithPath: box))
        for name in ["keep_easy.txt", "keep_medium.txt"] {
            try Data("1--A/a.jpg 1 1\n".utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        #expect(mkfifo(dir + "/keep_hard.txt", 0o600) == 0)
        let (gtError, gtSeconds) = Self.timed { () -> EvaluationDataError? in
            do { _ = try WiderGroundTruth.loadText(splitDirectory: dir); return nil } catch let e as EvaluationDataError { return e } catch { return nil }
        }
        #expect(gtError == EvaluationDataError(file: dir + "/keep_hard.txt", reason: "is a FIFO (named pipe), not a regular file"))
        #expect(gtSeconds < 5)

        let predictions = dir + "/predictions"
        try FileManager.default.createDirectory(atPath: predictions + "/1--A", withIntermediateDirectories: true)
        try Data("a\n1\n1 2 3 4 0.9\n".utf8).write(to: URL(fileURLWithPath: predictions + "/1--A/a.txt"))
        #expect(mkfifo(predictions + "/1--A/b.txt", 0o600) == 0)
        let (pError, pSeconds) = Self.timed { () -> EvaluationDataError? in
            do { _ = try WiderPredictionSet.load(from: predictions); return nil } catch let e as EvaluationDataError { return e } catch { return nil }
        }
        #expect(pError == EvaluationDataError(file: predictions + "/1--A/b.txt", reason: "is a FIFO (named pipe), not a regular file"))
        #expect(pSeconds < 5)
    }
}
