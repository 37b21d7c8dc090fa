import Foundation
import TestSupport
import Testing
@testable import Evaluation

@Suite("WIDER ground truth")
struct GroundTruthTests {
    @Test("MAT files: 61 events, 3226 images, known boxes and gt_list lengths", .requires(.wider))
    func matGroundTruth() throws {
        let truth = try Loaded.matGroundTruth.get()
        #expect(truth.events.count == 61)
        #expect(truth.images.count == 3226)
        #expect(truth.faceCount == 39708)
        #expect(truth.events.first == "0--Parade")
        #expect(truth.events.last == "9--Press_Conference")

        let first = try #require(truth.images.first)
        #expect(first.key == "0--Parade/0_Parade_marchingband_1_465")
        #expect(first.faces.count == 126)
        #expect(first.faces.first == FaceBox(x: 345, y: 211, width: 4, height: 4))
        #expect(first.easy.isEmpty)
        #expect(first.medium.isEmpty)
        #expect(first.hard == [31, 32, 125])

        let parade = try #require(truth.image(forKey: "0--Parade/0_Parade_Parade_0_102"))
        #expect(parade.faces.count == 39)
        #expect(parade.faces[0] == FaceBox(x: 806, y: 442, width: 24, height: 32))
        #expect(parade.faces[1] == FaceBox(x: 936, y: 435, width: 21, height: 28))
        #expect(parade.easy.count == 0)
        #expect(parade.hard.count == 33)

        // Whole-set counts of counted faces (sum of gt_list lengths).
        #expect(truth.countedFaceCount(.easy) == 7211)
        #expect(truth.countedFaceCount(.medium) == 13319)
        #expect(truth.countedFaceCount(.hard) == 31958)
    }

    @Test("The MAT route and the text route agree on the 203 images", .requires(.wider))
    func routesAgree() throws {
        let mat = try Loaded.matGroundTruth.get()
        let text = try Loaded.textGroundTruth.get()
        #expect(text.images.count == 203)
        let restricted = mat.restricted(to: Set(text.keys))
        #expect(restricted.images.count == 203)
        for image in text.images {
            let other = try #require(restricted.image(forKey: image.key))
            #expect(other.faces == image.faces, "boxes of \(image.key)")
            #expect(other.easy == image.easy, "easy list of \(image.key)")
            #expect(other.medium == image.medium, "medium list of \(image.key)")
            #expect(other.hard == image.hard, "hard list of \(image.key)")
        }
        for difficulty in WiderDifficulty.allCases {
            #expect(restricted.countedFaceCount(difficulty) == text.countedFaceCount(difficulty))
        }
        #expect(text.countedFaceCount(.easy) == 565)
        #expect(text.countedFaceCount(.medium) == 1340)
        #expect(text.countedFaceCount(.hard) == 3805)
        #expect(text.faceCount == 4760)
    }

    @Test("Image folder keys match the 203 annotated images", .requires(.wider))
    func imageFolderKeys() throws {
        let keys = try WiderGroundTruth.imageKeys(inImageDirectory: SharedData.imageDirectory)
        #expect(keys.count == 203)
        let text = try Loaded.textGroundTruth.get()
        #expect(keys == Set(text.keys))
        let mat = try Loaded.matGroundTruth.get()
        let restricted = mat.restricted(to: keys.union(["no-such/image"]))
        #expect(restricted.images.count == 203)
        #expect(restricted.events.count == 9)
    }

    @Test("Text parsing: zero-face images keep their placeholder box; errors name file and line")
    func textParsing() throws {
        let boxes = """
        1--A/a.jpg
        2
        1 2 3 4 0 0 0 0 0 0 \r
        5 6 7 8 0 0 0 0 0 0
        1--A/b.jpg
        0
        0 0 0 0 0 0 0 0 0 0

        """
        let entries = try WiderGroundTruth.parseBoxFile(text: boxes, file: "gt.txt")
        #expect(entries.count == 2)
        #expect(entries[0].faces == [FaceBox(x: 1, y: 2, width: 3, height: 4), FaceBox(x: 5, y: 6, width: 7, height: 8)])
        #expect(entries[1].key == "1--A/b")
        #expect(entries[1].faces == [FaceBox(x: 0, y: 0, width: 0, height: 0)])

        let keep = try WiderGroundTruth.parseKeepFile(text: "1--A/a.jpg 1 2\n1--A/b.jpg 0\n", file: "keep.txt")
        #expect(keep["1--A/a"] == [2])
        #expect(keep["1--A/b"] == [])

        #expect(throws: EvaluationDataError(file: "keep.txt", line: 1, reason: "count says 2 indices but 1 follow")) {
            _ = try WiderGroundTruth.parseKeepFile(text: "1--A/a.jpg 2 1\n", file: "keep.txt")
        }
        #expect(throws: EvaluationDataError.self) {
            _ = try WiderGroundTruth.parseBoxFile(text: "1--A/a.jpg\n3\n1 2 3 4\n", file: "gt.txt")
        }
        #expect(throws: EvaluationDataError.self) {
            _ = try WiderGroundTruth.parseBoxFile(text: "1--A/a.jpg\nx\n", file: "gt.txt")
        }
        // An index outside the face list is rejected when building the ground truth.
        #expect(throws: EvaluationDataError.self) {
            _ = try WiderGroundTruth(images: [WiderImageAnnotation(event: "e", name: "n", faces: [FaceBox(x: 0, y: 0, width: 1, height: 1)],
                                                                   easy: [2], medium: [], hard: [])])
        }
    }
}
