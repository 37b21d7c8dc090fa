import Testing
@testable import BlazeFace

/// The last step of detection: boxes clipped to the image, absurd faces dropped (issue #12
/// item 10; issue #15 items 2 and 3: a damaged model's huge or infinite boxes never reach
/// drawing or output).
@Suite struct FaceSanityTests {
    static func face(_ x: Float, _ y: Float, _ w: Float, _ h: Float, eye: Float = 10) -> Face {
        Face(box: Face.Box(x: x, y: y, width: w, height: h), score: 0.9, keypoints: [.rightEye: Face.Point(x: eye, y: eye)])
    }

    @Test func boxesAreClippedToTheImageAndKeypointsKept() throws {
        let f = try #require(FaceSanity.checked(Self.face(-39.6, 10, 100, 80, eye: -5), width: 200, height: 60, clip: true))
        #expect(f.box == Face.Box(x: 0, y: 10, width: 60.4, height: 50))
        #expect(f.keypoints[.rightEye] == Face.Point(x: -5, y: -5))
        let raw = try #require(FaceSanity.checked(Self.face(-39.6, 10, 100, 80), width: 200, height: 60, clip: false))
        #expect(raw.box == Face.Box(x: -39.6, y: 10, width: 100, height: 80))
    }

    @Test(arguments: [
        (Float(-3e37), Float(0), Float(50), Float(50)), (.infinity, 0, 50, 50), (0, .nan, 50, 50),
        (0, 0, 1e17, 50), (0, 0, 50, -1), (5000, 5000, 50, 50), (-400, 0, 50, 50),
    ])
    func absurdFacesAreDropped(x: Float, y: Float, w: Float, h: Float) {
        #expect(FaceSanity.checked(Self.face(x, y, w, h), width: 200, height: 100, clip: false) == nil)
        #expect(FaceSanity.checked(Self.face(x, y, w, h), width: 200, height: 100, clip: true) == nil)
    }

    @Test func infiniteKeypointsDropTheFaceAndOutsideBoxesGoWhenClipped() {
        #expect(FaceSanity.checked(Self.face(0, 0, 50, 50, eye: .infinity), width: 200, height: 100, clip: false) == nil)
        // Wholly left of the image: kept raw, dropped clipped.
        #expect(FaceSanity.checked(Self.face(-60, 0, 50, 50), width: 200, height: 100, clip: false) != nil)
        #expect(FaceSanity.checked(Self.face(-60, 0, 50, 50), width: 200, height: 100, clip: true) == nil)
    }
}
