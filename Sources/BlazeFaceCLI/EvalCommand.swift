import ArgumentParser
import BlazeFace
import Dispatch
import Evaluation
import FaceFormats
import Foundation
import Imaging

/// `blazeface eval`: WIDER FACE average precision, official protocol and ST's.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure accuracy on WIDER FACE: official easy/medium/hard AP, or ST's AP@0.5.",
        discussion: """
        Either run detection (--images DIR, the WIDER_val/images folder or part of it) or evaluate \
        WIDER-format prediction folders from any detector (--predictions DIR, repeatable). --gt is \
        the folder of the official eval_tools ground truth (wider_face_val.mat and \
        wider_{easy,medium,hard}_val.mat), or the wider_face_split folder \
        (wider_face_val_bbx_gt.txt with keep_{easy,medium,hard}.txt). Only images present are \
        evaluated, and only their faces count; the output says how many.
        """
    )

    enum ProtocolChoice: String, ExpressibleByArgument, CaseIterable { case wider, st, both }

    @Option(help: "WIDER images folder to run detection on.")
    var images: String?

    @Option(help: "A WIDER-format prediction folder to evaluate (repeat to compare runs).")
    var predictions: [String] = []

    @Option(help: "A label for each --predictions folder (in order).")
    var label: [String] = []

    @Option(help: "Ground truth: eval_tools ground-truth folder (.mat) or wider_face_split folder (.txt).")
    var gt: String

    @Option(name: .customLong("protocol"), help: "wider (official easy/medium/hard AP), st (AP@0.5 in the stretched 128x128 frame), or both.")
    var evalProtocol: ProtocolChoice = .wider

    @OptionGroup var detector: DetectorFlags

    @Option(name: .customLong("threads"), parsing: .unconditional, help: "Images processed in parallel (default: all cores).")
    var threadCount: Int?

    var threads: Int { threadCount ?? ProcessInfo.processInfo.activeProcessorCount }

    @Option(help: "With --images, also write the predictions as a WIDER folder here.")
    var savePredictions: String?

    @Option(help: "Write precision-recall curves to this SVG file.")
    var svg: String?

    @Option(help: ArgumentHelp("With --images, run several tilings, e.g. off,3,auto:30,auto:20,sizes:1/0.35/0.18 (one row each).", valueName: "spec,..."))
    var sweep: String?

    @Option(help: "With --sweep, draw AP against model calls per image to this SVG file.")
    var tradeoffSvg: String?

    @Flag(help: "Print results as JSON.")
    var json = false

    /// Tilings of a --sweep (or the single one of the flags).
    func sweepTilings() throws -> [(label: String, tiling: TilingOptions)] {
        guard let sweep else { return [(label: label.first ?? shortModelName, tiling: detector.tiling)] }
        return try sweep.split(separator: ",").map { raw in
            let spec = String(raw)
            var t = detector.tiling
            if spec == "off" {
                t.mode = .off
            } else if spec == "auto" {
                t.mode = .auto
            } else if spec.hasPrefix("auto:"), let m = Float(spec.dropFirst(5)), m >= 1 {
                t.mode = .auto
                t.minFace = m
            } else if spec.hasPrefix("sizes:") {
                let f = spec.dropFirst(6).split(separator: "/").compactMap { Float(String($0)) }
                guard !f.isEmpty, f.allSatisfy({ $0 > 0 && $0 <= 1 }) else { throw CLIError("--sweep: bad sizes in '\(spec)'") }
                t.mode = .sizes(f)
            } else if let n = Int(spec), (1...8).contains(n) {
                t.mode = n == 1 ? .off : .levels(n)
            } else {
                throw CLIError("--sweep: '\(spec)' is not off, N (1-8), auto, auto:MINFACE or sizes:a/b/c")
            }
            return (label: spec, tiling: t)
        }
    }

    func validate() throws {
        if images == nil && predictions.isEmpty { throw ValidationError("give --images DIR (run detection) or --predictions DIR") }
        if images != nil && !predictions.isEmpty { throw ValidationError("give either --images or --predictions, not both") }
        if sweep != nil && images == nil { throw ValidationError("--sweep needs --images") }
        if tradeoffSvg != nil && sweep == nil { throw ValidationError("--tradeoff-svg needs --sweep") }
        if !label.isEmpty && label.count != max(predictions.count, 1) {
            throw ValidationError("give one --label per run (\(max(predictions.count, 1)) runs, \(label.count) labels)")
        }
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256, got \(threads)") }
        try detector.check()
    }

    /// One evaluated run.
    struct Run: Encodable {
        var label: String
        var images, faces, predictions: Int
        var seconds: Double
        var easy, medium, hard: Double?
        var easyFaces, mediumFaces, hardFaces: Int?
        var stAP50: Double?
        var stFaces: Int?
        var note: String
        var modelCallsPerImage: Double?
        var settings: String?
    }

    func run() throws {
        try reportingErrors {
            let full = try Self.loadGroundTruth(gt)
            var runs: [Run] = []
            var curves: [(label: String, points: [(recall: Double, precision: Double)])] = []
            if let images {
                var failed = false
                for (runLabel, tiling) in try sweepTilings() {
                    let detectorInstance = try detectorForEval(tiling)
                    let t0 = DispatchTime.now()
                    let (set, sizes, failures, callsPerImage) = try detectImages(images, detector: detectorInstance, tiling: tiling)
                    if let savePredictions { try set.write(to: sweep == nil ? savePredictions : savePredictions + "/" + runLabel) }
                    var r = try evaluate(set, keys: Set(sizes.keys), sizes: sizes, ground: full, label: runLabel, curves: &curves)
                    r.seconds = Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9
                    r.modelCallsPerImage = callsPerImage
                    r.settings = settings(tiling)
                    runs.append(r)
                    for f in failures { printError("error: \(f)") }
                    failed = failed || !failures.isEmpty
                }
                try report(runs, curves: curves)
                if let tradeoffSvg { try writeTradeoff(runs, to: tradeoffSvg) }
                if failed { throw ExitCode.failure }
                return
            }
            // Prediction folders carry no image sizes, which ST's protocol needs.
            if evalProtocol != .wider {
                throw CLIError("ST's protocol needs each image's size: run it with --images (detection) rather than --predictions")
            }
            for (i, folder) in predictions.enumerated() {
                let t0 = DispatchTime.now()
                let set = try WiderPredictionSet.load(from: folder)
                var r = try evaluate(set, keys: Set(set.images.keys), sizes: [:], ground: full,
                                     label: i < label.count ? label[i] : folder, curves: &curves)
                r.seconds = Double(DispatchTime.now().uptimeNanoseconds - t0.uptimeNanoseconds) / 1e9
                runs.append(r)
            }
            try report(runs, curves: curves)
        }
    }

    /// The model's name as given (`int8`, `float`, `back`...), or the file's name without its extension.
    var shortModelName: String {
        let m = detector.model ?? ModelFiles.defaultModel
        return ModelFamily.named(m) != nil ? m : URL(fileURLWithPath: m).deletingPathExtension().lastPathComponent
    }

    /// AP (easy, medium, hard) against model calls per image.
    func writeTradeoff(_ runs: [Run], to path: String) throws {
        let ordered = runs.sorted { ($0.modelCallsPerImage ?? 0) < ($1.modelCallsPerImage ?? 0) }
        let maxCalls = (ordered.compactMap(\.modelCallsPerImage).max() ?? 1)
        let xMax = max(10, (maxCalls / 10).rounded(.up) * 10)
        let series: [(label: String, points: [(x: Double, y: Double)])] = [("easy", \Run.easy), ("medium", \Run.medium), ("hard", \Run.hard)].map { name, key in
            (label: "\(name) AP", points: ordered.compactMap { r in r[keyPath: key].map { (x: r.modelCallsPerImage ?? 1, y: $0) } })
        }
        let svg = renderLinePlotSVG(series: series, title: "WIDER FACE AP against model calls per image (\(shortModelName))",
                                    xLabel: "Model calls per image", yLabel: "Average precision", xMax: xMax, markers: true)
        do {
            try svg.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CLIError("\(path): cannot write: \(error.localizedDescription)")
        }
        printError("trade-off plot: \(path)")
    }

    /// Detection settings of an eval run, for labels.
    func settings(_ tiling: TilingOptions) -> String {
        let o = effectiveOptions(tiling)
        var text = "\(o.resize.rawValue), \(o.nms.rawValue) NMS \(o.iouThreshold), min score \(o.minScore), \(detector.normalize.rawValue) normalisation, \(o.boxStyle.rawValue) boxes"
        switch tiling.mode {
        case .off: break
        case .auto: text += ", tiles auto (min face \(tiling.minFace))"
        case .levels(let n): text += ", \(n) tile levels"
        case .sizes(let f): text += ", tiles of " + f.map { String(format: "%.3g", $0) }.joined(separator: "/") + " of the long side"
        }
        return text
    }

    /// AP needs low-scoring detections too: unless --min-score was given, eval uses 0.01; boxes
    /// are WIDER-style unless --box was given; ST's
    /// protocol uses its own settings (stretch, hard NMS 0.5, score 0.001, 100 boxes) for flags
    /// left at their detect defaults.
    func effectiveOptions(_ tiling: TilingOptions) -> DetectorOptions {
        var o = detector.options
        if detector.nms == nil { o.nms = tiling.mode == .off ? .weighted : .voting }
        if detector.minScore == nil { o.minScore = evalProtocol == .st ? 0.001 : 0.01 }
        // Scored against WIDER FACE's annotations: WIDER-style boxes unless --box says otherwise.
        if detector.box == nil { o.boxStyle = .wider }
        if evalProtocol == .st {
            if detector.resize == .letterbox { o.resize = .stretch }
            if detector.nms == nil { o.nms = .hard }
            if detector.iou == 0.3 { o.iouThreshold = 0.5 }
            if o.maxFaces == nil { o.maxFaces = 100 }
        }
        return o
    }

    func detectorForEval(_ tiling: TilingOptions) throws -> FaceDetector {
        try detector.makeDetector(options: effectiveOptions(tiling))
    }

    static func loadGroundTruth(_ path: String) throws -> WiderGroundTruth {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw CLIError("\(path): no such file or directory") }
        let dir = isDir.boolValue ? path : (path as NSString).deletingLastPathComponent
        if FileManager.default.fileExists(atPath: dir + "/wider_face_val.mat") { return try WiderGroundTruth.loadMAT(directory: dir) }
        if FileManager.default.fileExists(atPath: dir + "/wider_face_val_bbx_gt.txt") { return try WiderGroundTruth.loadText(splitDirectory: dir) }
        throw CLIError("\(path): neither wider_face_val.mat (eval_tools ground truth) nor wider_face_val_bbx_gt.txt (wider_face_split) found there")
    }

    /// Runs detection over the images, keyed like WIDER ("event/name"); returns predictions,
    /// image sizes, failures and model calls per image.
    func detectImages(_ dir: String, detector: FaceDetector, tiling: TilingOptions) throws -> (WiderPredictionSet, [String: ImageSize], [String], Double) {
        let files = ImageFiles([dir])
        guard files.missing.isEmpty else { throw CLIError(files.missing.map { "\($0.path): \($0.reason)" }.joined(separator: "; ")) }
        guard !files.items.isEmpty else { throw CLIError("\(dir): no images found") }
        let progress = Progress(total: files.items.count)
        var set = WiderPredictionSet()
        var sizes: [String: ImageSize] = [:]
        var failures: [String] = []
        var done = 0, faces = 0, calls = 0
        let batch = BatchDetection(detector: detector, tiling: tiling, threads: threads)
        batch.runAll(files.items, batchSize: max(16, threads * 8)) { results in
            for r in results {
                done += 1
                guard let d = r.detection else { failures.append(r.error ?? r.item.path); continue }
                calls += d.modelCalls
                let key = WiderFile.key(forImagePath: r.item.path)
                set.images[key] = ImagePredictions(boxes: WiderFile.boxes(d.faces).map {
                    ScoredBox(x: $0.x, y: $0.y, width: $0.width, height: $0.height, score: $0.score)
                })
                sizes[key] = ImageSize(width: d.width, height: d.height)
                faces += d.faces.count
            }
            progress.update(done: done, faces: faces)
        }
        progress.finish()
        return (set, sizes, failures, Double(calls) / Double(max(done - failures.count, 1)))
    }

    func evaluate(_ set: WiderPredictionSet, keys: Set<String>, sizes: [String: ImageSize], ground full: WiderGroundTruth,
                  label: String, curves: inout [(label: String, points: [(recall: Double, precision: Double)])]) throws -> Run {
        let ground = full.restricted(to: keys)
        guard !ground.images.isEmpty else {
            throw CLIError("none of the \(keys.count) images is in the ground truth (keys look like \(keys.sorted().first ?? "?"))")
        }
        let outside = keys.count - ground.images.count
        var note = ground.images.count < full.images.count
            ? "evaluated on the \(ground.images.count) of \(full.images.count) validation images present"
            : "all \(full.images.count) validation images"
        if outside > 0 { note += "; \(outside) images not in the ground truth were ignored" }
        var r = Run(label: label, images: ground.images.count, faces: ground.faceCount, predictions: set.boxCount, seconds: 0, note: note)
        if evalProtocol != .st {
            let w = WiderOfficialProtocol.evaluate(groundTruth: ground, predictions: set)
            r.easy = w.easy.averagePrecision
            r.medium = w.medium.averagePrecision
            r.hard = w.hard.averagePrecision
            r.easyFaces = w.easy.countedFaces
            r.mediumFaces = w.medium.countedFaces
            r.hardFaces = w.hard.countedFaces
            for s in [w.easy, w.medium, w.hard] {
                curves.append((label: "\(label): \(s.difficulty.rawValue) AP \(String(format: "%.3f", s.averagePrecision))", points: s.plottablePoints))
            }
        }
        if evalProtocol != .wider {
            let st = try STProtocol.evaluate(groundTruth: ground, predictions: set, imageSizes: sizes)
            r.stAP50 = st.averagePrecision
            r.stFaces = st.groundTruthCount
            curves.append((label: "\(label): ST AP@0.5 \(String(format: "%.3f", st.averagePrecision))", points: st.interpolatedPoints))
        }
        return r
    }

    func report(_ runs: [Run], curves: [(label: String, points: [(recall: Double, precision: Double)])]) throws {
        if let svg {
            let title = evalProtocol == .st ? "WIDER FACE, ST protocol (AP@0.5)" : "WIDER FACE precision-recall"
            do {
                try renderPRCurvesSVG(series: curves, title: title).write(toFile: svg, atomically: true, encoding: .utf8)
            } catch {
                throw CLIError("\(svg): cannot write: \(error.localizedDescription)")
            }
        }
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try enc.encode(runs), as: UTF8.self))
            return
        }
        func ap(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "-" }
        var header = ["run"]
        if evalProtocol != .st { header += ["easy AP", "medium AP", "hard AP"] }
        if evalProtocol != .wider { header += ["ST AP@0.5"] }
        header += ["images", "faces", "boxes", "calls/image", "time"]
        let rows = runs.map { r -> [String] in
            var row = [r.label]
            if evalProtocol != .st { row += [ap(r.easy), ap(r.medium), ap(r.hard)] }
            if evalProtocol != .wider { row += [ap(r.stAP50)] }
            row += ["\(r.images)", "\(r.faces)", "\(r.predictions)", r.modelCallsPerImage.map { String(format: "%.1f", $0) } ?? "-",
                    String(format: "%.1f s", r.seconds)]
            return row
        }
        print(Table(header: header, rows: rows).render(), terminator: "")
        for r in runs {
            var counted = ""
            if let e = r.easyFaces, let m = r.mediumFaces, let h = r.hardFaces { counted = "; counted faces easy \(e), medium \(m), hard \(h)" }
            print("\(r.label): \(r.note)\(counted)" + (r.settings.map { "; \($0)" } ?? ""))
        }
        if let svg { print("precision-recall curves: \(svg)") }
    }
}
