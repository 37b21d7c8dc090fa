import Foundation
import Testing
import TestSupport
import Imaging

/// What `detect` writes: CSV rows for every image, clear output-path errors, clipped boxes,
/// indented JSON on a terminal (issue #12 items 5, 8, 10 and 15). On the fetched sample photo.
@Suite struct OutputCLITests {
    static func grey(_ path: String) throws {
        // A 64x64 grey PPM: no face.
        try Data("P6\n64 64\n255\n".utf8 + [UInt8](repeating: 128, count: 64 * 64 * 3)).write(to: URL(fileURLWithPath: path))
    }

    @Test func csvHasOneRowPerFaceAndARowForEveryOtherImage() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        try Self.grey(dir + "/grey.ppm")
        let r = try CLITests.run(["detect", "--model", SharedData.floatModel, "--format", "csv",
                                  SharedData.samplePhoto, dir + "/grey.ppm", dir + "/missing.jpg"])
        #expect(r.status == 1)
        let rows = r.stdout.split(separator: "\n").map(String.init)
        let header = try #require(rows.first).split(separator: ",", omittingEmptySubsequences: false)
        #expect(header.prefix(9) == ["path", "image_width", "image_height", "face", "score", "x", "y", "width", "height"])
        #expect(Set(header).count == header.count, "no repeated column")
        #expect(header.last == "error" && header.count == 22)
        #expect(rows.count == 4)
        let missing = try #require(rows.first { $0.hasPrefix(dir + "/missing.jpg,") })
        #expect(missing.hasSuffix(",no such file or directory"))
        let grey = try #require(rows.first { $0.hasPrefix(dir + "/grey.ppm,") })
        #expect(grey == dir + "/grey.ppm,64,64" + String(repeating: ",", count: 19))
        let face = try #require(rows.first { $0.hasPrefix(SharedData.samplePhoto + ",") }).split(separator: ",", omittingEmptySubsequences: false)
        #expect(face.count == 22 && face[3] == "0")
        #expect(face[4].count > 4, "score in full, not to 2 decimals: \(face[4])")
        #expect(abs((Double(face[4]) ?? 0) - 0.9219) < 0.001)
    }

    @Test func outputPathProblemsAreNamed() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        try Data().write(to: URL(fileURLWithPath: dir + "/file"))
        for (args, message) in [
            (["--format", "wider", "-o", dir + "/file"], "\(dir)/file: cannot write the predictions: exists and is not a folder"),
            (["-o", dir + "/nowhere/out.json"], "\(dir)/nowhere/out.json: cannot write the output: the folder \(dir)/nowhere does not exist"),
            (["-o", dir], "\(dir): cannot write the output: is a folder; give a file name"),
        ] {
            let r = try CLITests.run(["detect", "--model", SharedData.floatModel, SharedData.samplePhoto] + args)
            #expect(r.status != 0)
            #expect(r.stderr.contains(message), "\(r.stderr)")
            #expect(!r.stderr.contains("NSCocoaErrorDomain"), "\(r.stderr)")
        }
    }

    /// The astronaut photo cut so that her face crosses the left edge: the box is clipped at 0,
    /// and --raw-boxes gives the model's box, which starts left of the image.
    @Test func boxesAreClippedUnlessRawBoxesAreAsked() throws {
        let dir = CLITests.tempDir()
        defer { CLITests.remove(dir) }
        let photo = try ImageDecoder.decode(path: SharedData.samplePhoto)
        let cut = 178 + 25  // the face's box starts at x = 178 in the full photo
        var crop = RGBImage(width: photo.width - cut, height: photo.height, color: RGBColor(red: 0, green: 0, blue: 0))
        for y in 0..<crop.height { for x in 0..<crop.width { if let c = photo.pixel(x: x + cut, y: y) { crop.setPixel(x: x, y: y, color: c) } } }
        try ImageEncoder().write(crop, to: dir + "/cut.png")
        func firstBoxX(_ extra: [String]) throws -> Double {
            let r = try CLITests.run(["detect", "--model", SharedData.floatModel, "--format", "csv", "--min-score", "0.3", dir + "/cut.png"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            let row = try #require(r.stdout.split(separator: "\n").dropFirst().first, "no face: \(r.stdout)").split(separator: ",", omittingEmptySubsequences: false)
            return try #require(Double(row[5]))
        }
        #expect(try firstBoxX([]) == 0)
        #expect(try firstBoxX(["--raw-boxes"]) < -5)
    }

    @Test func jsonIsIndentedOnATerminalOnly() throws {
        let piped = try CLITests.run(["detect", "--model", SharedData.floatModel, SharedData.samplePhoto])
        #expect(piped.stdout.hasPrefix("[\n  {\"path\":"), "\(piped.stdout.prefix(40))")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qec", "'\(CLITests.binary)' detect --model '\(SharedData.floatModel)' '\(SharedData.samplePhoto)' 2>/dev/null", "/dev/null"]
        let out = Pipe()
        p.standardOutput = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        p.waitUntilExit()
        #expect(text.contains("\n    \"path\": \""), "\(text.prefix(200))")
        #expect(text.contains("\"box\": { \"x\": "), "\(text.prefix(400))")
    }
}
