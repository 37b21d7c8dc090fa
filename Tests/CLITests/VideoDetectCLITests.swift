import Dispatch
import Foundation
import Imaging
import Testing
import TestSupport

/// `blazeface detect` on a video file and on `--stream WxH`: one JSON line per frame, with track
/// IDs, written as soon as each frame is done.
@Suite struct VideoDetectCLITests {
    static var hasPhoto: Bool { AnonymizeCLITests.hasPhoto }
    static var hasFFmpeg: Bool { AnonymizeCLITests.hasFFmpeg }

    /// A 20-frame, 10 fps, 320x240 H.264 zoom into the sample photo (the face stays in frame).
    static func makeClip(_ dir: String) throws -> String {
        let clip = dir + "/clip.mp4"
        _ = try AnonymizeCLITests.tool(["ffmpeg", "-nostdin", "-y", "-loop", "1", "-i", SharedData.samplePhoto,
                                        "-vf", "scale=400:400,zoompan=z='1+0.003*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=320x240:fps=10",
                                        "-frames:v", "20", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip])
        return clip
    }

    /// The JSON objects of each output line.
    static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
    }

    /// Each frame's track IDs.
    static func ids(_ records: [[String: Any]]) -> [[Int]] {
        records.map { (($0["faces"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int } }
    }

    @Test(.enabled(if: (hasFFmpeg && hasPhoto) || SharedData.isCI, "needs ffmpeg (apt-get install ffmpeg) and samples/astronaut.png"))
    func aVideoGivesOneLinePerFrameWithAStableTrackID() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        let clip = try Self.makeClip(dir)
        let r = try CLITests.run(["detect", clip, "--detect-every", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("\(clip): 20 frames 320x240, 1 tracks"), "\(r.stderr)")
        // Frames over --max-megapixels: an error line naming the size, and exit 1.
        _ = try AnonymizeCLITests.tool(["ffmpeg", "-nostdin", "-y", "-f", "lavfi", "-i", "color=c=gray:s=1280x800:d=0.2",
                                        "-frames:v", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", dir + "/big.mp4"])
        let big = try CLITests.run(["detect", dir + "/big.mp4", "--max-megapixels", "1"])
        #expect(big.status == 1)
        #expect(try Self.lines(big.stdout).first?["error"] as? String == "\(dir)/big.mp4: 1280x800 frames are larger than --max-megapixels 1")
        let records = try Self.lines(r.stdout)
        #expect(records.count == 20)
        #expect(records.map { $0["frame"] as? Int } == (0..<20).map { $0 })
        #expect(records.map { $0["detected"] as? Bool } == (0..<20).map { $0 % 2 == 0 })
        #expect(records.allSatisfy { $0["path"] as? String == clip && $0["width"] as? Int == 320 && $0["height"] as? Int == 240 })
        #expect(records.map { ($0["time"] as? Double) ?? -1 } == (0..<20).map { Double($0) / 10 })
        // One face, tracked as id 1 from the first frame to the last; its box follows the zoom.
        #expect(Self.ids(records) == Array(repeating: [1], count: 20))
        let widths = records.compactMap { (($0["faces"] as? [[String: Any]])?.first?["box"] as? [String: Double])?["width"] }
        #expect(widths.count == 20)
        if let first = widths.first, let last = widths.last { #expect(last > first * 1.03, "\(widths)") }
        let face = try #require((records[0]["faces"] as? [[String: Any]])?.first)
        #expect(face["since_seen"] as? Int == 0)
        #expect(((face["score"] as? Double) ?? 0) > 0.5)
        #expect((face["keypoints"] as? [String: Any])?.count == 6)
    }

    @Test(.enabled(if: (hasFFmpeg && hasPhoto) || SharedData.isCI, "needs ffmpeg (apt-get install ffmpeg) and samples/astronaut.png"))
    func rawFramesOnStandardInputGiveTheVideosLinesAndACutFrameIsAnError() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        let clip = try Self.makeClip(dir)
        let raw = try [UInt8](AnonymizeCLITests.tool(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", clip, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]))
        #expect(raw.count == 20 * 320 * 240 * 3)
        let fromFile = try Self.lines(try CLITests.run(["detect", clip, "--format", "jsonl"]).stdout)
        let s = try runProcess(CLITests.binary, ["detect", "--stream", "320x240", "--fps", "10"], stdin: raw)
        #expect(s.status == 0, "\(s.stderr)")
        let fromStream = try Self.lines(s.stdout)
        #expect(fromStream.count == 20)
        #expect(fromStream.allSatisfy { $0["path"] as? String == "-" })
        // The same frames give the same faces, ids and times as the file.
        #expect(Self.ids(fromStream) == Self.ids(fromFile))
        for (a, b) in zip(fromStream, fromFile) {
            #expect(a["time"] as? Double == b["time"] as? Double)
            #expect((a["faces"] as? NSArray) == (b["faces"] as? NSArray))
        }
        // Half a frame more: the 20 whole frames are reported, then an error naming the stream; exit 1.
        let cut = try runProcess(CLITests.binary, ["detect", "--stream", "320x240"], stdin: raw + Array(raw[0..<1000]))
        #expect(cut.status == 1)
        let cutLines = try Self.lines(cut.stdout)
        #expect(cutLines.count == 21)
        #expect(cutLines.last?["frame"] as? Int == 20)
        #expect((cutLines.last?["error"] as? String)?.contains("<stdin>: the stream ended in the middle of a frame (1000 of 230400 bytes") == true, "\(cut.stdout)")
    }

    @Test(.enabled(if: hasPhoto || SharedData.isCI, "needs samples/astronaut.png (scripts/setup.sh)"))
    func eachFramesLineLeavesBeforeTheNextFrameArrives() throws {
        let frame = try ImageDecoder.decode(path: SharedData.samplePhoto).resized(width: 256, height: 256).pixels
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLITests.binary)
        p.arguments = ["detect", "--stream", "256x256"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        let reader = LineReader(output.fileHandleForReading)
        for k in 0..<3 {
            input.fileHandleForWriting.write(Data(frame))
            // The line must come while standard input is still open (nothing buffered to the end).
            let line = try #require(reader.nextLine(timeout: 60), "no line for frame \(k) within 60 s")
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(record["frame"] as? Int == k)
            #expect(Self.ids([record]) == [[1]])
        }
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(reader.nextLine(timeout: 5) == nil)
    }

    @Test func badStreamAndVideoArgumentsAreRefusedAndAMissingFFmpegIsAnErrorLine() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        for (args, message) in [(["--stream", "640x"], "--stream takes the frame size as WIDTHxHEIGHT"),
                                (["--stream", "0x480"], "--stream takes the frame size"),
                                (["--stream", "64x64", "a.png"], "give no paths with it"),
                                (["--stream", "2000x1000", "--max-megapixels", "1"], "frames larger than --max-megapixels 1"),
                                (["a.mp4", "b.png"], "b.png: detect takes either images or videos"),
                                (["a.mp4", "--format", "csv"], "--format csv is for images"),
                                (["a.mp4", "--draw", dir], "--draw is for images"),
                                ([String](), "give images (files, folders or -), videos, or --stream"),
                                (["a.png", "--hold", "3"], "--fps, --hold, --detect-every and --track-score are for videos")] {
            let r = try CLITests.run(["detect"] + args)
            #expect(r.status == 64, "\(args)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
        try Data("not a video".utf8).write(to: URL(fileURLWithPath: dir + "/v.mp4"))
        let r = try CLITests.run(["detect", dir + "/v.mp4", dir + "/w.mkv"], environment: ["PATH": dir])
        #expect(r.status == 1)
        let records = try Self.lines(r.stdout)
        #expect(records.count == 2)
        #expect((records.first?["error"] as? String)?.contains("apt-get install ffmpeg") == true, "\(r.stdout)")
        #expect(records.last?["path"] as? String == dir + "/w.mkv")
    }
}

/// Lines of a pipe, read on a background thread, each waited for with a timeout.
final class LineReader: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var ended = false
    private let arrived = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let nl = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                    pending = Data(pending[(nl + 1)...])
                    self.lock.withLock { self.lines.append(line) }
                    self.arrived.signal()
                }
            }
            self.lock.withLock { self.ended = true }
            self.arrived.signal()
        }.start()
    }

    /// The next line, or nil at the end of the stream or after `timeout` seconds.
    func nextLine(timeout: Double) -> String? {
        let deadline = DispatchTime.now() + timeout
        while true {
            let (line, done): (String?, Bool) = lock.withLock {
                lines.isEmpty ? (nil, ended) : (lines.removeFirst(), false)
            }
            if let line { return line }
            if done || arrived.wait(timeout: deadline) == .timedOut { return nil }
        }
    }
}
