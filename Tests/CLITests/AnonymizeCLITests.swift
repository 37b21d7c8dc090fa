import Foundation
import Imaging
import Testing
import TestSupport

/// `blazeface anonymize` and `blazeface crop`, run as a user would, on the sample photo and on
/// clips the real ffmpeg makes from it.
@Suite struct AnonymizeCLITests {
    static var photo: String { SharedData.samplePhoto }
    static var hasPhoto: Bool { FileManager.default.fileExists(atPath: photo) }

    /// The executable `name` in PATH, if any.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
    static var hasFFmpeg: Bool { which("ffmpeg") != nil && which("ffprobe") != nil }

    static func run(_ args: [String], environment: [String: String] = [:]) throws -> CLITests.Output {
        try CLITests.run(args, environment: environment)
    }

    /// Runs a tool from PATH (ffmpeg, ffprobe) and returns its standard output.
    static func tool(_ args: [String]) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(which(args[0])))
        p.arguments = Array(args.dropFirst())
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let d = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(args.joined(separator: " "))")
        return d
    }

    /// The face box `detect` reports for an image (the model's eyes-to-mouth box).
    static func faceBox(_ path: String) throws -> (x: Float, y: Float, w: Float, h: Float) {
        let r = try CLITests.run(["detect", "--format", "jsonl", path])
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let faces = try #require(obj["faces"] as? [[String: Any]])
        let box = try #require(faces.first?["box"] as? [String: Double])
        return (Float(box["x"] ?? 0), Float(box["y"] ?? 0), Float(box["width"] ?? 0), Float(box["height"] ?? 0))
    }

    /// Mean squared neighbour difference (grey) inside the middle 70 % of a box: fine detail.
    static func detail(_ image: RGBImage, _ b: (x: Float, y: Float, w: Float, h: Float)) -> Double {
        var s = 0.0, n = 0.0
        func g(_ x: Int, _ y: Int) -> Double {
            guard let c = image.pixel(x: x, y: y) else { return 0 }
            return (Double(c.red) + Double(c.green) + Double(c.blue)) / 3
        }
        for y in Int(b.y + 0.15 * b.h)..<Int(b.y + 0.85 * b.h) {
            for x in Int(b.x + 0.15 * b.w)..<Int(b.x + 0.85 * b.w) {
                let d1 = g(x + 1, y) - g(x, y), d2 = g(x, y + 1) - g(x, y)
                s += d1 * d1 + d2 * d2
                n += 2
            }
        }
        return n > 0 ? s / n : 0
    }

    @Test(.enabled(if: hasPhoto || SharedData.isCI, "needs samples/astronaut.png (scripts/setup.sh)"))
    func aPNGStaysPNGAndOnlyTheFaceChanges() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        for style in ["blur", "mosaic", "solid"] {
            let r = try Self.run(["anonymize", Self.photo, "-o", dir + "/\(style).png", "--style", style, "--shape", "box"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("1 photos, 1 faces masked"))
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/\(style).png")))
            #expect(ImageFormat.detect(bytes) == .png)
            let before = try ImageDecoder.decode(path: Self.photo), after = try ImageDecoder.decode(path: dir + "/\(style).png")
            #expect(after.width == before.width && after.height == before.height)
            // The mask: the WIDER-style box (up 8 %, width x0.92, height x1.13) grown 1.3 times.
            let f = try Self.faceBox(Self.photo)
            let w = f.w * 0.92 * 1.3, h = f.h * 1.13 * 1.3
            let cx = f.x + f.w / 2, cy = f.y + f.h / 2 - 0.08 * f.h
            var outside = 0, inside = 0
            for y in 0..<before.height {
                for x in 0..<before.width where before.pixel(x: x, y: y) != after.pixel(x: x, y: y) {
                    let px = Float(x) + 0.5, py = Float(y) + 0.5
                    if abs(px - cx) <= w / 2 + 0.01 && abs(py - cy) <= h / 2 + 0.01 { inside += 1 } else { outside += 1 }
                }
            }
            #expect(outside == 0, "\(style): \(outside) pixels changed outside the mask")
            #expect(Double(inside) > Double(w * h) * 0.8, "\(style): only \(inside) pixels changed")
            // Mosaic cells keep edges between them; blur and solid keep none.
            #expect(Self.detail(after, f) < Self.detail(before, f) / (style == "mosaic" ? 5 : 10), "\(style)")
        }
    }

    @Test(.enabled(if: hasPhoto || SharedData.isCI, "needs samples/astronaut.png (scripts/setup.sh)"))
    func aJPEGStaysJPEGUprightWithoutMetadataAndWebPStaysWebP() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        let photo = try ImageDecoder.decode(path: Self.photo).resized(width: 400, height: 300)
        // Stored sideways: EXIF orientation 8 (turn 90 degrees counter-clockwise... to view upright).
        let rotated = photo.applyingExifOrientation(6)
        var jpeg = try ImageEncoder(jpegQuality: 95).jpegData(rotated)
        let exif = Self.exifSegment(orientation: 8)
        jpeg = Array(jpeg[0..<2]) + exif + Array(jpeg[2...])
        try Data(jpeg).write(to: URL(fileURLWithPath: dir + "/in.jpg"))
        try Data(try ImageEncoder(jpegQuality: 95).webpData(photo)).write(to: URL(fileURLWithPath: dir + "/in.webp"))
        let r = try Self.run(["anonymize", dir + "/in.jpg", dir + "/in.webp", "-o", dir + "/out"])
        #expect(r.status == 0, "\(r.stderr)")
        let outJPEG = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/out/in.jpg")))
        let outWebP = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/out/in.webp")))
        #expect(ImageFormat.detect(outJPEG) == .jpeg)
        #expect(ImageFormat.detect(outWebP) == .webp)
        // Pixels upright (400 x 300 again), and no EXIF left to turn them a second time.
        let decoded = try ImageDecoder.decode(path: dir + "/out/in.jpg")
        #expect(decoded.width == 400 && decoded.height == 300)
        #expect(!Data(outJPEG).contains(Data("Exif".utf8)))
        #expect(try ImageDecoder.decode(path: dir + "/out/in.webp").width == 400)
        // The face is hidden in both.
        let f = try Self.faceBox(dir + "/in.webp")
        #expect(Self.detail(decoded, f) < Self.detail(photo, f) / 5)
        #expect(try Self.detail(ImageDecoder.decode(path: dir + "/out/in.webp"), f) < Self.detail(photo, f) / 5)
    }

    /// An APP1 Exif segment holding only the orientation (big-endian).
    static func exifSegment(orientation: Int) -> [UInt8] {
        let tiff: [UInt8] = [0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, UInt8(orientation), 0, 0, 0, 0, 0, 0]
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        return [0xFF, 0xE1, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
    }

    @Test(.enabled(if: hasPhoto || SharedData.isCI, "needs samples/astronaut.png (scripts/setup.sh)"))
    func anInputIsNeverOverwritten() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        try FileManager.default.copyItem(atPath: Self.photo, toPath: dir + "/a.png")
        let original = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.png"))
        for args in [["anonymize", dir + "/a.png", "-o", dir + "/a.png"], ["anonymize", dir, "-o", dir],
                     ["anonymize", dir + "/a.png", "-o", dir + "/./a.png"]] {
            let r = try Self.run(args)
            #expect(r.status == 64, "\(args)")
            #expect(r.stderr.contains("would overwrite the input"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/a.png")) == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.png"])
    }

    @Test(.enabled(if: hasPhoto || SharedData.isCI, "needs samples/astronaut.png (scripts/setup.sh)"))
    func foldersAreMirroredAndABadFileDoesNotStopTheBatch() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/in/a", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/in/b", withIntermediateDirectories: true)
        try fm.copyItem(atPath: Self.photo, toPath: dir + "/in/a/x.png")
        try Data(try ImageEncoder().jpegData(ImageDecoder.decode(path: Self.photo))).write(to: URL(fileURLWithPath: dir + "/in/b/y.jpg"))
        try Data("PNG? no".utf8).write(to: URL(fileURLWithPath: dir + "/in/bad.png"))
        let r = try Self.run(["anonymize", dir + "/in", "-o", dir + "/out", "--threads", "2"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.png"))
        #expect(r.stderr.contains("2 faces masked"))
        #expect(fm.fileExists(atPath: dir + "/out/a/x.png"))
        #expect(fm.fileExists(atPath: dir + "/out/b/y.jpg"))
        #expect(!fm.fileExists(atPath: dir + "/out/bad.png"))
        // Crops mirror the same way, named after the image and the face.
        let c = try Self.run(["crop", dir + "/in/a", dir + "/in/b", "-o", dir + "/crops", "--size", "112"])
        #expect(c.status == 0, "\(c.stderr)")
        let crop = try ImageDecoder.decode(path: dir + "/crops/a/x_face1.png")
        #expect(crop.width == 112 && crop.height == 112)
        #expect(fm.fileExists(atPath: dir + "/crops/b/y_face1.png"))
        #expect(c.stderr.contains("2 images, 2 faces cropped to 112x112"))
    }

    @Test(.enabled(if: (hasFFmpeg && hasPhoto) || SharedData.isCI, "needs ffmpeg (apt-get install ffmpeg) and samples/astronaut.png"))
    func aVideoKeepsItsFramesSizeRateCodecAndOnlyWithKeepAudioItsSound() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        let clip = dir + "/clip.mp4"
        _ = try Self.tool(["ffmpeg", "-nostdin", "-y", "-loop", "1", "-i", Self.photo, "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
                           "-vf", "scale=400:400,zoompan=z='1+0.003*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=320x240:fps=10",
                           "-frames:v", "20", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip])
        let r = try Self.run(["anonymize", clip, "-o", dir + "/out.mp4", "--keep-audio", "--detect-every", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("20 frames 320x240 (h264 -> libx264), 10 detector runs"), "\(r.stderr)")
        let silent = try Self.run(["anonymize", clip, "-o", dir + "/silent.mp4"])
        #expect(silent.status == 0, "\(silent.stderr)")
        func streams(_ path: String) throws -> [[String: Any]] {
            let d = try Self.tool(["ffprobe", "-v", "error", "-count_frames", "-print_format", "json", "-show_streams", path])
            return (try JSONSerialization.jsonObject(with: d) as? [String: Any])?["streams"] as? [[String: Any]] ?? []
        }
        let out = try streams(dir + "/out.mp4")
        let video = try #require(out.first { $0["codec_type"] as? String == "video" })
        #expect(video["codec_name"] as? String == "h264")
        #expect(video["width"] as? Int == 320 && video["height"] as? Int == 240)
        #expect(video["r_frame_rate"] as? String == "10/1")
        #expect(video["nb_read_frames"] as? String == "20")
        #expect(out.contains { $0["codec_type"] as? String == "audio" })
        #expect(!(try streams(dir + "/silent.mp4")).contains { $0["codec_type"] as? String == "audio" })
        // The face of the middle frame is blurred.
        _ = try Self.tool(["ffmpeg", "-nostdin", "-y", "-i", clip, "-vf", "select=eq(n\\,10)", "-frames:v", "1", dir + "/in10.png"])
        _ = try Self.tool(["ffmpeg", "-nostdin", "-y", "-i", dir + "/out.mp4", "-vf", "select=eq(n\\,10)", "-frames:v", "1", dir + "/out10.png"])
        let f = try Self.faceBox(dir + "/in10.png")
        let d0 = Self.detail(try ImageDecoder.decode(path: dir + "/in10.png"), f)
        let d1 = Self.detail(try ImageDecoder.decode(path: dir + "/out10.png"), f)
        #expect(d1 < d0 / 4, "detail \(d0) -> \(d1)")
    }

    @Test(.enabled(if: hasPhoto || SharedData.isCI, "needs samples/astronaut.png (scripts/setup.sh)"))
    func theMasksFileHoldsTheMasksThatWereDrawn() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        let r = try Self.run(["anonymize", Self.photo, "-o", dir + "/out.png", "--style", "solid", "--shape", "box",
                              "--mask-scale", "1.5", "--masks", dir + "/m.jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: dir + "/m.jsonl", encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(record["path"] as? String == Self.photo)
        #expect(record["width"] as? Int == 512 && record["height"] as? Int == 512)
        #expect(record["frame"] == nil)
        let masks = try #require(record["masks"] as? [[String: Any]])
        #expect(masks.count == 1)
        let m = try #require(masks.first)
        #expect(m["shape"] as? String == "box")
        // The WIDER-style box (up 8 %, width x0.92, height x1.13) of detect's face, grown 1.5 times.
        let f = try Self.faceBox(Self.photo)
        let w = f.w * 0.92 * 1.5, h = f.h * 1.13 * 1.5
        let x = f.x + f.w / 2 - w / 2, y = f.y + f.h / 2 - 0.08 * f.h - h / 2
        for (key, expected) in ["x": x, "y": y, "width": w, "height": h] {
            let value = try #require(m[key] as? Double, "\(key)")
            #expect(abs(value - Double(expected)) < 0.02, "\(key): \(value) against \(expected)")
        }
        // The logged box is where the pixels went black: inside all black, nothing outside changed.
        let before = try ImageDecoder.decode(path: Self.photo), after = try ImageDecoder.decode(path: dir + "/out.png")
        var changedOutside = 0, notBlackInside = 0
        for py in 0..<before.height {
            for px in 0..<before.width {
                let cx = Float(px) + 0.5, cy = Float(py) + 0.5
                let inside = cx >= x && cx <= x + w && cy >= y && cy <= y + h
                let a = after.pixel(x: px, y: py)
                if inside, let a, a.red != 0 || a.green != 0 || a.blue != 0 { notBlackInside += 1 }
                if !inside && a != before.pixel(x: px, y: py) { changedOutside += 1 }
            }
        }
        // One pixel ring of rounding at the box's edge.
        #expect(notBlackInside <= Int(2 * (w + h)) + 4, "\(notBlackInside) pixels inside the logged box are not masked")
        #expect(changedOutside <= Int(2 * (w + h)) + 4, "\(changedOutside) pixels outside the logged box changed")
    }

    @Test(.enabled(if: (hasFFmpeg && hasPhoto) || SharedData.isCI, "needs ffmpeg (apt-get install ffmpeg) and samples/astronaut.png"))
    func aVideosMasksFileHasALinePerFrame() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        let clip = try VideoDetectCLITests.makeClip(dir)
        let r = try Self.run(["anonymize", clip, "-o", dir + "/out.mp4", "--masks", dir + "/m.jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        let records = try VideoDetectCLITests.lines(try String(contentsOfFile: dir + "/m.jsonl", encoding: .utf8))
        #expect(records.count == 20)
        #expect(records.map { $0["frame"] as? Int } == (0..<20).map { $0 })
        #expect(records.allSatisfy { $0["path"] as? String == clip && ($0["masks"] as? [[String: Any]])?.count == 1 })
        // The masks grow with the zoom, and each covers the face detect reports in that frame.
        let faces = try VideoDetectCLITests.lines(try CLITests.run(["detect", clip]).stdout)
        for (mask, frame) in zip(records, faces) {
            let m = try #require((mask["masks"] as? [[String: Any]])?.first)
            let b = try #require((frame["faces"] as? [[String: Any]])?.first?["box"] as? [String: Double])
            let mx = (m["x"] as? Double) ?? 0, my = (m["y"] as? Double) ?? 0
            let mw = (m["width"] as? Double) ?? 0, mh = (m["height"] as? Double) ?? 0
            #expect(mx <= (b["x"] ?? 0) && my <= (b["y"] ?? 0), "\(m) \(b)")
            #expect(mx + mw >= (b["x"] ?? 0) + (b["width"] ?? 0) && my + mh >= (b["y"] ?? 0) + (b["height"] ?? 0), "\(m) \(b)")
        }
    }

    /// `--tile-sizes` runs the same grid of tiles on every frame: a face too small for one pass
    /// over the frame (56 px in 960x540, 7 model pixels) is masked in every frame, by a mask of
    /// its own size, and a side outside (0, 1] is refused before anything is written.
    @Test(.enabled(if: (hasFFmpeg && hasPhoto) || SharedData.isCI, "needs ffmpeg (apt-get install ffmpeg) and samples/astronaut.png"))
    func aFixedTileGridMasksASmallFaceInEveryFrame() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        let clip = dir + "/small.mp4"
        _ = try Self.tool(["ffmpeg", "-nostdin", "-y", "-loop", "1", "-i", Self.photo,
                           "-vf", "scale=320:320,pad=960:540:560:200:color=gray,fps=10",
                           "-frames:v", "10", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip])
        _ = try Self.tool(["ffmpeg", "-nostdin", "-y", "-i", clip, "-frames:v", "1", dir + "/first.png"])
        // The small face, as detect finds it with the same tiles.
        let found = try VideoDetectCLITests.lines(try CLITests.run(["detect", "--format", "jsonl", "--tile-sizes", "1,0.3", dir + "/first.png"]).stdout)
        let faces = try #require(found.first?["faces"] as? [[String: Any]])
        let best = try #require(faces.max { (($0["score"] as? Double) ?? 0) < (($1["score"] as? Double) ?? 0) })
        let box = try #require(best["box"] as? [String: Double])
        let (x, y, w, h) = (box["x"] ?? 0, box["y"] ?? 0, box["width"] ?? 0, box["height"] ?? 0)
        #expect(w > 30 && w < 90, "\(box)")
        /// Frames with a mask of the face's size centred on the face.
        func framesMaskingTheFace(_ flags: [String]) throws -> Int {
            let r = try Self.run(["anonymize", clip, "-o", dir + "/out.mp4", "--masks", dir + "/m.jsonl"] + flags)
            #expect(r.status == 0, "\(r.stderr)")
            let records = try VideoDetectCLITests.lines(try String(contentsOfFile: dir + "/m.jsonl", encoding: .utf8))
            #expect(records.count == 10)
            return records.filter { record in
                ((record["masks"] as? [[String: Any]]) ?? []).contains { m in
                    let mx = (m["x"] as? Double) ?? 0, my = (m["y"] as? Double) ?? 0
                    let mw = (m["width"] as? Double) ?? 0, mh = (m["height"] as? Double) ?? 0
                    let cx = mx + mw / 2, cy = my + mh / 2
                    return mw < 2.5 * w && cx > x && cx < x + w && cy > y && cy < y + h
                        && mx <= x && mx + mw >= x + w && my <= y + 0.1 * h && my + mh >= y + h
                }
            }.count
        }
        #expect(try framesMaskingTheFace([]) == 0)
        #expect(try framesMaskingTheFace(["--tile-sizes", "1,0.3"]) == 10)
        for bad in ["1,2", "0", "1,x", ""] {
            let r = try Self.run(["anonymize", clip, "-o", dir + "/bad.mp4", "--tile-sizes", bad])
            #expect(r.status == 64, "\(bad): \(r.stderr)")
            #expect(r.stderr.contains("--tile-sizes"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/bad.mp4"))
        }
    }

    @Test func withoutFFmpegAVideoGetsAMessageNamingThePackage() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        try Data("whatever".utf8).write(to: URL(fileURLWithPath: dir + "/v.mp4"))
        let r = try Self.run(["anonymize", dir + "/v.mp4", "-o", dir + "/o.mp4"], environment: ["PATH": dir])
        #expect(r.status == 1)
        #expect(r.stderr.contains("apt-get install ffmpeg"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/o.mp4"))
    }
}
