import Foundation
import Testing
@testable import Evaluation

@Suite("WIDER prediction files")
struct PredictionIOTests {
    @Test("Parsing tolerates trailing whitespace, CRLF and trailing blank lines")
    func tolerant() throws {
        let text = "0_Parade_x_1\r\n2  \r\n1 2 3 4 0.5 \t\r\n10.5 20 30 40 1e-3\r\n\r\n  \n"
        let parsed = try WiderPredictionSet.parse(text: text, file: "p.txt")
        #expect(parsed.boxes == [
            ScoredBox(x: 1, y: 2, width: 3, height: 4, score: 0.5),
            ScoredBox(x: 10.5, y: 20, width: 30, height: 40, score: 0.001),
        ])
        #expect(try WiderPredictionSet.parse(text: "name\n0\n", file: "p.txt").boxes.isEmpty)
        #expect(try WiderPredictionSet.parse(text: "name\n0", file: "p.txt").boxes.isEmpty)
    }

    @Test("Malformed files give errors naming file and line")
    func malformed() {
        let cases: [(String, Int, String)] = [
            ("name", 2, "expected the image name on line 1 and the box count on line 2"),
            ("name\nabc\n", 2, "box count \"abc\" is not a non-negative integer"),
            ("name\n-1\n", 2, "box count \"-1\" is not a non-negative integer"),
            ("name\n2\n1 2 3 4 0.5\n", 4, "count says 2 boxes but the file ends after 1"),
            ("name\n1\n1 2 3 0.5\n", 3, "expected \"x y w h score\" (five decimal numbers, at most 1e6 in size), found \"1 2 3 0.5\""),
            ("name\n1\n1 2 3 4 nan\n", 3, "expected \"x y w h score\" (five decimal numbers, at most 1e6 in size), found \"1 2 3 4 nan\""),
            ("name\n1\n1 2 3 4 x\n", 3, "expected \"x y w h score\" (five decimal numbers, at most 1e6 in size), found \"1 2 3 4 x\""),
            ("name\n1\n1 2 3 4 0.5\n5 6 7 8 0.1\n", 4, "unexpected content after the 1 boxes"),
        ]
        for (text, line, reason) in cases {
            #expect(throws: EvaluationDataError(file: "bad.txt", line: line, reason: reason)) {
                _ = try WiderPredictionSet.parse(text: text, file: "bad.txt")
            }
        }
    }

    @Test("Write then load gives the same set; hidden and non-txt files are skipped")
    func roundTrip() throws {
        let folder = try makeTemporaryDirectory("roundtrip")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let set = WiderPredictionSet(images: [
            "0--Parade/0_Parade_a_1": ImagePredictions(boxes: [
                ScoredBox(x: 1, y: 2.25, width: 3, height: 4, score: 0.1 + 0.2),
                ScoredBox(x: -5, y: 1e-7, width: 1234.5678, height: 9, score: 0.99999999),
            ]),
            "0--Parade/0_Parade_b_2": ImagePredictions(boxes: []),
            "12--Group/12_Group_c_3": ImagePredictions(boxes: [ScoredBox(x: 0, y: 0, width: 1, height: 1, score: 1)]),
        ])
        try set.write(to: folder)
        try Data("junk".utf8).write(to: URL(fileURLWithPath: folder + "/0--Parade/.hidden.txt"))
        try Data("junk".utf8).write(to: URL(fileURLWithPath: folder + "/0--Parade/readme.md"))
        let loaded = try WiderPredictionSet.load(from: folder)
        #expect(loaded == set)
        #expect(loaded.boxCount == 3)
        let first = try String(contentsOfFile: folder + "/0--Parade/0_Parade_a_1.txt", encoding: .utf8)
        #expect(first.hasPrefix("0_Parade_a_1\n2\n1.0 2.25 3.0 4.0 0.30000000000000004\n"))

        // A malformed file in the folder is reported with its path.
        try Data("x\n1\n1 2 3\n".utf8).write(to: URL(fileURLWithPath: folder + "/12--Group/broken.txt"))
        do {
            _ = try WiderPredictionSet.load(from: folder)
            Issue.record("broken file not reported")
        } catch let error as EvaluationDataError {
            #expect(error.file.hasSuffix("12--Group/broken.txt"))
            #expect(error.line == 3)
        }
        #expect(throws: EvaluationDataError.self) { try WiderPredictionSet(images: ["no-slash": ImagePredictions()]).write(to: folder) }
        #expect(throws: EvaluationDataError.self) { _ = try WiderPredictionSet.load(from: folder + "/missing") }
    }
}
