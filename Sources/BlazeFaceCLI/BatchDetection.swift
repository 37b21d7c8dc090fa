import BlazeFace
import FaceFormats
import Foundation

/// Runs ``FaceDetector/detect(_:options:)`` over image files, in parallel, in input order: the
/// one loop that `detect`, `eval` and `bench` share.
struct BatchDetection {
    /// The result for one image.
    struct Result {
        var item: ImageFiles.Item
        var detection: DetectionResult?
        var error: String?

        /// The record the output formats write; `modelCalls` only when `reportCalls`.
        func record(reportCalls: Bool) -> ImageFaces {
            ImageFaces(path: item.path, width: detection?.width ?? 0, height: detection?.height ?? 0,
                       faces: detection?.faces ?? [], error: error,
                       modelCalls: reportCalls && error == nil ? detection?.modelCalls : nil)
        }
    }

    let detector: FaceDetector
    let tiling: TilingOptions
    let threads: Int
    /// Where annotated copies of the images go, and what they show (`detect --draw`).
    var draw: DetectCommand.DrawPlan? = nil

    /// Detects faces in `batch` on up to ``threads`` threads (a lone image gets them for its
    /// tiles), and draws them when ``draw`` is set; an error from either is the image's error.
    func run(_ batch: [ImageFiles.Item]) -> [Result] {
        let options = DetectionOptions(tiling: tiling, threads: batch.count == 1 ? threads : 1)
        let detector = detector, draw = draw
        return parallelMap(count: batch.count, threads: threads) { i in
            let item = batch[i]
            do {
                let d = try detector.detect(.file(item.path), options: options)
                if let draw, let target = draw.targets.targets[item.path] {
                    try Annotator.write(path: item.path, faces: d.faces, style: draw.style, to: target)
                }
                return Result(item: item, detection: d)
            } catch {
                return Result(item: item, error: "\(error)")
            }
        }
    }

    /// Runs every item in batches of `batchSize`, handing each batch's results to `handle` in
    /// input order (bounded memory, streamed output).
    func runAll(_ items: [ImageFiles.Item], batchSize: Int, handle: ([Result]) throws -> Void) rethrows {
        var index = 0
        while index < items.count {
            let batch = Array(items[index..<min(items.count, index + batchSize)])
            try handle(run(batch))
            index += batch.count
        }
    }
}

/// A progress bar on standard error, shown only when it is a terminal and there are many files.
final class Progress {
    let total: Int
    let enabled: Bool
    let start = Date()

    init(total: Int) {
        self.total = total
        enabled = isatty(2) != 0 && total >= 20
    }

    func update(done: Int, faces: Int) {
        guard enabled else { return }
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let rate = Double(done) / max(Date().timeIntervalSince(start), 1e-6)
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data(String(format: "\r[%@] %d/%d images, %d faces, %.1f images/s", bar, done, total, faces, rate).utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// Counts of a `detect` run, for its closing summary on standard error.
struct Tally {
    /// Images read and searched (failed ones are not counted here).
    private(set) var images = 0
    private(set) var faces = 0
    private(set) var calls = 0
    private(set) var failed = 0

    mutating func add(_ d: DetectionResult, path: String) {
        if d.discardedFaces > 0 {
            printError("warning: \(path): dropped \(d.discardedFaces) face(s) with absurd coordinates (non-finite, or far larger than or outside the image); is the model damaged?")
        }
        images += 1
        faces += d.faces.count
        calls += d.modelCalls
    }

    /// Reports a failure on standard error as it happens (once: the summary only counts it).
    mutating func fail(_ message: String) {
        failed += 1
        printError("error: \(message)")
    }

    /// `203 images, 1 face, 0 failed, 391.0 images/s`: the rate counts the images processed.
    func summary(seconds: Double, tiled: Bool) -> String {
        func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        let rate = seconds > 0 ? Double(images) / seconds : 0
        var text = "\(count(images, "image", "images")), \(count(faces, "face", "faces")), \(failed) failed, "
            + String(format: "%.1f images/s", rate)
        if tiled && images > 0 { text += String(format: ", %.1f model calls per image", Double(calls) / Double(images)) }
        return text
    }
}
