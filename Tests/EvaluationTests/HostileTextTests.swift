import Testing
@testable import Evaluation

/// WIDER text files with numbers that `Double(_:)` would take but no image has: each is refused
/// with the file, the line and what is wrong.
@Suite("Hostile WIDER text files")
struct HostileTextTests {
    static func predictionError(_ boxLine: String) -> EvaluationDataError? {
        do {
            _ = try WiderPredictionSet.parse(text: "img\n1\n\(boxLine)\n", file: "p.txt")
            return nil
        } catch let e as EvaluationDataError {
            return e
        } catch {
            return nil
        }
    }

    @Test("Prediction boxes: hex, inf, nan, 1e308, negative or zero sizes are errors naming the line",
          arguments: ["0x10 1 2 3 0.5", "1 2 3 4 inf", "1 2 3 4 nan", "1e308 2 3 4 0.5", "1 2 -3 4 0.5",
                      "1 2 3 0 0.5", "1 2 3 4 0.5.1", "1 2 3 4 1e", "+ 2 3 4 0.5", "1 2 3 4 0x1p-2"])
    func hostilePredictionLines(line: String) throws {
        let e = try #require(Self.predictionError(line), "\(line) was accepted")
        #expect(e.file == "p.txt")
        #expect(e.line == 3)
    }

    @Test("Plain decimals still parse")
    func plainDecimals() throws {
        let parsed = try WiderPredictionSet.parse(text: "img\n2\n-1.5 .5 3 4e0 0.5\n+10 20 30.25 40 2.5E-4\n", file: "p.txt")
        #expect(parsed.boxes == [ScoredBox(x: -1.5, y: 0.5, width: 3, height: 4, score: 0.5),
                                 ScoredBox(x: 10, y: 20, width: 30.25, height: 40, score: 0.00025)])
    }

    @Test("Ground truth: negative sizes, huge numbers and hex are errors; huge counts fail at once")
    func hostileGroundTruth() throws {
        for line in ["1 2 -3 4", "9223372036854775807 2 3 4", "0x10 2 3 4", "1 2 3 inf"] {
            #expect(throws: EvaluationDataError.self, "\(line)") {
                _ = try WiderGroundTruth.parseBoxFile(text: "1--A/a.jpg\n1\n\(line) 0 0 0 0 0 0\n", file: "gt.txt")
            }
        }
        do {
            _ = try WiderGroundTruth.parseBoxFile(text: "1--A/a.jpg\n9223372036854775807\n1 2 3 4\n", file: "gt.txt")
            Issue.record("a count past the end of the file was accepted")
        } catch let e as EvaluationDataError {
            #expect(e.line == 2)
            #expect("\(e)".contains("face count 9223372036854775807 of 1--A/a is more than the"), "\(e)")
        }
        // Zero-size placeholder boxes (images without faces) stay valid.
        let ok = try WiderGroundTruth.parseBoxFile(text: "1--A/a.jpg\n0\n0 0 0 0 0 0 0 0 0 0\n", file: "gt.txt")
        #expect(ok.first?.faces.count == 1)
    }
}
