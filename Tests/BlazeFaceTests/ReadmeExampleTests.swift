import Foundation
import Testing
import TestSupport
import BlazeFace

// readme-example-begin
/// Prints every face in an image and returns them.
func printFaces(model: String, image: String) throws -> [Face] {
    let detector = try FaceDetector(modelPath: model)
    let faces = try detector.detect(imageAt: image)
    for face in faces {
        let b = face.box
        print("face at (\(b.x), \(b.y)), \(b.width) x \(b.height) px, score \(face.score)")
        if let nose = face.keypoints[.noseTip] {
            print("  nose tip at (\(nose.x), \(nose.y))")
        }
    }
    return faces
}
// readme-example-end

/// The README's Swift example is this file's `printFaces`, verbatim, and it works.
@Suite struct ReadmeExampleTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func readmeShowsThisCodeVerbatim() throws {
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let begin = try #require(source.range(of: "// readme-example-begin\n"))
        let end = try #require(source.range(of: "// readme-example-end"))
        let example = String(source[begin.upperBound..<end.lowerBound])
        let readme = try String(contentsOf: Self.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(example), "README.md must contain the printFaces example verbatim")
    }

    @Test func exampleFindsTheFace() throws {
        let faces = try printFaces(model: SharedData.floatModel, image: SharedData.samplePhoto)
        #expect(faces.count == 1)
        let b = try #require(faces.first?.box)
        // The astronaut's face: about (178, 81), 94 px wide, in the 512x512 photo.
        #expect(abs(b.x - 178) < 4 && abs(b.y - 81) < 4 && abs(b.width - 94) < 4)
    }
}
