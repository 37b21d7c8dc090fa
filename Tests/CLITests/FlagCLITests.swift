import Foundation
import Testing
import TestSupport

/// Flag values are checked with messages that say what is wrong, help tells the truth, and the
/// tool knows its version (issue #12, items 7 and 9).
@Suite struct FlagCLITests {
    @Test(arguments: [
        (["detect", "--min-score", "-1", "x.jpg"], "--min-score must be between 0 and 1, got -1.0"),
        (["detect", "--threads", "-3", "x.jpg"], "--threads must be between 1 and 256, got -3"),
        (["detect", "--iou", "2", "x.jpg"], "--iou must be between 0 and 1, got 2.0"),
        (["detect", "--max-faces", "0", "x.jpg"], "--max-faces must be at least 1, got 0"),
        (["detect", "--max-megapixels", "-5", "x.jpg"], "--max-megapixels must be between 1 and 100000, got -5"),
        (["eval", "--threads", "0", "--predictions", "p", "--gt", "g"], "--threads must be between 1 and 256, got 0"),
        (["quantize", "m.tflite", "--calibration", "c", "-o", "o.tflite", "--ablate", "p", "--ablate-ops", "0-29;3-x"],
         "--ablate-ops: '3-x' is not a position or a range like 0-29"),
        (["quantize", "m.tflite", "--calibration", "c", "-o", "o.tflite", "--ablate-ops", "1"], "--ablate-ops needs --ablate PREFIX"),
        (["quantize", "m.tflite", "--calibration", "c", "-o", "./m.tflite"], "./m.tflite would overwrite the input model m.tflite"),
        (["quantize", "m-1.tflite", "--calibration", "c", "-o", "o.tflite", "--ablate", "m", "--ablate-ops", "0;1"],
         "m-1.tflite would overwrite the input model m-1.tflite"),
        (["quantize", "m.tflite", "--calibration", "c", "-o", "o.tflite", "--depthwise-percentile", "101"],
         "--depthwise-percentile must be within 50...100, got 101.0"),
    ])
    func badValuesAreNamed(args: [String], message: String) throws {
        let r = try CLITests.run(args)
        #expect(r.status == 64)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!r.stderr.contains("Missing value"), "\(r.stderr)")
    }

    @Test func versionMatchesTheChangelog() throws {
        let r = try CLITests.run(["--version"])
        #expect(r.status == 0)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let changelog = try String(contentsOf: root.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        let version = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!version.isEmpty && changelog.contains("## [\(version)]"), "version \(version)")
    }

    @Test func evalHelpStatesItsOwnDefaults() throws {
        let r = try CLITests.run(["eval", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("0.01, or\n") || r.stdout.contains("0.01, or 0.001"), "\(r.stdout)")
        // One default for --threads, not "all cores" and a number.
        let threads = r.stdout.components(separatedBy: "--threads <threads>").dropFirst().first ?? ""
        let line = threads.components(separatedBy: "\n  --").first ?? ""
        #expect(line.contains("default: all cores") && !line.contains("(default: 2)"), "\(line)")
        let detect = try CLITests.run(["detect", "--help"])
        #expect(detect.stdout.contains("guided"), "--tiles auto help describes the guided plan")
    }
}
