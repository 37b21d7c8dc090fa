import Foundation
import Testing
import TestSupport

/// `detect --draw`: annotated copies never overwrite an input or each other, and `--draw-style`
/// chooses the marks. Runs on the photo setup fetches (no ../shared needed).
@Suite struct DrawCLITests {
    static func md5(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// Two folders, each with the same file name, and a third used as its own draw folder.
    static func makeInputs() throws -> String {
        let dir = CLITests.tempDir()
        for sub in ["a", "b", "photos"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: SharedData.samplePhoto, toPath: dir + "/" + sub + "/x.png")
        }
        return dir
    }

    @Test func drawingIntoTheInputFolderIsRefusedAndTheInputKept() throws {
        let dir = try Self.makeInputs()
        defer { CLITests.remove(dir) }
        let before = try #require(FileManager.default.contents(atPath: dir + "/photos/x.png"))
        let r = try CLITests.run(["detect", "--model", SharedData.floatModel, dir + "/photos", "--draw", dir + "/photos"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("error: --draw \(dir)/photos would overwrite the input \(dir)/photos/x.png; choose a folder outside the inputs"), "\(r.stderr)")
        #expect(r.stdout.isEmpty, "nothing is detected when the plan is refused")
        #expect(FileManager.default.contents(atPath: dir + "/photos/x.png") == before)
        // The same file named directly, with the draw folder as its parent.
        let r2 = try CLITests.run(["detect", "--model", SharedData.floatModel, dir + "/photos/x.png", "--draw", dir + "/photos/"])
        #expect(r2.status == 64)
        #expect(FileManager.default.contents(atPath: dir + "/photos/x.png") == before)
    }

    @Test func sameNamesInDifferentFoldersGetTheirOwnCopies() throws {
        let dir = try Self.makeInputs()
        defer { CLITests.remove(dir) }
        let out = dir + "/out"
        let r = try CLITests.run(["detect", "--model", SharedData.floatModel, dir + "/a/x.png", dir + "/b/x.png", "--draw", out])
        #expect(r.status == 0, "\(r.stderr)")
        let made = try FileManager.default.subpathsOfDirectory(atPath: out).filter { $0.hasSuffix(".png") }.sorted()
        #expect(made == ["a/x.png", "b/x.png"])
        // A folder argument mirrors the paths inside it.
        let r2 = try CLITests.run(["detect", "--model", SharedData.floatModel, dir + "/a", "--draw", dir + "/out2"])
        #expect(r2.status == 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/out2/x.png"))
    }

    @Test func drawStyleChoosesTheMarks() throws {
        let dir = try Self.makeInputs()
        defer { CLITests.remove(dir) }
        let photo = dir + "/a/x.png"
        var outputs: [String: Data] = [:]
        for style in ["all", "box", "box,score,keypoints", "keypoints"] {
            let r = try CLITests.run(["detect", "--model", SharedData.floatModel, photo, "--draw", dir + "/" + style, "--draw-style", style])
            #expect(r.status == 0, "\(r.stderr)")
            outputs[style] = FileManager.default.contents(atPath: dir + "/" + style + "/x.png")
        }
        let r = try CLITests.run(["detect", "--model", SharedData.floatModel, photo, "--draw", dir + "/default"])
        #expect(r.status == 0)
        let original = try #require(FileManager.default.contents(atPath: photo))
        #expect(outputs["all"] != nil && outputs["all"] == FileManager.default.contents(atPath: dir + "/default/x.png"))
        #expect(outputs["all"] == outputs["box,score,keypoints"])
        #expect(outputs["box"] != outputs["all"] && outputs["keypoints"] != outputs["box"])
        #expect(outputs["box"] != original && outputs["keypoints"] != original)
        let bad = try CLITests.run(["detect", photo, "--draw", dir + "/x", "--draw-style", "box,nose"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("'nose' is not a draw style; use a comma-separated list of box, score, keypoints, all"), "\(bad.stderr)")
    }
}
