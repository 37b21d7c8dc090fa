import Foundation
import Testing
import TestSupport

/// `blazeface eval` end to end on a few real WIDER images.
@Suite struct EvalCLITests {
    static let wider = SharedData.path("data/wider_face")

    /// Six WIDER images copied into a temporary WIDER-style folder (event/name.jpg).
    static func subset() throws -> String {
        let dir = CLITests.tempDir() + "/images"
        let all = SharedData.files(under: "data/wider_face/WIDER_val/images", extension: "jpg")
        for path in all.prefix(6) {
            let url = URL(fileURLWithPath: path)
            let event = dir + "/" + url.deletingLastPathComponent().lastPathComponent
            try FileManager.default.createDirectory(atPath: event, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: path, toPath: event + "/" + url.lastPathComponent)
        }
        return dir
    }

    /// The files under a folder, by relative path.
    static func files(_ folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for case let rel as String in FileManager.default.enumerator(atPath: folder)?.allObjects ?? [] where rel.hasSuffix(".txt") {
            out[rel] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + rel))
        }
        return out
    }

    static func json(_ s: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [[String: Any]])
    }

    @Test(.requires(.wider)) func imagesAndPredictionRoutesAgree() throws {
        let images = try Self.subset()
        defer { CLITests.remove((images as NSString).deletingLastPathComponent) }
        let tmp = CLITests.tempDir()
        defer { CLITests.remove(tmp) }
        let a = try CLITests.run(["eval", "--images", images, "--gt", Self.wider + "/wider_face_split", "--model", SharedData.floatModel,
                                  "--json", "--svg", tmp + "/pr.svg", "--save-predictions", tmp + "/saved"])
        #expect(a.status == 0, "\(a.stderr)")
        let ra = try #require(try Self.json(a.stdout).first)
        #expect(ra["images"] as? Int == 6)
        #expect((ra["note"] as? String)?.contains("6 of 203") == true, "\(ra["note"] ?? "")")
        let easyA = try #require(ra["easy"] as? Double)
        #expect(easyA >= 0 && easyA <= 1)
        let svg = try String(contentsOfFile: tmp + "/pr.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
        #expect(svg.contains("easy AP"))
        // eval scores WIDER-style boxes unless told otherwise, and says so.
        #expect((ra["settings"] as? String)?.contains("wider boxes") == true, "\(ra["settings"] ?? "")")
        // The same detections written by `detect --format wider --box wider` and evaluated from the
        // folder, against the .mat ground truth this time.
        let d = try CLITests.run(["detect", "--model", SharedData.floatModel, "--min-score", "0.01", "--format", "wider", "--box", "wider",
                                  "--output", tmp + "/preds", images])
        #expect(d.status == 0, "\(d.stderr)")
        // One WIDER formatter: the two folders are byte-identical.
        let detected = try Self.files(tmp + "/preds"), saved = try Self.files(tmp + "/saved")
        #expect(detected.count == 6 && detected.keys.sorted() == saved.keys.sorted())
        for (name, data) in detected { #expect(data == saved[name], "\(name) differs") }
        let b = try CLITests.run(["eval", "--predictions", tmp + "/preds", "--predictions", tmp + "/saved", "--label", "detect", "--label", "saved",
                                  "--gt", Self.wider + "/eval_tools_ground_truth", "--json"])
        #expect(b.status == 0, "\(b.stderr)")
        let rb = try Self.json(b.stdout)
        #expect(rb.count == 2)
        for r in rb {
            #expect(r["images"] as? Int == 6)
            for k in ["easy", "medium", "hard"] {
                let x = try #require(ra[k] as? Double), y = try #require(r[k] as? Double)
                #expect(abs(x - y) < 1e-3, "\(k): \(x) vs \(y) (\(r["label"] ?? ""))")
            }
        }
        // The table form names the runs and the counted faces.
        let t = try CLITests.run(["eval", "--predictions", tmp + "/preds", "--gt", Self.wider + "/wider_face_split"])
        #expect(t.stdout.contains("easy AP  medium AP  hard AP"))
        #expect(t.stdout.contains("counted faces easy"))
    }

    @Test(.requires(.wider)) func stProtocolRunsDetectionInItsOwnSettings() throws {
        let images = try Self.subset()
        defer { CLITests.remove((images as NSString).deletingLastPathComponent) }
        let r = try CLITests.run(["eval", "--images", images, "--gt", Self.wider + "/wider_face_split", "--model", SharedData.floatModel,
                                  "--protocol", "st", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let run = try #require(try Self.json(r.stdout).first)
        #expect(run["stAP50"] is Double)
        #expect(run["easy"] == nil)
        #expect((run["settings"] as? String)?.hasPrefix("stretch, hard NMS 0.5, min score 0.001") == true, "\(run["settings"] ?? "")")
    }

    @Test(.requires(.int8Model, .wider)) func sweepReportsCallsAndDrawsTheTradeoff() throws {
        let images = try Self.subset()
        defer { CLITests.remove((images as NSString).deletingLastPathComponent) }
        let tmp = CLITests.tempDir()
        defer { CLITests.remove(tmp) }
        let r = try CLITests.run(["eval", "--images", images, "--gt", Self.wider + "/wider_face_split", "--model", SharedData.int8Model,
                                  "--sweep", "off,2", "--tradeoff-svg", tmp + "/t.svg", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let runs = try Self.json(r.stdout)
        #expect(runs.map { $0["label"] as? String } == ["off", "2"])
        #expect(runs[0]["modelCallsPerImage"] as? Double == 1)
        let calls = try #require(runs[1]["modelCallsPerImage"] as? Double)
        #expect(calls > 1 && calls <= 10, "\(calls)")
        // Tiles find more of WIDER's small faces than one pass.
        #expect((runs[1]["medium"] as? Double ?? 0) >= (runs[0]["medium"] as? Double ?? 1))
        let svg = try String(contentsOfFile: tmp + "/t.svg", encoding: .utf8)
        #expect(svg.contains("Model calls per image") && svg.contains("hard AP"))
        let d = try CLITests.run(["detect", "--model", SharedData.int8Model, "--tiles", "auto", "--format", "jsonl", images])
        #expect(d.status == 0, "\(d.stderr)")
        #expect(d.stderr.contains("model calls per image"), "\(d.stderr)")
        // Each JSON record says how many model calls its image took.
        let records = d.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(!records.isEmpty && records.allSatisfy { ($0["modelCalls"] as? Int ?? 0) >= 13 }, "\(d.stdout.prefix(300))")
        let bad = try CLITests.run(["eval", "--images", images, "--gt", Self.wider + "/wider_face_split", "--sweep", "auto:x"])
        #expect(bad.status != 0 && bad.stderr.contains("auto:x"))
        // Guidance flags: stricter guidance runs fewer tiles; nonsense is refused with the flag named.
        func modelCalls(_ extra: [String]) throws -> Double {
            let r = try CLITests.run(["detect", "--model", SharedData.int8Model, "--tiles", "auto", "--format", "jsonl", images] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            let text = r.stderr.components(separatedBy: " model calls per image").first?.split(separator: " ").last
            return try #require(text.flatMap { Double(String($0)) }, "\(r.stderr)")
        }
        #expect(try modelCalls(["--guide-score", "0.9"]) < modelCalls([]))
        for (flag, value) in [("--guide-score", "1.5"), ("--guide-face", "0"), ("--max-calls", "0"), ("--min-face", "0")] {
            let r = try CLITests.run(["detect", "--tiles", "auto", flag, value, images])
            #expect(r.status != 0 && r.stderr.contains(flag), "\(flag) \(value): \(r.stderr)")
        }
    }

    @Test(.requires(.wider)) func badInputsAreNamed() throws {
        let tmp = CLITests.tempDir()
        defer { CLITests.remove(tmp) }
        var r = try CLITests.run(["eval", "--predictions", tmp, "--gt", tmp])
        #expect(r.status == 1)
        #expect(r.stderr.contains("neither wider_face_val.mat"), "\(r.stderr)")
        r = try CLITests.run(["eval", "--gt", Self.wider + "/wider_face_split"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--images"))
        // A malformed prediction file is named.
        try FileManager.default.createDirectory(atPath: tmp + "/p/0--Parade", withIntermediateDirectories: true)
        try "0_Parade_Parade_0_102\n2\n1 2 3\n".write(toFile: tmp + "/p/0--Parade/0_Parade_Parade_0_102.txt", atomically: true, encoding: .utf8)
        r = try CLITests.run(["eval", "--predictions", tmp + "/p", "--gt", Self.wider + "/wider_face_split"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("0_Parade_Parade_0_102.txt"), "\(r.stderr)")
        r = try CLITests.run(["eval", "--predictions", tmp + "/p", "--gt", Self.wider + "/wider_face_split", "--protocol", "st"])
        #expect(r.status == 1)
    }
}
