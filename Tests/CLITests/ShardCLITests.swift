import Foundation
import Testing
import TestSupport

/// `detect --shard I/N` and `--resume`, as batch jobs use them: separate processes.
@Suite struct ShardCLITests {
    /// `count` copies of the sample photo in nested folders (and a few unreadable files, which
    /// get error records like any input).
    static func folder(_ count: Int) throws -> String {
        let dir = CLITests.tempDir()
        let photo = try Data(contentsOf: URL(fileURLWithPath: SharedData.samplePhoto))
        for i in 0..<count {
            let sub = dir + "/set\(i % 3)/part\(i % 5)"
            try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
            try photo.write(to: URL(fileURLWithPath: sub + "/img\(i).png"))
        }
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: dir + "/set0/broken.jpg"))
        return dir
    }

    static func lines(_ file: String) -> [String] {
        ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func fourShardsTogetherAreOneRun() throws {
        let dir = try Self.folder(40)
        defer { CLITests.remove(dir) }
        let whole = try CLITests.run(["detect", dir, "--format", "jsonl", "-o", dir + "/whole.jsonl"])
        #expect(whole.status == 1)  // the broken file
        let expected = Self.lines(dir + "/whole.jsonl")
        #expect(expected.count == 41)
        // Four processes at once, as an Indexed Job's pods would run.
        let outputs = (0..<4).map { dir + "/shard\($0).jsonl" }
        let processes = try (0..<4).map { i -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLITests.binary)
            p.arguments = ["detect", dir, "--format", "jsonl", "-o", outputs[i], "--shard", "\(i)/4"]
            p.standardError = FileHandle.nullDevice
            try p.run()
            return p
        }
        processes.forEach { $0.waitUntilExit() }
        let parts = outputs.map(Self.lines)
        #expect(parts.allSatisfy { !$0.isEmpty }, "\(parts.map(\.count))")
        let union = parts.flatMap { $0 }
        #expect(union.count == expected.count)
        #expect(Set(union) == Set(expected))
        // The shares do not depend on how the folder is named or listed.
        let moved = dir + "-moved"
        try FileManager.default.moveItem(atPath: dir, toPath: moved)
        defer { CLITests.remove(moved) }
        let again = try CLITests.run(["detect", moved + "/", "--format", "jsonl", "--shard", "2/4"])
        let paths = again.stdout.split(separator: "\n").map { String($0).replacingOccurrences(of: moved + "/", with: dir + "/") }
        #expect(Set(paths) == Set(parts[2]))
        #expect(try CLITests.run(["detect", moved, "--shard", "4/4"]).status == 64)
    }

    @Test func killedShardResumesWithoutDuplicatesOrLosses() throws {
        let dir = try Self.folder(150)
        defer { CLITests.remove(dir) }
        let out = dir + "/faces.jsonl"
        let args = ["detect", dir, "--format", "jsonl", "-o", out, "--shard", "1/2", "--resume"]
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLITests.binary)
        p.arguments = args
        p.standardError = FileHandle.nullDevice
        try p.run()
        let start = Date()
        while Self.lines(out).count < 8 && p.isRunning && Date().timeIntervalSince(start) < 60 { usleep(5_000) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let before = Self.lines(out).count
        #expect(before >= 8)
        // A record cut in the middle by the kill.
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        try h.seekToEnd()
        try h.write(contentsOf: Data(#"{"path":"\#(dir)/set1/part1/img1"#.utf8))
        try h.close()
        let resumed = try CLITests.run(args)
        #expect(resumed.status == 0 || resumed.status == 1, "\(resumed.stderr)")
        let reference = try CLITests.run(["detect", dir, "--format", "jsonl", "--shard", "1/2"])
        let got = Self.lines(out)
        let want = reference.stdout.split(separator: "\n").map(String.init)
        #expect(before < want.count, "the kill came after the run had ended")
        #expect(got.count == want.count, "before the kill: \(before)")
        #expect(Set(got) == Set(want))
        #expect(Set(got).count == got.count)
        #expect(try CLITests.run(["detect", dir, "--resume"]).status == 64)
    }
}
