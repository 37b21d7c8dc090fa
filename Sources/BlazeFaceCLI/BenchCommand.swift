import ArgumentParser
import BlazeFace
import Dispatch
import Engine
import ModelTools
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
        the whole folder (best of --passes); then decoding alone, the ceiling of that rate. \
        Build with -c release before measuring.
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

    @Flag(help: "Also time every op (median of --runs) and sum the time per kernel.")
    var profile = false

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
        var ops: [OpTiming]?
    }

    struct OpTiming: Codable {
        var index: Int
        var op: String
        var kernel: String
        var medianMs: Double
    }

    struct EndToEnd: Codable {
        var folder: String
        var model: String
        var images: Int
        var faces: Int
        var imagesPerSecond1Thread: Double
        /// Decoding alone (as detection decodes: scaled JPEG), one thread: the ceiling of the above.
        var decodeOnlyImagesPerSecond1Thread: Double
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
                var timing = Self.time(compiled, label: name, runs: runs, warmup: warmup)
                if profile {
                    timing.ops = Benchmark.profileOps(compiled: compiled, runs: runs).map {
                        OpTiming(index: $0.index, op: $0.op, kernel: $0.kernel, medianMs: $0.ms)
                    }
                }
                report.models.append(timing)
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
            for m in report.models {
                guard let ops = m.ops else { continue }
                print("\nper op, \(m.model) (median ms of \(runs) runs; the sum exceeds the model's time by the timer's overhead):")
                print(Table(header: ["#", "op", "kernel", "median ms"],
                            rows: ops.map { ["\($0.index)", $0.op, $0.kernel, String(format: "%.4f", $0.medianMs)] }).render(), terminator: "")
                var byKernel: [String: (ms: Double, count: Int)] = [:]
                for o in ops { byKernel[o.kernel, default: (0, 0)].ms += o.medianMs; byKernel[o.kernel, default: (0, 0)].count += 1 }
                print(Table(header: ["kernel", "ops", "total ms"],
                            rows: byKernel.sorted { $0.value.ms > $1.value.ms }.map { [$0.key, "\($0.value.count)", String(format: "%.4f", $0.value.ms)] }).render(), terminator: "")
            }
            if let e = report.endToEnd {
                print(String(format: "end to end (%@, %d images, %d faces): %.1f images/s on 1 thread, %.1f images/s on %d threads (%.2fx)",
                             e.model, e.images, e.faces, e.imagesPerSecond1Thread, e.imagesPerSecondNThreads, e.threads, e.speedup))
                print(String(format: "decoding alone (scaled JPEG decode, as detection does it): %.1f images/s on 1 thread",
                             e.decodeOnlyImagesPerSecond1Thread))
            }
            print(String(format: "peak memory (max RSS): %.1f MB", Double(report.peakRSSBytes) / 1e6))
        }
    }

    /// Times `invoke()` on one thread with a fixed pseudo-random input.
    static func time(_ compiled: CompiledModel, label: String, runs: Int, warmup: Int) -> ModelTiming {
        let t = Benchmark.measureModel(compiled: compiled, runs: runs, warmup: warmup)
        return ModelTiming(model: label, minMs: t.min, medianMs: t.median, p90Ms: t.p90, runs: t.runs, arenaBytes: compiled.plan.arenaSize)
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
        var bestDecode = 0.0
        for _ in 0..<passes {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for item in files.items { _ = try? detector.decodeForDetection(path: item.path) }
            bestDecode = max(bestDecode, Double(files.items.count) / (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
        }
        return EndToEnd(folder: dir, model: detectModel, images: files.items.count, faces: faces,
                        imagesPerSecond1Thread: best1, decodeOnlyImagesPerSecond1Thread: bestDecode, threads: threads,
                        imagesPerSecondNThreads: bestN, speedup: bestN / max(best1, 1e-9))
    }

    /// Peak resident set size of this process.
    static func peakRSS() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024
    }
}
