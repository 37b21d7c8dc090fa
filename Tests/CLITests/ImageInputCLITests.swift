import Foundation
import Imaging
import Testing
import TestSupport

/// `detect` on the image inputs of issue #12.12 and the hostile ones of #15.4/#15.5, run as a
/// user would: standard input, WebP, extensionless files in a folder, unsupported formats, a FIFO.
@Suite struct ImageInputCLITests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let photo = packageRoot + "/samples/astronaut.png"
    static let model = SharedData.fetchedModel("face_detection_front.tflite")

    /// Runs the binary with `input` on its standard input.
    static func run(_ args: [String], stdin input: [UInt8]) throws -> CLITests.Output {
        try runProcess(CLITests.binary, args, stdin: input)
    }

    static func records(_ jsonl: String) throws -> [[String: Any]] {
        try jsonl.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    static func firstBox(_ record: [String: Any]) -> (x: Double, y: Double, w: Double, h: Double)? {
        guard let faces = record["faces"] as? [[String: Any]], let box = faces.first?["box"] as? [String: Double],
              let x = box["x"], let y = box["y"], let w = box["width"], let h = box["height"] else { return nil }
        return (x, y, w, h)
    }

    @Test func dashReadsTheImageFromStandardInput() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.photo)))
        let fromFile = try CLITests.run(["detect", "--model", Self.model, "--format", "jsonl", Self.photo])
        let fromStdin = try Self.run(["detect", "--model", Self.model, "--format", "jsonl", "-"], stdin: bytes)
        #expect(fromStdin.status == 0, "\(fromStdin.stderr)")
        let fileRecords = try Self.records(fromFile.stdout), stdinRecords = try Self.records(fromStdin.stdout)
        let a = try #require(fileRecords.first), b = try #require(stdinRecords.first)
        #expect(b["path"] as? String == "-")
        #expect(b["width"] as? Int == 512 && b["height"] as? Int == 512)
        #expect((b["faces"] as? [Any])?.count == 1)
        let boxA = try #require(Self.firstBox(a)), boxB = try #require(Self.firstBox(b))
        #expect(boxA == boxB)  // the same bytes, the same detection
        // Garbage on standard input is named as such.
        let bad = try Self.run(["detect", "--model", Self.model, "--format", "jsonl", "-"], stdin: Array("BM".utf8) + [UInt8](repeating: 0, count: 60))
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("<stdin>: BMP is not supported; supported: JPEG, PNG, WebP, PPM/PGM"))
    }

    @Test func folderScanFindsWebPAndExtensionlessImagesAndNamesUnsupportedOnes() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        let image = try ImageDecoder.decode(path: Self.photo)
        try Data(try ImageEncoder().webpData(image, lossless: true)).write(to: URL(fileURLWithPath: dir + "/astronaut.webp"))
        try FileManager.default.copyItem(atPath: Self.photo, toPath: dir + "/IMG_0001")         // a PNG without extension
        try Data(try ImageEncoder(jpegQuality: 95).jpegData(image)).write(to: URL(fileURLWithPath: dir + "/download.bin"))
        try Data(Array("BM".utf8) + [UInt8](repeating: 0, count: 60)).write(to: URL(fileURLWithPath: dir + "/scan.bmp"))
        try Data("holiday photos\n".utf8).write(to: URL(fileURLWithPath: dir + "/notes.txt"))
        let r = try CLITests.run(["detect", "--model", Self.model, "--format", "jsonl", dir])
        let records = try Self.records(r.stdout)
        let paths = records.compactMap { ($0["path"] as? String).map { ($0 as NSString).lastPathComponent } }
        #expect(paths == ["IMG_0001", "astronaut.webp", "download.bin", "scan.bmp"])
        let first = try #require(records.first)
        let reference = try #require(Self.firstBox(first))
        for record in records.prefix(3) {
            let box = try #require(Self.firstBox(record), "\(record)")
            #expect(abs(box.x - reference.x) < 3 && abs(box.y - reference.y) < 3 && abs(box.w - reference.w) < 3, "\(record)")
            #expect(record["width"] as? Int == 512)
        }
        #expect((records[3]["error"] as? String)?.hasSuffix("scan.bmp: BMP is not supported; supported: JPEG, PNG, WebP, PPM/PGM") == true)
    }

    @Test func fifoAndProgressiveBombDoNotStopTheBatch() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        let fifo = dir + "/pipe.jpg"
        #expect(mkfifo(fifo, 0o600) == 0)
        // 165 bytes declaring a 10000x10000 progressive CMYK JPEG (800 MB of coefficients).
        var bomb: [UInt8] = [0xFF, 0xD8, 0xFF, 0xEE, 0x00, 0x0E] + Array("Adobe".utf8) + [0, 0x64, 0, 0, 0, 0, 0]
        bomb += [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)
        bomb += [0xFF, 0xC2, 0x00, 20, 8, 0x27, 0x10, 0x27, 0x10, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]
        bomb += [0xFF, 0xC4, 0x00, 0x14, 0x00, 1] + [UInt8](repeating: 0, count: 16)
        bomb += [0xFF, 0xDA, 0x00, 14, 4, 1, 0, 2, 0, 3, 0, 4, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 16) + [0xFF, 0xD9]
        try Data(bomb).write(to: URL(fileURLWithPath: dir + "/bomb.jpg"))
        let r = try CLITests.run(["detect", "--model", Self.model, "--format", "jsonl", "--threads", "2", fifo, dir + "/bomb.jpg", Self.photo])
        let records = try Self.records(r.stdout)
        #expect(records.count == 3)
        #expect(records[0]["error"] as? String == "\(fifo): is a FIFO (named pipe), not a regular file")
        #expect(records[1]["error"] as? String
            == "\(dir)/bomb.jpg: decoding a 10000x10000 progressive or multi-scan JPEG needs 809 MB, more than the 200 MB decoder memory budget")
        #expect((records[2]["faces"] as? [Any])?.count == 1)
        // The model reader refuses a FIFO and a device too, at once.
        let m = try CLITests.run(["inspect", fifo])
        #expect(m.status != 0 && m.stderr.contains("\(fifo): is a FIFO (named pipe), not a regular file"))
        let z = try CLITests.run(["inspect", "/dev/zero"])
        #expect(z.status != 0 && z.stderr.contains("/dev/zero: is a character device, not a regular file"))
    }
}
