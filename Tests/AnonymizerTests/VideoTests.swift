import Anonymizer
import BlazeFace
import Foundation
import Imaging
import Testing
import TestSupport

/// Runs the real ffmpeg on short clips generated from the sample photo.
@Suite(.needsFFmpeg, .needsFixture) struct VideoTests {
    static func sh(_ args: [String]) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try FFmpeg.locate(args[0]))
        p.arguments = Array(args.dropFirst())
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let d = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw AnonymizerError("\(args.joined(separator: " ")) failed") }
        return d
    }

    /// A 24-frame 320x240 clip at 12 fps: a slow zoom over the astronaut, lossless (FFV1 in Matroska).
    static func makeClip(_ path: String) throws {
        _ = try sh(["ffmpeg", "-nostdin", "-y", "-loop", "1", "-i", Fixture.photo, "-vf",
                    "scale=480:480,zoompan=z='1+0.004*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=320x240:fps=12",
                    "-frames:v", "24", "-c:v", "ffv1", path])
    }

    /// Every frame of a video as RGB.
    static func frames(_ path: String, width: Int, height: Int) throws -> [RGBImage] {
        let raw = [UInt8](try sh(["ffmpeg", "-nostdin", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]))
        let size = width * height * 3
        #expect(raw.count % size == 0)
        return try stride(from: 0, to: raw.count - size + 1, by: size).map {
            try RGBImage(width: width, height: height, pixels: Array(raw[$0..<($0 + size)]))
        }
    }

    @Test func aLosslessClipKeepsItsFramesAndOnlyTheFacesChange() throws {
        let dir = NSTemporaryDirectory() + "anon-video-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/clip.mkv", output = dir + "/out.mkv"
        try Self.makeClip(input)
        let detector = try FaceDetector(modelPath: Fixture.model)
        var progressCalls = 0
        let summary = try VideoAnonymizer.anonymize(
            input: input, output: output, detector: detector,
            options: VideoAnonymizationOptions(tracking: FrameTrackingOptions(detectEvery: 2), threads: 2),
            recordFaces: true, progress: { _ in progressCalls += 1 })
        #expect(summary.frames == 24)
        #expect(summary.detectorRuns == 12)
        #expect(summary.codec == "ffv1")
        #expect(summary.tracks == 1)
        #expect(progressCalls >= 6)
        let a = try FFmpeg.probe(input), b = try FFmpeg.probe(output)
        #expect(b.width == 320 && b.height == 240)
        #expect(b.frameRate == a.frameRate && b.fps == 12)
        #expect(b.codec == "ffv1")
        let before = try Self.frames(input, width: 320, height: 240)
        let after = try Self.frames(output, width: 320, height: 240)
        #expect(before.count == 24 && after.count == 24)
        #expect(summary.faces.count == 24)
        let masker = FaceMasker()
        for k in 0..<min(before.count, after.count, summary.faces.count) {
            let faces = summary.faces[k].faces
            #expect(faces.count == 1, "frame \(k)")
            let regions = faces.map { masker.region(for: $0.coveringBox) }
            #expect(changedOutside(before[k], after[k], regions: regions) == 0, "frame \(k)")
            guard let f = faces.first else { continue }
            let b = f.face.box
            let x0 = Int(b.x + b.width * 0.15), y0 = Int(b.y + b.height * 0.15), x1 = Int(b.x + b.width * 0.85), y1 = Int(b.y + b.height * 0.85)
            let d0 = detail(before[k], x0: x0, y0: y0, x1: x1, y1: y1), d1 = detail(after[k], x0: x0, y0: y0, x1: x1, y1: y1)
            #expect(d1 < d0 / 10, "frame \(k): detail \(d0) -> \(d1)")
        }
    }

    @Test func aBrokenVideoIsAnErrorNamingTheFileAndLeavesNoOutput() throws {
        let dir = NSTemporaryDirectory() + "anon-video-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = dir + "/bad.mp4"
        try Data("not a video at all".utf8).write(to: URL(fileURLWithPath: bad))
        let detector = try FaceDetector(modelPath: Fixture.model)
        #expect {
            _ = try VideoAnonymizer.anonymize(input: bad, output: dir + "/out.mp4", detector: detector)
        } throws: { error in
            "\(error)".contains(bad) && "\(error)".contains("ffprobe")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["bad.mp4"])
    }

    @Test func aMissingBinaryNamesTheDebianPackage() {
        #expect {
            _ = try FFmpeg.locate("ffmpeg-that-does-not-exist")
        } throws: { error in
            "\(error)".contains("apt-get install ffmpeg")
        }
    }
}
