import Foundation
import Imaging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `ffprobe` says about a video file's first video stream.
public struct VideoInfo: Sendable, Equatable {
    /// Upright width in pixels (after a rotation tag is applied, as ffmpeg decodes it).
    public var width: Int
    /// Upright height in pixels.
    public var height: Int
    /// The frame rate as ffmpeg writes it, e.g. `30000/1001`.
    public var frameRate: String
    /// The frame rate in frames per second.
    public var fps: Double
    /// The codec's name (`h264`, `hevc`, `vp9`, `ffv1`...).
    public var codec: String
    /// The stored pixel format (`yuv420p`...), when known.
    public var pixelFormat: String?
    /// Frames in the stream: counted by the container, or estimated from the duration.
    public var frameCount: Int?
    /// Duration in seconds, when known.
    public var duration: Double?
    /// Whether the file has an audio stream.
    public var hasAudio: Bool
}

/// Runs Debian's `ffmpeg` and `ffprobe` binaries (package `ffmpeg`) as subprocesses.
public enum FFmpeg {
    /// The absolute path of `name` in `$PATH`.
    ///
    /// - Throws: ``AnonymizerError`` naming the Debian package when it is not installed.
    public static func locate(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw AnonymizerError("\(name) not found in PATH: video needs FFmpeg (Debian/Ubuntu: sudo apt-get install ffmpeg; Fedora: dnf install ffmpeg; macOS: brew install ffmpeg)")
    }

    /// Whether both `ffmpeg` and `ffprobe` are installed.
    public static var isAvailable: Bool { (try? locate("ffmpeg")) != nil && (try? locate("ffprobe")) != nil }

    /// Reads the size, frame rate, codec, frame count and audio presence of a video file.
    ///
    /// - Throws: ``AnonymizerError`` naming the file when ffprobe fails or finds no video stream.
    public static func probe(_ path: String) throws -> VideoInfo {
        let ffprobe = try locate("ffprobe")
        let (status, out, err) = try run(ffprobe, ["-v", "error", "-print_format", "json", "-show_streams", "-show_format", path])
        guard status == 0 else {
            throw AnonymizerError("\(path): ffprobe could not read it (\(lastLine(err)))")
        }
        guard let root = try? JSONSerialization.jsonObject(with: out) as? [String: Any],
              let streams = root["streams"] as? [[String: Any]] else {
            throw AnonymizerError("\(path): ffprobe gave no stream list")
        }
        guard let video = streams.first(where: { ($0["codec_type"] as? String) == "video" && !isAttachedPicture($0) }),
              let w = video["width"] as? Int, let h = video["height"] as? Int, w > 0, h > 0 else {
            throw AnonymizerError("\(path): no video stream")
        }
        let rate = [video["avg_frame_rate"], video["r_frame_rate"]].compactMap { $0 as? String }
            .first { parseRate($0) != nil } ?? "25/1"
        let fps = parseRate(rate) ?? 25
        var rotation = 0
        if let tags = video["tags"] as? [String: Any], let r = (tags["rotate"] as? String).flatMap({ Int($0) }) { rotation = r }
        for side in video["side_data_list"] as? [[String: Any]] ?? [] {
            if let r = side["rotation"] as? Int { rotation = r }
        }
        let swap = abs(rotation) % 180 == 90
        let format = root["format"] as? [String: Any]
        let duration = (video["duration"] as? String).flatMap(Double.init) ?? (format?["duration"] as? String).flatMap(Double.init)
        var count = (video["nb_frames"] as? String).flatMap { Int($0) }
        if count == nil || count == 0, let duration { count = Int((duration * fps).rounded()) }
        return VideoInfo(width: swap ? h : w, height: swap ? w : h, frameRate: rate, fps: fps,
                         codec: video["codec_name"] as? String ?? "unknown", pixelFormat: video["pix_fmt"] as? String,
                         frameCount: count, duration: duration,
                         hasAudio: streams.contains { ($0["codec_type"] as? String) == "audio" })
    }

    static func isAttachedPicture(_ stream: [String: Any]) -> Bool {
        ((stream["disposition"] as? [String: Any])?["attached_pic"] as? Int) == 1
    }

    /// `num/den` or a decimal as frames per second (nil for 0/0 and non-positive rates).
    static func parseRate(_ s: String) -> Double? {
        let parts = s.split(separator: "/")
        if parts.count == 2, let n = Double(parts[0]), let d = Double(parts[1]), d > 0, n > 0 { return n / d }
        if parts.count == 1, let v = Double(parts[0]), v > 0 { return v }
        return nil
    }

    /// The encoder ffmpeg should use to keep a codec family (`h264` -> `libx264`...), or nil
    /// when there is none to keep (the caller falls back to `libx264`).
    public static func encoder(forCodec codec: String) -> String? {
        switch codec {
        case "h264": return "libx264"
        case "hevc": return "libx265"
        case "vp8": return "libvpx"
        case "vp9": return "libvpx-vp9"
        case "av1": return "libaom-av1"
        case "mpeg4": return "mpeg4"
        case "mjpeg": return "mjpeg"
        case "prores": return "prores_ks"
        case "ffv1", "png", "rawvideo", "huffyuv", "utvideo": return codec
        default: return nil
        }
    }

    /// Runs a short command to completion and returns its status, standard output and standard error.
    static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, Data, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe()
        let errFile = try TemporaryFile()
        p.standardOutput = out
        p.standardError = errFile.handle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, data, errFile.text())
    }

    static func lastLine(_ s: String) -> String {
        s.split(separator: "\n").last.map(String.init) ?? "no message"
    }
}

/// A temporary file that collects a subprocess's standard error without a pipe that could fill
/// up and block it; removed when released.
final class TemporaryFile: @unchecked Sendable {
    let path: String
    let handle: FileHandle

    init() throws {
        path = NSTemporaryDirectory() + "blazeface-ffmpeg-\(UUID().uuidString).log"
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let h = FileHandle(forWritingAtPath: path) else {
            throw AnonymizerError("cannot create a temporary file in \(NSTemporaryDirectory())")
        }
        handle = h
    }

    /// The last 4 KB written.
    func text() -> String {
        guard let d = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: d.suffix(4096), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Decodes a video into RGB frames, one at a time, through `ffmpeg ... -f rawvideo -pix_fmt rgb24 -`.
/// Only one frame is in memory at a time (plus the pipe's buffer).
public final class VideoFrameReader: @unchecked Sendable {
    /// The probed stream.
    public let info: VideoInfo
    private let path: String
    private let process = Process()
    private let output = Pipe()
    private let log: TemporaryFile
    private var finished = false

    /// Starts decoding `path`.
    ///
    /// - Throws: ``AnonymizerError`` when ffmpeg or ffprobe is missing or cannot read the file.
    public init(path: String, info: VideoInfo? = nil) throws {
        self.path = path
        self.info = try info ?? FFmpeg.probe(path)
        log = try TemporaryFile()
        process.executableURL = URL(fileURLWithPath: try FFmpeg.locate("ffmpeg"))
        process.arguments = ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", path, "-map", "0:v:0",
                             "-an", "-sn", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
        process.standardOutput = output
        process.standardError = log.handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// The next frame, or nil after the last.
    ///
    /// - Throws: ``AnonymizerError`` when ffmpeg fails, or stops in the middle of a frame.
    public func next() throws -> RGBImage? {
        if finished { return nil }
        let size = info.width * info.height * 3
        var frame = [UInt8]()
        frame.reserveCapacity(size)
        let handle = output.fileHandleForReading
        while frame.count < size {
            guard let chunk = try handle.read(upToCount: size - frame.count), !chunk.isEmpty else { break }
            frame.append(contentsOf: chunk)
        }
        if frame.count < size {
            finished = true
            process.waitUntilExit()
            if process.terminationStatus != 0 {
                throw AnonymizerError("\(path): ffmpeg could not decode it (\(FFmpeg.lastLine(log.text())))")
            }
            if !frame.isEmpty {
                throw AnonymizerError("\(path): the decoder stopped in the middle of a frame (\(frame.count) of \(size) bytes)")
            }
            return nil
        }
        return try RGBImage(width: info.width, height: info.height, pixels: frame)
    }

    /// Stops the decoder (when the frames are not all read).
    public func close() {
        if process.isRunning { process.terminate() }
        try? output.fileHandleForReading.close()
        process.waitUntilExit()
        finished = true
    }

    deinit { if process.isRunning { process.terminate() } }
}

/// Encodes RGB frames into a video file through `ffmpeg -f rawvideo -pix_fmt rgb24 -s WxH -r FPS -i - ...`.
///
/// The file is written under a temporary name beside the output and renamed when ffmpeg
/// succeeds, so a failure never leaves a half-written file (nor touches an older one).
public final class VideoFrameWriter: @unchecked Sendable {
    /// Where the video goes.
    public let output: String
    private let temporary: String
    private let width: Int
    private let height: Int
    private let process = Process()
    private let input = Pipe()
    private let log: TemporaryFile
    private var done = false

    /// Settings of the encoder.
    public struct Settings: Sendable {
        /// ffmpeg encoder name (`libx264`, `ffv1`...).
        public var codec: String
        /// Constant rate factor (libx264/libx265/libvpx/libaom), when given.
        public var crf: Int?
        /// Output pixel format, when given (`yuv420p`...).
        public var pixelFormat: String?
        /// A file whose audio streams are copied in, when given.
        public var audioFrom: String?
        /// Extra encoder arguments placed before the output path.
        public var extraArguments: [String]

        /// Creates settings.
        public init(codec: String = "libx264", crf: Int? = nil, pixelFormat: String? = nil, audioFrom: String? = nil,
                    extraArguments: [String] = []) {
            self.codec = codec
            self.crf = crf
            self.pixelFormat = pixelFormat
            self.audioFrom = audioFrom
            self.extraArguments = extraArguments
        }
    }

    /// Starts an encoder for `width` x `height` frames at `frameRate` (e.g. `30000/1001`).
    ///
    /// - Throws: ``AnonymizerError`` when ffmpeg is missing or cannot start.
    public init(output: String, width: Int, height: Int, frameRate: String, settings: Settings) throws {
        self.output = output
        self.width = width
        self.height = height
        let url = URL(fileURLWithPath: output)
        let ext = url.pathExtension.isEmpty ? "mkv" : url.pathExtension
        temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid()).\(ext)").path
        log = try TemporaryFile()
        // A broken pipe (the encoder died) must be an error from write(), not a signal that kills us.
        signal(SIGPIPE, SIG_IGN)
        var args = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                    "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)", "-r", frameRate, "-i", "-"]
        if let audio = settings.audioFrom {
            args += ["-i", audio, "-map", "0:v:0", "-map", "1:a?", "-c:a", "copy"]
        }
        args += ["-map_metadata", "-1", "-c:v", settings.codec]
        if let crf = settings.crf { args += ["-crf", String(crf)] }
        if let pf = settings.pixelFormat { args += ["-pix_fmt", pf] }
        args += settings.extraArguments
        args.append(temporary)
        process.executableURL = URL(fileURLWithPath: try FFmpeg.locate("ffmpeg"))
        process.arguments = args
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = log.handle
        try process.run()
    }

    /// Sends one frame to the encoder.
    ///
    /// - Throws: ``AnonymizerError`` with ffmpeg's message when the encoder has failed.
    public func write(_ frame: RGBImage) throws {
        guard frame.width == width, frame.height == height else {
            throw AnonymizerError("\(output): frame is \(frame.width)x\(frame.height), the video \(width)x\(height)")
        }
        do {
            try input.fileHandleForWriting.write(contentsOf: Data(frame.pixels))
        } catch {
            cancel()
            throw AnonymizerError("\(output): ffmpeg stopped encoding (\(FFmpeg.lastLine(log.text())))")
        }
    }

    /// Ends the stream, waits for the encoder and moves the file into place.
    ///
    /// - Throws: ``AnonymizerError`` with ffmpeg's message when encoding failed.
    public func finish() throws {
        guard !done else { return }
        done = true
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw AnonymizerError("\(output): ffmpeg could not encode it (\(FFmpeg.lastLine(log.text())))")
        }
        if FileManager.default.fileExists(atPath: output) { try? FileManager.default.removeItem(atPath: output) }
        do {
            try FileManager.default.moveItem(atPath: temporary, toPath: output)
        } catch {
            throw AnonymizerError("\(output): cannot move the encoded file into place (\(error.localizedDescription))")
        }
    }

    /// Stops the encoder and removes the partial file.
    public func cancel() {
        guard !done else { return }
        done = true
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: temporary)
    }

    deinit { cancel() }
}
