import Foundation
import Testing
import TestSupport
import Engine
import ModelTools

/// Runs the built `blazeface` binary as a user would and checks its whole behaviour.
@Suite struct CLITests {
    typealias Output = ProcessOutput

    static let binary: String = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("blazeface").path,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug/blazeface").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
    }()

    /// Runs the built binary with `environment` overrides.
    static func run(_ args: [String], environment: [String: String] = [:]) throws -> Output {
        try runProcess(binary, args, environment: environment)
    }

    /// Removes a folder made by ``tempDir()`` (tests call it in a `defer`).
    static func remove(_ dir: String) { try? FileManager.default.removeItem(atPath: dir) }

    static func tempDir() -> String {
        let d = NSTemporaryDirectory() + "blazeface-cli-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test(.requires(.int8Model)) func inspectReportsTheModelsFigures() throws {
        let r = try Self.run(["inspect", SharedData.int8Model])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("MACs              30,760,960 (30.76 M)"))
        #expect(r.stdout.contains("constant bytes    108,098 (weights 99,202, biases 8,752, other 144)"))
        #expect(r.stdout.contains("internal activations  344,064 B (336.0 KiB)"))
        #expect(r.stdout.contains("arena                 227,328 B (222.0 KiB), input and outputs included"))
        #expect(r.stdout.contains("16 ADDs fused with their 1x1 conv (11 with the channel PAD)"))
        #expect(r.stdout.contains("score [0.0000, 0.7729]"))
        #expect(r.stdout.contains("75  DEQUANTIZE"))
        let j = try Self.run(["inspect", "--json", SharedData.int8Model])
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect(obj["macs"] as? Int == 30_760_960)
        #expect((obj["ops"] as? [Any])?.count == 76)
        let compact = (obj["memory"] as? [String: Any])?["compact"] as? [String: Any]
        #expect(compact?["arena"] as? Int == 227_328)
        #expect(compact?["pixelInput"] as? Bool == true)
        let ranges = try #require(obj["outputRanges"] as? [[String: Any]])
        let cap = ranges.compactMap { $0["scoreMax"] as? Double }.min() ?? 1
        #expect(abs(cap - 0.7729) < 1e-3)
    }

    @Test(.requires(.int8Model, .golden)) func runDumpsEveryTensorBitExact() throws {
        let golden = try GoldenCase(model: "st_int8", name: "photo_unit")
        let dir = Self.tempDir()
        defer { Self.remove(dir) }
        let input = try NumpyArray(shape: [1, 128, 128, 3], floats: golden.floats(try #require(golden.input)))
        try input.write(to: dir + "/input.npy")
        let r = try Self.run(["run", SharedData.int8Model, "--input", dir + "/input.npy", "--dump", dir + "/out", "--all-tensors"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("wrote 76 tensors"))
        struct Entry: Decodable { var file: String; var tensor_index: Int; var op_index: Int; var dtype: String }
        let index = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/out/index.json")))
        #expect(index.count == 76)
        var checked = 0
        for e in golden.intermediates {
            let entry = try #require(index.first { $0.tensor_index == e.tensor_index })
            let arr = try NumpyArray(contentsOfFile: dir + "/out/" + entry.file)
            #expect(arr.data == golden.bytes(e), "\(entry.file)")
            #expect(entry.op_index == e.producer_op_index)
            checked += 1
        }
        #expect(checked == 72)
    }

    @Test(.requires(.int8Model, .golden)) func runComparesEveryTensorWithAReferenceRun() throws {
        let noise = SharedData.path("golden/st_int8/noise"), plus1 = SharedData.path("golden/st_int8/plus1")
        // The golden folder's own input, every tensor against TFLite's reference kernels.
        var r = try Self.run(["run", SharedData.int8Model, "--input", noise, "--compare", noise])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("compared 76 tensors with \(noise): 76 identical"), "\(r.stdout)")
        // Another input's tensors: everything differs from op 0 on, exit status 1.
        r = try Self.run(["run", SharedData.int8Model, "--input", noise, "--compare", plus1])
        #expect(r.status == 1)
        #expect(r.stdout.contains("0 identical, 76 differ (first at op 0, tensor 82 'tfl.quantize')"), "\(r.stdout)")
        // A --dump folder is a reference too; a float model within a tolerance.
        let dir = Self.tempDir()
        defer { Self.remove(dir) }
        r = try Self.run(["run", SharedData.int8Model, "--input", plus1, "--dump", dir + "/out", "--all-tensors"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try Self.run(["run", SharedData.int8Model, "--input", plus1, "--compare", dir + "/out"])
        #expect(r.status == 0 && r.stdout.contains("76 identical"), "\(r.stdout) \(r.stderr)")
        let floatCase = SharedData.path("golden/mp_float/plus1")
        r = try Self.run(["run", SharedData.floatModel, "--input", floatCase, "--compare", floatCase, "--tolerance", "5e-4"])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains("compared 2 tensors"), "\(r.stdout)")
        // A hostile manifest: a tensor outside tensors.bin is a clear error naming the file.
        try FileManager.default.createDirectory(atPath: dir + "/bad", withIntermediateDirectories: true)
        try Data("""
            {"format": "blazeface-golden/1", "tensors": [{"kind": "output", "tensor_index": 157, "dtype": "float32", "shape": [1, 384, 16], "offset": 64, "nbytes": 24576}]}
            """.utf8).write(to: URL(fileURLWithPath: dir + "/bad/manifest.json"))
        try Data([0, 1, 2]).write(to: URL(fileURLWithPath: dir + "/bad/tensors.bin"))
        r = try Self.run(["run", SharedData.int8Model, "--input", noise, "--compare", dir + "/bad"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad/tensors.bin: tensor at offset 64 with 24576 bytes lies outside the 3-byte file"), "\(r.stderr)")
        r = try Self.run(["run", SharedData.int8Model, "--input", noise, "--compare", dir + "/nowhere"])
        #expect(r.status == 1 && r.stderr.contains("not a folder of reference tensors"), "\(r.stderr)")
    }

    @Test(.requires(.int8Model, .samples)) func benchReportsLatencyPerOpTimesAndEndToEnd() throws {
        let photos = SharedData.path("data/samples/photos")
        let r = try Self.run(["bench", "--model", SharedData.int8Model, "--runs", "5", "--warmup", "1", "--profile",
                              "--images", photos, "--passes", "1", "--threads", "2", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let model = try #require((obj["models"] as? [[String: Any]])?.first)
        #expect(model["arenaBytes"] as? Int == 227_328)
        #expect((model["medianMs"] as? Double ?? 0) > 0)
        // Every op that runs is timed, with its kernel's name; the convolutions exist in the plan.
        let ops = try #require(model["ops"] as? [[String: Any]])
        #expect(ops.count >= 30)
        let kernels = Set(ops.compactMap { $0["kernel"] as? String })
        #expect(kernels.contains { $0.contains("conv2d") }, "\(kernels)")
        #expect(ops.allSatisfy { ($0["medianMs"] as? Double ?? -1) >= 0 })
        let e2e = try #require(obj["endToEnd"] as? [String: Any])
        let images = try #require(e2e["images"] as? Int)
        #expect(images == SharedData.files(under: "data/samples/photos", extension: "jpg").count + SharedData.files(under: "data/samples/photos", extension: "png").count)
        // Rates are reported, not judged here (timings belong to benchmarks, not tests).
        #expect(try #require(e2e["decodeOnlyImagesPerSecond1Thread"] as? Double) > 0)
        #expect(try #require(e2e["imagesPerSecond1Thread"] as? Double) > 0)
        #expect(try #require(obj["peakRSSBytes"] as? Int) > 1_000_000)
    }

    @Test func badInputsGetClearErrorsAndNonZeroExit() throws {
        let dir = Self.tempDir()
        defer { Self.remove(dir) }
        // Truncated model.
        let bytes = try #require(FileManager.default.contents(atPath: SharedData.floatModel))
        try bytes.prefix(5000).write(to: URL(fileURLWithPath: dir + "/cut.tflite"))
        var r = try Self.run(["inspect", dir + "/cut.tflite"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: \(dir)/cut.tflite: "), "\(r.stderr)")
        // Malformed .npy.
        try Data("not numpy".utf8).write(to: URL(fileURLWithPath: dir + "/bad.npy"))
        r = try Self.run(["run", SharedData.floatModel, "--input", dir + "/bad.npy"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.npy: not a .npy file"), "\(r.stderr)")
        // Wrong flags.
        r = try Self.run(["detect", "--min-score", "7", "x.jpg"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--min-score"))
        r = try Self.run(["detect", "--nms", "soft", "x.jpg"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("soft"))
    }

    /// A batch with a corrupt JPEG, junk and a missing path keeps going and reports them at the end.
    @Test(.requires(.samples)) func batchGoesOnPastBadFiles() throws {
        let dir = Self.tempDir()
        defer { Self.remove(dir) }
        let photo = SharedData.path("data/samples/hollance_blazeface/images/1face.png")
        try FileManager.default.copyItem(atPath: photo, toPath: dir + "/good.png")
        let jpeg = try #require(FileManager.default.contents(atPath: SharedData.files(under: "data/samples/photos", extension: "jpg")[0]))
        try jpeg.prefix(2000).write(to: URL(fileURLWithPath: dir + "/broken.jpg"))
        try Data("hello".utf8).write(to: URL(fileURLWithPath: dir + "/notes.txt"))   // ignored: not an image name
        try Data([0, 1, 2]).write(to: URL(fileURLWithPath: dir + "/junk.png"))
        let r = try Self.run(["detect", "--model", SharedData.floatModel, "--format", "jsonl", dir, dir + "/missing.jpg"])
        #expect(r.status == 1)
        // Every input has a record, the missing one included, each error is printed once, and the
        // summary counts (and rates) only the images read.
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.contains { $0.contains("missing.jpg") && $0.contains("\"error\":\"no such file or directory\"") }, "\(r.stdout)")
        #expect(r.stderr.contains("broken.jpg: truncated JPEG"), "\(r.stderr)")
        #expect(r.stderr.contains("junk.png"))
        #expect(r.stderr.components(separatedBy: "missing.jpg: no such file or directory").count == 2, "\(r.stderr)")
        #expect(r.stderr.contains("1 image, 1 face, 3 failed, "), "\(r.stderr)")
        let good = try #require(lines.first { $0.contains("good.png") })
        let rec = try #require(try JSONSerialization.jsonObject(with: Data(good.utf8)) as? [String: Any])
        #expect(rec["width"] as? Int == 128)
        let faces = try #require(rec["faces"] as? [[String: Any]])
        #expect(faces.count == 1)
        let box = try #require(faces[0]["box"] as? [String: Double])
        #expect(abs((box["x"] ?? 0) - 40.7) < 1.5 && abs((box["width"] ?? 0) - 21.8) < 1.5)
        let kp = try #require(faces[0]["keypoints"] as? [String: [String: Double]])
        #expect(Set(kp.keys) == ["right_eye", "left_eye", "nose_tip", "mouth_center", "right_ear_tragion", "left_ear_tragion"])
    }

    @Test(.requires(.samples)) func formatsCsvWiderAndDraw() throws {
        let dir = Self.tempDir()
        defer { Self.remove(dir) }
        let images = SharedData.path("data/samples/hollance_blazeface/images")
        var r = try Self.run(["detect", "--model", SharedData.floatModel, "--min-score", "0.75", "--format", "csv", images])
        #expect(r.status == 0)
        let rows = r.stdout.split(separator: "\n")
        #expect(rows.first?.hasPrefix("path,image_width,image_height,face,score,x,y,width,height,right_eye_x") == true)
        #expect(rows.count == 1 + 5)  // 1face: 1, 3faces: 3, 4faces: none at 0.75, so one row with empty face fields
        r = try Self.run(["detect", "--model", SharedData.floatModel, "--min-score", "0.75", "--format", "wider",
                          "--output", dir + "/wider", "--draw", dir + "/drawn", "--threads", "2", images])
        #expect(r.status == 0, "\(r.stderr)")
        let txt = try String(contentsOfFile: dir + "/wider/images/3faces.txt", encoding: .utf8).split(separator: "\n")
        #expect(txt[0] == "3faces" && txt[1] == "3" && txt.count == 5)
        #expect(txt[2].split(separator: " ").count == 5)
        #expect(FileManager.default.fileExists(atPath: dir + "/drawn/3faces.png"))
        r = try Self.run(["detect", "--format", "wider", images])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--output"))
    }
}
