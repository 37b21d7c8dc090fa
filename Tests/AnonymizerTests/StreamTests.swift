import Anonymizer
import BlazeFace
import Foundation
import Imaging
import Testing

@Suite struct StreamTests {
    /// `count` frames of the astronaut photo, shrunk to 256 x 256 and panned 2 pixels a frame.
    static func frames(_ count: Int) throws -> [VideoFrame] {
        let photo = try ImageDecoder.decode(path: Fixture.photo).resized(width: 300, height: 300)
        return try (0..<count).map { k in
            var px = [UInt8](repeating: 0, count: 256 * 256 * 3)
            for y in 0..<256 {
                for x in 0..<256 {
                    let sx = min(299, x + 2 * k), o = (y * 256 + x) * 3, i = (y * 300 + sx) * 3
                    px[o] = photo.pixels[i]; px[o + 1] = photo.pixels[i + 1]; px[o + 2] = photo.pixels[i + 2]
                }
            }
            return VideoFrame(image: try RGBImage(width: 256, height: 256, pixels: px), timestamp: Double(k) / 25)
        }
    }

    @Test(.needsFixture) func anAsyncStreamOfFramesGivesTrackedFaces() async throws {
        let detector = try FaceDetector(modelPath: Fixture.model)
        let frames = try Self.frames(12)
        let (stream, camera) = AsyncStream.makeStream(of: VideoFrame.self)
        let feeder = Task {
            for f in frames { camera.yield(f) }
            camera.finish()
        }
        var results: [TrackedFrame] = []
        for try await tracked in stream.trackingFaces(detector: detector, options: FrameTrackingOptions(detectEvery: 3)) {
            results.append(tracked)
        }
        await feeder.value
        #expect(results.count == 12)
        #expect(results.map(\.faces.index) == Array(0..<12))
        #expect(results.map(\.faces.detectorRan) == (0..<12).map { $0 % 3 == 0 })
        // One face, one track id in every frame, following the pan (2 px a frame to the left).
        #expect(results.allSatisfy { $0.faces.faces.map(\.id) == [1] })
        let xs = results.compactMap { $0.faces.faces.first.map { $0.box.x } }
        #expect(xs.count == 12)
        if let first = xs.first, let last = xs.last { #expect(first - last > 12 && first - last < 32, "\(xs)") }
        #expect(results[1].faces.timestamp == 1.0 / 25)
    }

    @Test(.needsFixture) func theSynchronousTrackerMatchesTheSequence() async throws {
        let detector = try FaceDetector(modelPath: Fixture.model)
        let frames = try Self.frames(6)
        var sync = FaceFrameTracker(detector: detector, options: FrameTrackingOptions(detectEvery: 2))
        let expected = frames.map { sync.process($0.image, timestamp: $0.timestamp) }
        let source = AsyncStream(VideoFrame.self) { c in
            for f in frames { c.yield(f) }
            c.finish()
        }
        var got: [FrameFaces] = []
        for try await t in source.trackingFaces(detector: detector, options: FrameTrackingOptions(detectEvery: 2)) { got.append(t.faces) }
        #expect(got == expected)
    }
}
