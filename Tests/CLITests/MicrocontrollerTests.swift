import Foundation
import Imaging
import ModelTools
import Testing
import TestSupport

/// The exported firmware under QEMU's Cortex-M55 (mps3-an547): its four outputs must be
/// byte-identical with the host engine's, and its faces identical with `blazeface detect` on the
/// same 128x128 image, for the golden inputs and real photos letterboxed to 128x128.
@Suite(.serialized) struct MicrocontrollerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let packages = "qemu-system-arm gcc-arm-none-eabi libnewlib-arm-none-eabi"

    /// Runs scripts/mcu.sh with the built binary.
    static func mcu(_ args: [String]) throws -> ProcessOutput {
        try runProcess("/bin/bash", [root + "/scripts/mcu.sh"] + args, environment: ["BLAZEFACE_BIN": CLITests.binary])
    }

    /// 128x128 PNGs: the golden photo (its float input is exactly pixel / 255) and letterboxed photos.
    static func frames(in dir: String) throws -> [String] {
        var paths: [String] = []
        let g = try GoldenCase(model: "st_int8", name: "photo_unit")
        let input = try #require(g.input)
        let pixels = g.floats(input).map { UInt8(max(0, min(255, ($0 * 255).rounded()))) }
        #expect(pixels.map { Float($0) / 255 } == g.floats(input), "the golden photo is not pixel / 255")
        for (name, px) in [("golden_photo_unit", pixels)] {
            let path = dir + "/\(name).png"
            try Data(try ImageEncoder().pngData(try RGBImage(width: 128, height: 128, pixels: px))).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        for photo in ["2.jpg", "11.jpg", "13.jpg"] {
            let image = try ImageDecoder.decode(path: SharedData.path("data/samples/photos/" + photo))
            let px = ModelInput.prepare(image, size: 128, mode: .letterbox).pixels
            let path = dir + "/letterboxed_" + photo.replacingOccurrences(of: ".jpg", with: ".png")
            try Data(try ImageEncoder().pngData(try RGBImage(width: 128, height: 128, pixels: px))).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        return paths
    }

    /// faces.bin: a count, then per face x, y, width, height, score and 12 keypoint coordinates.
    static func faces(_ path: String) throws -> [[Float]] {
        let d = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let f: [Float] = d.withUnsafeBytes { b in (0..<(d.count / 4)).map { b.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
        let n = d.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
        return (0..<Int(n)).map { Array(f[(1 + 17 * $0)..<(1 + 17 * $0 + 17)]) }
    }

    /// `blazeface detect`'s faces in the same order of values.
    static func detected(_ image: String, model: String = "st") throws -> [[Float]] {
        let r = try CLITests.run(["detect", image, "--model", model, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        let faces = try #require(json.first?["faces"] as? [[String: Any]])
        let order = ["right_eye", "left_eye", "nose_tip", "mouth_center", "right_ear_tragion", "left_ear_tragion"]
        return try faces.map { face in
            let box = try #require(face["box"] as? [String: Double])
            let kp = try #require(face["keypoints"] as? [String: [String: Double]])
            var v = [box["x"], box["y"], box["width"], box["height"], face["score"] as? Double].map { Float($0 ?? .nan) }
            for name in order { v += [Float(kp[name]?["x"] ?? .nan), Float(kp[name]?["y"] ?? .nan)] }
            return v
        }
    }

    /// Runs each frame on the firmware: `run --compare` must find the four outputs identical, and
    /// the faces must equal `detect`'s. Returns the number of faces.
    static func check(model: String, frames: [String], in dir: String) throws -> Int {
        var faces = 0
        for frame in frames {
            let dump = dir + "/" + (frame as NSString).lastPathComponent + ".out"
            let r = try Self.mcu(["run", frame, "--dump", dump, "--model", model])
            #expect(r.status == 0, "\(frame): \(r.stderr)")
            // validate: the host engine against the tensors the firmware wrote.
            #expect(r.stdout.contains("compared \(model == "st" ? 4 : 2) tensors with \(dump): \(model == "st" ? 4 : 2) identical"), "\(frame): \(r.stdout)")
            let ours = try Self.faces(dump + "/faces.bin"), host = try Self.detected(frame, model: model)
            #expect(ours == host, "\(frame): firmware faces \(ours) differ from detect's \(host)")
            faces += host.count
        }
        return faces
    }

    @Test(.requires(.int8Model, .golden, .samples), .requiresTools("qemu-system-arm", "arm-none-eabi-gcc", packages: packages))
    func firmwareMatchesTheHostUnderQEMU() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        let faces = try Self.check(model: "st", frames: try Self.frames(in: dir), in: dir)
        #expect(faces >= 3, "the frames should hold faces")
    }

    /// Without ../shared: MediaPipe's float front model quantized by `blazeface quantize` on the
    /// sample photo, exported, and run on the firmware.
    @Test(.requiresTools("qemu-system-arm", "arm-none-eabi-gcc", packages: packages))
    func ourQuantizedModelRunsOnTheFirmware() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        let photo = Self.root + "/samples/astronaut.png"
        try FileManager.default.createDirectory(atPath: dir + "/calibration", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: photo, toPath: dir + "/calibration/astronaut.png")
        let model = dir + "/front_int8.tflite"
        let q = try CLITests.run(["quantize", SharedData.fetchedModel("face_detection_front.tflite"), "--calibration", dir + "/calibration",
                                  "--holdout", "0", "--tiles", "1", "-o", model])
        #expect(q.status == 0, "\(q.stderr)")
        let image = try ImageDecoder.decode(path: photo)
        let frame = dir + "/astronaut_128.png"
        let px = ModelInput.prepare(image, size: 128, mode: .letterbox).pixels
        try Data(try ImageEncoder().pngData(try RGBImage(width: 128, height: 128, pixels: px))).write(to: URL(fileURLWithPath: frame))
        let faces = try Self.check(model: model, frames: [frame], in: dir)
        #expect(faces == 1, "the astronaut photo has one face")
    }

    @Test(.requires(.int8Model), .requiresTools("qemu-system-arm", "arm-none-eabi-gcc", packages: packages))
    func reportGivesFlashRAMAndInstructionsWithinTheGoals() throws {
        let r = try Self.mcu(["report", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let flash = try #require(json["flash_bytes"] as? Int), ram = try #require(json["ram_bytes"] as? Int)
        let perMAC = try #require(json["instructions_per_mac"] as? Double)
        #expect(flash <= 150_970, "flash \(flash) B is above STM32Cube.AI's 150.97 KB")
        #expect(flash > 108_098, "flash must hold the model's 108,098 B of constants")
        #expect(ram <= 264 * 1024, "RAM \(ram) B is above half of STM32Cube.AI's 528 KB")
        #expect(perMAC > 0.1 && perMAC <= 4, "instructions per MAC \(perMAC)")
        #expect(json["allocator_linked"] as? Bool == false, "the library must link no allocator")
        let steps = try #require(json["instructions_per_step"] as? [[String: Any]])
        #expect(steps.count == 48)
    }

    @Test func exportRefusesAnotherTargetAndAFloatModel() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        let target = try CLITests.run(["export", "front", "--target", "cortex-m4", "-o", dir])
        #expect(target.status != 0 && target.stderr.contains("--target cortex-m4 is not supported"), "\(target.stderr)")
        let float = try CLITests.run(["export", "front", "-o", dir])
        #expect(float.status != 0, "\(float.stdout)")
        #expect(float.stderr.contains("cannot be exported for cortex-m55: op 2 (CONV_2D) computes in float32; the firmware runs int8 models: quantize it first"), "\(float.stderr)")
    }
}
