import Anonymizer
import BlazeFace
import Foundation
import Imaging
import Testing

@Suite struct CropTests {
    /// A grey image with a red dot at each eye and a blue one at the mouth, the face turned by `degrees`.
    func tiltedFace(degrees: Float) throws -> (RGBImage, Face) {
        var px = [UInt8](repeating: 128, count: 240 * 240 * 3)
        let a = degrees * .pi / 180, c = cos(a), s = sin(a)
        func place(_ dx: Float, _ dy: Float) -> Face.Point { Face.Point(x: 120 + c * dx - s * dy, y: 110 + s * dx + c * dy) }
        let right = place(-20, -10), left = place(20, -10), mouth = place(0, 25)
        for (p, colour) in [(right, (255, 0, 0)), (left, (255, 0, 0)), (mouth, (0, 0, 255))] as [(Face.Point, (UInt8, UInt8, UInt8))] {
            for y in Int(p.y) - 3...Int(p.y) + 3 {
                for x in Int(p.x) - 3...Int(p.x) + 3 where (Float(x) - p.x) * (Float(x) - p.x) + (Float(y) - p.y) * (Float(y) - p.y) <= 9 {
                    let i = (y * 240 + x) * 3
                    px[i] = colour.0; px[i + 1] = colour.1; px[i + 2] = colour.2
                }
            }
        }
        let face = Face(box: Face.Box(x: 85, y: 80, width: 70, height: 70), score: 0.9,
                        keypoints: [.rightEye: right, .leftEye: left, .mouthCenter: mouth])
        return (try RGBImage(width: 240, height: 240, pixels: px), face)
    }

    /// Centroids of the strongly red pixels left and right of the middle, and of the blue ones.
    func marks(_ image: RGBImage) -> (left: (Float, Float), right: (Float, Float), blue: (Float, Float)) {
        var sums = [(Float(0), Float(0), Float(0)), (0, 0, 0), (0, 0, 0)]
        for y in 0..<image.height {
            for x in 0..<image.width {
                guard let p = image.pixel(x: x, y: y) else { continue }
                let k: Int
                if p.red > 200 && p.green < 60 && p.blue < 60 { k = x < image.width / 2 ? 0 : 1 }
                else if p.blue > 200 && p.red < 60 { k = 2 } else { continue }
                sums[k].0 += Float(x); sums[k].1 += Float(y); sums[k].2 += 1
            }
        }
        let c = sums.map { $0.2 > 0 ? ($0.0 / $0.2, $0.1 / $0.2) : (-1, -1) }
        return (c[0], c[1], c[2])
    }

    @Test(arguments: [0, 25, -40, 90, 180] as [Float])
    func aTiltedFaceComesOutUprightWithEyesLevel(degrees: Float) throws {
        let (image, face) = try tiltedFace(degrees: degrees)
        let crop = FaceCropper(size: 112, margin: 0.25).crop(image, face: face)
        #expect(crop.width == 112 && crop.height == 112)
        let m = marks(crop)
        #expect(m.left.0 > 0 && m.right.0 > 0 && m.blue.0 > 0)
        // Eyes level, the subject's right eye on the left, the mouth below, all centred.
        #expect(abs(m.left.1 - m.right.1) < 1, "\(m)")
        #expect(m.left.0 < m.right.0)
        #expect(m.blue.1 > m.left.1 + 20)
        #expect(abs((m.left.0 + m.right.0) / 2 - 56) < 1.5)
        #expect(abs(m.blue.0 - 56) < 1.5)
        // The scale: the face box (70 px) times 1.5 spans the crop, so 40 px between the eyes become 40 * 112 / 105.
        #expect(abs((m.right.0 - m.left.0) - 40 * 112 / 105) < 1.5)
    }

    @Test(.needsFixture) func theRotatedAstronautIsCroppedUpright() throws {
        let detector = try FaceDetector(modelPath: Fixture.model)
        let photo = try ImageDecoder.decode(path: Fixture.photo)
        // Turn the photo by 30 degrees about its centre (bilinear, through a crop of the whole image).
        let whole = Face(box: Face.Box(x: 0, y: 0, width: Float(photo.width), height: Float(photo.height)), score: 1, keypoints: [
            .rightEye: Face.Point(x: 0, y: Float(photo.height) / 2),
            .leftEye: Face.Point(x: cos(Float.pi / 6), y: Float(photo.height) / 2 + sin(Float.pi / 6)),
        ])
        let rotated = FaceCropper(size: photo.width, margin: 0).crop(photo, face: whole)
        let found = detector.detect(in: rotated)
        let face = try #require(found.first)
        let r = try #require(face.keypoints[.rightEye]), l = try #require(face.keypoints[.leftEye])
        let tilt = atan2(l.y - r.y, l.x - r.x) * 180 / .pi
        #expect(abs(tilt) > 15, "the test image's face should be tilted, found \(tilt) degrees")
        // One pass of the detector's keypoints leaves part of the tilt; refined keypoints level it.
        let cropper = FaceCropper(size: 192, margin: 0.5)
        let once = try #require(detector.detect(in: cropper.crop(rotated, face: face)).first)
        let o1 = try #require(once.keypoints[.rightEye]), o2 = try #require(once.keypoints[.leftEye])
        let onePass = atan2(o2.y - o1.y, o2.x - o1.x) * 180 / .pi
        let crop = cropper.crop(rotated, face: cropper.refined(face, in: rotated, detector: detector))
        let again = try #require(detector.detect(in: crop).first)
        let r2 = try #require(again.keypoints[.rightEye]), l2 = try #require(again.keypoints[.leftEye])
        let level = atan2(l2.y - r2.y, l2.x - r2.x) * 180 / .pi
        #expect(abs(level) < 5, "eyes at \(level) degrees after alignment (\(tilt) before, \(onePass) after one pass)")
        #expect(abs(level) < abs(onePass))
        #expect(abs(again.box.x + again.box.width / 2 - 96) < 15)
    }
}
