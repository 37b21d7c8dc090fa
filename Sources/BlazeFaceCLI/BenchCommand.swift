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

    @Option(name: .customLong("model"), help: ArgumentHelp("Model to time: a name (\(ModelNames.list)) or a .tflite file (repeatable; default: front-int8, st-int8 and front, leaving out an int8 one whose file is absent).", valueName: "name|file"))
    var models: [String] = []

    @Option(help: "Timed runs per model.")
    var runs: Int = 300

    @Option(help: "Untimed warm-up runs per model.")
    var warmup: Int = 30

    @Option(help: "A folder of images for the end-to-end measurement.")
    var images: String?

    @Option(parsing: .unconditional, help: "Threads for the parallel end-to-end pass.")
    var threads: Int = 2

    @Option(help: "Passes over the folder; the best is reported.")
    var passes: Int = 3

    @Option(help: ArgumentHelp("Model for the end-to-end measurement (default: the default model, front-int8 when present, else front).", valueName: "name|file"))
    var detectModel: String?

    @Flag(help: "Also time every op (median of --runs) and sum the time per kernel.")
    var profile = false

    @Flag(help: "Print results as JSON.")
    var json = false

    func validate() throws {
        guard runs >= 1, warmup >= 0, passes >= 1 else { throw ValidationError("--runs and --passes must be at least 1, --warmup at least 0") }
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256, got \(threads)") }
    }

    struct ModelTiming: Codable {
        var model: String
        var minMs, medianMs, p90Ms: Double
        var runs, arenaBytes: Int
        var ops: [OpTiming]?
    }

    struct OpTiming: Codable {
        var index: Int
        var op: String
        var kernel: String
        var medianMs: Double
    }

    struct EndToEnd: Codable {
        var folder, model: String
        var images, faces: Int
        var imagesPerSecond1Thread: Double
        /// Decoding alone (as detection decodes: scaled JPEG), one thread: the ceiling of the above.
        var decodeOnlyImagesPerSecond1Thread: Double
        var threads: Int
        var imagesPerSecondNThreads, speedup: Double
    }

    struct Report: Codable {
        var models: [ModelTiming]
        var endToEnd: EndToEnd?
        var peakRSSBytes: Int
    }

    func run() throws {
        try reportingErrors {
            var report = Report(models: [], endToEnd: nil, peakRSSBytes: 0)
            for name in modelNames {
                let path = try ModelNames.path(name)
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

    /// The models to time: those given, else front-int8, ST's int8 and front, each int8 one
    /// left out (with a note) when its file is absent, so that the defaults work on a fresh install.
    var modelNames: [String] {
        guard models.isEmpty else { return models }
        var names: [String] = []
        for family in [ModelFamily.frontInt8, .stInt8] {
            if family.find() != nil {
                names.append(family.name)
            } else {
                printError("note: \(family.name) (\(family.fileName)) not found; not timed")
            }
        }
        return names + [ModelFamily.front.name]
    }

    /// The end-to-end model: the one given, else the default model (``ModelFiles/defaultModel``).
    var endToEndModel: String {
        detectModel ?? ModelFiles.defaultModel
    }

    /// Times `invoke()` on one thread with a fixed pseudo-random input.
    static func time(_ compiled: CompiledModel, label: String, runs: Int, warmup: Int) -> ModelTiming {
        let t = Benchmark.measureModel(compiled: compiled, runs: runs, warmup: warmup)
        return ModelTiming(model: label, minMs: t.min, medianMs: t.median, p90Ms: t.p90, runs: t.runs, arenaBytes: compiled.plan.arenaSize)
    }

    func endToEnd(_ dir: String) throws -> EndToEnd {
        let model = endToEndModel
        let (path, family) = try ModelFiles.resolve(model)
        let detector = try FaceDetector(modelPath: path, family: family)
        let files = ImageFiles([dir])
        guard !files.items.isEmpty else { throw CLIError("\(dir): no images found") }
        func pass(_ n: Int) -> (Double, Int) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let results = BatchDetection(detector: detector, tiling: TilingOptions(), threads: n).run(files.items)
            let s = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            return (Double(files.items.count) / s, results.reduce(0) { $0 + ($1.detection?.faces.count ?? 0) })
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
            for item in files.items { _ = try? detector.decodeImage(at: item.path) }
            bestDecode = max(bestDecode, Double(files.items.count) / (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
        }
        return EndToEnd(folder: dir, model: model, images: files.items.count, faces: faces,
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
