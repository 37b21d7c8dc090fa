import ArgumentParser
import BlazeFace
import Dispatch
import Engine
import Foundation
import TFLite

/// `blazeface bench`: model latency, end-to-end throughput and peak memory, on release builds.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure model latency (min/median/p90), images per second from file to faces, and peak memory.",
        discussion: """
        Model latency: one thread, --runs timed invocations after --warmup untimed ones, on a \
        random input. End to end (--images DIR): every image decoded, detected and mapped to \
        pixels, first with one thread, then with --threads; the rate is images per second over \
        the whole folder (best of --passes). Build with -c release before measuring.
        """
    )

    @Option(name: .customLong("model"), help: "Model to time: a path, 'int8' or 'float' (repeatable; default: both).")
    var models: [String] = []

    @Option(help: "Timed runs per model.")
    var runs: Int = 300

    @Option(help: "Untimed warm-up runs per model.")
    var warmup: Int = 30

    @Option(help: "A folder of images for the end-to-end measurement.")
    var images: String?

    @Option(help: "Threads for the parallel end-to-end pass.")
    var threads: Int = 2

    @Option(help: "Passes over the folder; the best is reported.")
    var passes: Int = 3

    @Option(help: "Model for the end-to-end measurement.")
    var detectModel: String = "int8"

    @Flag(help: "Print results as JSON.")
    var json = false

    func validate() throws {
        guard runs >= 1, warmup >= 0, passes >= 1 else { throw ValidationError("--runs and --passes must be at least 1, --warmup at least 0") }
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256") }
    }

    struct ModelTiming: Codable {
        var model: String
        var minMs: Double
        var medianMs: Double
        var p90Ms: Double
        var runs: Int
        var arenaBytes: Int
    }

    struct EndToEnd: Codable {
        var folder: String
        var model: String
        var images: Int
        var faces: Int
        var imagesPerSecond1Thread: Double
        var threads: Int
        var imagesPerSecondNThreads: Double
        var speedup: Double
    }

    struct Report: Codable {
        var models: [ModelTiming]
        var endToEnd: EndToEnd?
        var peakRSSBytes: Int
    }

    func run() throws {
        try reportingErrors {
            var report = Report(models: [], endToEnd: nil, peakRSSBytes: 0)
            let names = models.isEmpty ? ["int8", "float"] : models
            for name in names {
                let path = try ModelLocator.resolve(name)
                // The plan FaceDetector uses: compact memory, 8-bit pixels in where the model allows.
                let compiled = try CompiledModel(model: TFLiteModel(contentsOfFile: path), options: EngineOptions(memory: .compact))
                report.models.append(Self.time(compiled, label: name, runs: runs, warmup: warmup))
            }
            if let images {
                report.endToEnd = try endToEnd(images)
            }
            report.peakRSSBytes = Self.peakRSS()
            if json {
                let enc = JSONEncoder()
                enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try enc.encode(report), as: UTF8.self))
                return
            }
            let rows = report.models.map {
                [$0.model, String(format: "%.3f", $0.minMs), String(format: "%.3f", $0.medianMs), String(format: "%.3f", $0.p90Ms), "\($0.runs)", "\($0.arenaBytes)"]
            }
            print(Table(header: ["model", "min ms", "median ms", "p90 ms", "runs", "arena bytes"], rows: rows).render(), terminator: "")
            if let e = report.endToEnd {
                print(String(format: "end to end (%@, %d images, %d faces): %.1f images/s on 1 thread, %.1f images/s on %d threads (%.2fx)",
                             e.model, e.images, e.faces, e.imagesPerSecond1Thread, e.imagesPerSecondNThreads, e.threads, e.speedup))
            }
            print(String(format: "peak memory (max RSS): %.1f MB", Double(report.peakRSSBytes) / 1e6))
        }
    }

    /// Times `invoke()` on one thread with a random input.
    static func time(_ compiled: CompiledModel, label: String, runs: Int, warmup: Int) -> ModelTiming {
        let interpreter = Interpreter(compiled)
        var rng = SystemRandomNumberGenerator()
        if compiled.acceptsPixels(input: 0) {
            let n = compiled.inputs[0].elementCount
            try? interpreter.setInput(0, pixels: (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) })
        } else if let input = compiled.inputIndices.first, let bytes = interpreter.tensorBytes(input) {
            if compiled.tensors[input].type == .float32 {
                let f = bytes.bindMemory(to: Float.self)
                for i in f.indices { f[i] = Float.random(in: 0...1, using: &rng) }
            } else {
                for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
            }
        }
        for _ in 0..<warmup { interpreter.invoke() }
        var samples: [Double] = []
        samples.reserveCapacity(runs)
        for _ in 0..<runs {
            let t0 = DispatchTime.now().uptimeNanoseconds
            interpreter.invoke()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        samples.sort()
        func q(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count - 1) * p))] }
        return ModelTiming(model: label, minMs: samples.first ?? 0, medianMs: q(0.5), p90Ms: q(0.9), runs: runs, arenaBytes: compiled.plan.arenaSize)
    }

    func endToEnd(_ dir: String) throws -> EndToEnd {
        let detector = try FaceDetector(modelPath: try ModelLocator.resolve(detectModel))
        let files = ImageFiles([dir])
        guard !files.items.isEmpty else { throw CLIError("\(dir): no images found") }
        func pass(_ n: Int) -> (Double, Int) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let results = DetectCommand.process(files.items, detector: detector, threads: n, drawDir: nil)
            let s = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            return (Double(files.items.count) / s, results.reduce(0) { $0 + $1.faces.count })
        }
        _ = pass(1)  // warm the file cache and the interpreter pool
        var best1 = 0.0, bestN = 0.0, faces = 0
        for _ in 0..<passes {
            let (r, f) = pass(1)
            best1 = max(best1, r)
            faces = f
        }
        for _ in 0..<passes { bestN = max(bestN, pass(threads).0) }
        return EndToEnd(folder: dir, model: detectModel, images: files.items.count, faces: faces,
                        imagesPerSecond1Thread: best1, threads: threads, imagesPerSecondNThreads: bestN, speedup: bestN / max(best1, 1e-9))
    }

    /// Peak resident set size of this process.
    static func peakRSS() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024
    }
}
