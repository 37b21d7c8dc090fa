import BlazeFace
import FaceFormats
import Foundation
import Testing

/// The output formats, on faces made up for the test: whole-output comparisons.
@Suite struct FaceFormatsTests {
    static let face = Face(
        box: Face.Box(x: 178.06381, y: 80.5, width: 94.125, height: 94.125), score: 0.91109073,
        keypoints: [.rightEye: Face.Point(x: 203.5, y: 100.75), .leftEye: Face.Point(x: 247.9, y: 108.4),
                    .noseTip: Face.Point(x: 221.9, y: 124.7), .mouthCenter: Face.Point(x: 218.9, y: 145.5),
                    .rightEarTragion: Face.Point(x: 177.9, y: 109.2), .leftEarTragion: Face.Point(x: 271, y: 124.6)])
    static let records = [
        ImageFaces(path: "photos/a,b.png", width: 512, height: 384, faces: [face]),
        ImageFaces(path: "photos/missing.jpg", width: 0, height: 0, faces: [], error: "photos/missing.jpg: no such file"),
        ImageFaces(path: "photos/empty.jpg", width: 64, height: 48, faces: []),
    ]

    /// Writes the records with a format into a temporary file (or folder) and returns its path.
    static func written(_ format: FaceFormat, _ records: [ImageFaces] = records) throws -> String {
        let path = NSTemporaryDirectory() + "faceformats-" + UUID().uuidString + (format.writesFolder ? "" : ".out")
        var writer = try format.makeWriter(output: path)
        for r in records { try writer.write(r) }
        try writer.finish()
        return path
    }

    static func text(_ format: FaceFormat) throws -> String {
        let path = try written(format)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    static let faceJSON = #"{"score":0.91109073,"box":{"x":178.06381,"y":80.5,"width":94.125,"height":94.125},"#
        + #""keypoints":{"right_eye":{"x":203.5,"y":100.75},"left_eye":{"x":247.9,"y":108.4},"nose_tip":{"x":221.9,"y":124.7},"#
        + #""mouth_center":{"x":218.9,"y":145.5},"right_ear_tragion":{"x":177.9,"y":109.2},"left_ear_tragion":{"x":271,"y":124.6}}}"#

    @Test func jsonKeepsTheReadmeKeyOrder() throws {
        let expected = "[\n  " + #"{"path":"photos/a,b.png","width":512,"height":384,"faces":["# + Self.faceJSON + "]}"
            + ",\n  " + #"{"path":"photos/missing.jpg","width":0,"height":0,"faces":[],"error":"photos/missing.jpg: no such file"}"#
            + ",\n  " + #"{"path":"photos/empty.jpg","width":64,"height":48,"faces":[]}"# + "\n]\n"
        #expect(try Self.text(.json) == expected)
        let lines = try Self.text(.jsonl).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first.map(String.init) == #"{"path":"photos/a,b.png","width":512,"height":384,"faces":["# + Self.faceJSON + "]}")
    }

    @Test func jsonNumbersAndStringsAreFoundationsText() throws {
        // Numbers as JSONEncoder writes them, over a wide range of magnitudes.
        var values: [Float] = [0, 1, -39.6, 1e-7, 3.4e38, 0.1, 100, 178.06381, 1_048_576.5]
        var seed: UInt32 = 12345
        for _ in 0..<2000 {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            values.append(Float(bitPattern: 0x3000_0000 + seed % 0x1800_0000) * (seed & 1 == 0 ? 1 : -1))
        }
        let encoder = JSONEncoder()
        for v in values {
            let record = ImageFaces(path: "p", width: 1, height: 1, faces: [Face(box: .init(x: v, y: 0, width: 0, height: 0), score: 0, keypoints: [:])])
            let ours = JSONFaceWriter.encode(record)
            let foundation = String(decoding: try encoder.encode([v]), as: UTF8.self).dropFirst().dropLast()
            #expect(ours.contains(#""box":{"x":\#(foundation),"#), "\(v): \(ours)")
        }
        // Strings that need escaping parse back to themselves.
        let path = "a\"b\\c\n\t\u{01}é/ü.jpg"
        let json = JSONFaceWriter.encode(ImageFaces(path: path, width: 1, height: 2, faces: []))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(parsed["path"] as? String == path)
        #expect(json.contains("/ü.jpg"))
    }

    @Test func aVideoFramesLineCarriesTrackIDsInFrontOfEachFace() {
        let frame = FrameRecord(path: "clip \"1\".mp4", frame: 3, time: 0.12, width: 1280, height: 720, detected: false,
                                faces: [FrameRecord.TrackedEntry(id: 7, framesSinceSeen: 2, face: Self.face)])
        #expect(frame.json == #"{"path":"clip \"1\".mp4","frame":3,"time":0.12,"width":1280,"height":720,"detected":false,"faces":[{"id":7,"since_seen":2,"#
                + String(Self.faceJSON.dropFirst()) + "]}")
        let empty = FrameRecord(path: "-", frame: 0, time: 0, width: 2, height: 2, detected: true, faces: [])
        #expect(empty.json == #"{"path":"-","frame":0,"time":0,"width":2,"height":2,"detected":true,"faces":[]}"#)
        #expect(FrameRecord(path: "v.mp4", frame: 5, error: "v.mp4: broken\n").json == #"{"path":"v.mp4","frame":5,"error":"v.mp4: broken\n"}"#)
    }

    @Test func csvHasOneRowPerFace() throws {
        let expected = """
            path,image_width,image_height,face,score,x,y,width,height,right_eye_x,right_eye_y,left_eye_x,left_eye_y,nose_tip_x,nose_tip_y,\
            mouth_center_x,mouth_center_y,right_ear_tragion_x,right_ear_tragion_y,left_ear_tragion_x,left_ear_tragion_y,error
            "photos/a,b.png",512,384,0,0.91109073,178.06,80.50,94.12,94.12,203.50,100.75,247.90,108.40,221.90,124.70,218.90,145.50,177.90,109.20,271.00,124.60,
            photos/missing.jpg,0,0,,,,,,,,,,,,,,,,,,,photos/missing.jpg: no such file
            photos/empty.jpg,64,48,,,,,,,,,,,,,,,,,,,

            """
        #expect(try Self.text(.csv) == expected)
    }

    @Test func widerWritesOneShortestRoundTripFilePerImage() throws {
        let folder = try Self.written(.wider)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let a = try String(contentsOfFile: folder + "/photos/a,b.txt", encoding: .utf8)
        #expect(a == "a,b\n1\n178.06381225585938 80.5 94.125 94.125 0.9110907316207886\n")
        #expect(try String(contentsOfFile: folder + "/photos/empty.txt", encoding: .utf8) == "empty\n0\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/photos/missing.txt"))
        // Every number reads back as the face's float.
        let fields = a.split(separator: "\n")[2].split(separator: " ").compactMap { Double($0) }.map { Float($0) }
        #expect(fields == [178.06381, 80.5, 94.125, 94.125, 0.91109073])
        #expect(WiderFile.key(forImagePath: "/data/WIDER_val/images/0--Parade/0_Parade_1.jpg") == "0--Parade/0_Parade_1")
    }

    @Test func widerNeedsAFolder() {
        #expect(throws: FaceFormatError.self) { _ = try FaceFormat.wider.makeWriter(output: nil) }
        #expect(throws: FaceFormatError.self) { _ = try FaceFormat.json.makeWriter(output: "/nonexistent-dir/x.json") }
    }

    @Test func cocoIsOneDocumentOfImagesAnnotationsAndCategories() throws {
        let text = try Self.text(.coco)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let images = try #require(doc["images"] as? [[String: Any]])
        #expect(images.count == 2, "the failed image is left out")
        #expect(images.map { $0["id"] as? Int } == [1, 2])
        #expect(images.map { $0["file_name"] as? String } == ["photos/a,b.png", "photos/empty.jpg"])
        #expect(images.first?["width"] as? Int == 512 && images.first?["height"] as? Int == 384)
        let annotations = try #require(doc["annotations"] as? [[String: Any]])
        #expect(annotations.count == 1)
        let a = try #require(annotations.first)
        #expect(a["id"] as? Int == 1 && a["image_id"] as? Int == 1 && a["category_id"] as? Int == 1 && a["iscrowd"] as? Int == 0)
        #expect((a["bbox"] as? [Double])?.map { Float($0) } == [178.06381, 80.5, 94.125, 94.125])
        #expect((a["area"] as? Double).map { Float($0) } == Float(94.125) * Float(94.125))
        #expect((a["score"] as? Double).map { Float($0) } == 0.91109073)
        let keypoints = try #require(a["keypoints"] as? [Double])
        #expect(keypoints.count == 18 && a["num_keypoints"] as? Int == 6)
        #expect(keypoints.prefix(3).map { Float($0) } == [203.5, 100.75, 2])
        let categories = try #require(doc["categories"] as? [[String: Any]])
        #expect(categories.count == 1 && categories.first?["name"] as? String == "face")
        #expect(categories.first?["keypoints"] as? [String] == FaceKeypoint.allCases.map(\.rawValue))
    }

    @Test func everyFormatHasAWriterAndAHelpLine() throws {
        #expect(FaceFormat.allCases.map(\.rawValue) == ["json", "jsonl", "csv", "wider", "coco"])
        for format in FaceFormat.allCases {
            #expect(!format.summary.isEmpty)
            let path = try Self.written(format, [])
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
