import Anonymizer
import BlazeFace
import Foundation
import Testing
import TestSupport

@Suite struct TrackerTests {
    func face(_ x: Float, _ y: Float, _ side: Float = 50) -> Face { syntheticFace(x: x, y: y, side: side) }

    @Test func idsStayWithTheirFacesAsTheyMove() {
        var tracker = FaceTracker()
        var ids: [Int: Set<Int>] = [0: [], 1: []]
        for k in 0..<60 {
            let t = Double(k) / 30
            // Two faces walking towards each other (they never overlap), listed in varying order.
            var dets = [face(20 + Float(k) * 2, 100), face(400 - Float(k) * 2, 100)]
            if k % 2 == 1 { dets.reverse() }
            let out = tracker.update(detections: dets, timestamp: t)
            #expect(out.count == 2)
            for o in out {
                let which = o.face.box.x < 210 ? 0 : 1
                ids[which, default: []].insert(o.id)
                #expect(o.framesSinceSeen == 0)
            }
        }
        #expect(ids[0] == [1])
        #expect(ids[1] == [2])
    }

    @Test func aMissedFaceIsHeldThenDropped() {
        var tracker = FaceTracker(options: TrackerOptions(hold: 3))
        for k in 0..<5 { _ = tracker.update(detections: [face(100, 100)], timestamp: Double(k) / 25) }
        // Missed for 3 frames: still there, same id.
        for k in 5..<8 {
            let out = tracker.update(detections: [], timestamp: Double(k) / 25)
            #expect(out.map(\.id) == [1])
            #expect(out.first?.framesSinceSeen == k - 4)
        }
        // Back: the same track continues.
        #expect(tracker.update(detections: [face(102, 100)], timestamp: 8.0 / 25).map(\.id) == [1])
        // Missed for 4 frames: dropped on the 4th; a later face is a new track.
        for k in 9..<12 { #expect(tracker.update(detections: [], timestamp: Double(k) / 25).count == 1) }
        #expect(tracker.update(detections: [], timestamp: 12.0 / 25).isEmpty)
        #expect(tracker.update(detections: [face(100, 100)], timestamp: 13.0 / 25).map(\.id) == [2])
    }

    @Test func betweenDetectorRunsTracksCoastAndAreKept() {
        var tracker = FaceTracker(options: TrackerOptions(hold: 0), detectEvery: 4)
        // Moving right at 60 px/s, seen on frames 0, 4, 8...
        var coasted: [Float] = []
        for k in 0..<24 {
            let t = Double(k) / 30
            if k % 4 == 0 {
                let out = tracker.update(detections: [face(100 + Float(t) * 60, 100)], timestamp: t)
                #expect(out.count == 1)
            } else {
                let out = tracker.coast(timestamp: t)
                #expect(out.map(\.id) == [1], "frame \(k)")
                if k > 16, let b = out.first?.box { coasted.append(b.x + b.width / 2 - (125 + Float(t) * 60)) }
            }
        }
        // The coasting box follows the motion: centre within 5 px (a tenth of the face) of the true
        // one; the one-euro lag is about 3 px at this speed, and standing still would lag up to 9 px.
        #expect(!coasted.isEmpty)
        #expect(coasted.allSatisfy { abs($0) < 5 }, "\(coasted)")
        // With hold 0 a miss on the next detector run drops it after the frames between runs.
        _ = tracker.update(detections: [], timestamp: 24.0 / 30)
        #expect(tracker.current.isEmpty)
    }

    @Test func theSmootherSteadiesJitterAndConvergesAfterAJump() throws {
        var tracker = FaceTracker()
        var rng = SplitMix64(seed: 3)
        var rawErr = 0.0, smoothErr = 0.0
        for k in 0..<90 {
            let jitter = { Float(Double(rng.next() % 1000) / 1000 - 0.5) * 6 }
            let det = face(200 + jitter(), 150 + jitter())
            let out = tracker.update(detections: [det], timestamp: Double(k) / 30)
            if k >= 30, let b = out.first?.box {
                smoothErr += Double(abs(b.x - 200))
                rawErr += Double(abs(det.box.x - 200))
            }
        }
        #expect(smoothErr < rawErr / 2, "raw \(rawErr) smoothed \(smoothErr)")
        // A jump of 20 px (same track: overlapping) is reached within 0.5 s.
        var last: Face.Box?
        for k in 90..<105 { last = tracker.update(detections: [face(220, 150)], timestamp: Double(k) / 30).first?.box }
        let b = try #require(last)
        #expect(abs(b.x - 220) < 1)
        #expect(tracker.current.map(\.id) == [1])
    }

    @Test func coveringBoxHoldsTheRawDetectionAndTheSmoothedBox() throws {
        var tracker = FaceTracker()
        _ = tracker.update(detections: [face(100, 100)], timestamp: 0)
        let out = tracker.update(detections: [face(110, 100)], timestamp: 1.0 / 30)
        let t = try #require(out.first)
        let c = t.coveringBox
        #expect(t.id == 1 && t.framesSinceSeen == 0)
        #expect(c.x <= 110 && c.x + c.width >= 160)
        #expect(c.x <= t.box.x)
    }

    @Test func weakDetectionsContinueATrackButStartNone() {
        var tracker = FaceTracker(options: TrackerOptions(hold: 0, startScore: 0.5))
        // A weak face alone starts nothing (a false detection at the lower score stays unmasked).
        #expect(tracker.update(detections: [syntheticFace(x: 300, y: 50, side: 40, score: 0.3)], timestamp: 0).isEmpty)
        // A strong one starts a track; then the same face, fading to 0.3, keeps it, while a new weak one elsewhere does not start one.
        #expect(tracker.update(detections: [syntheticFace(x: 100, y: 100, side: 50, score: 0.8)], timestamp: 1.0 / 25).map(\.id) == [1])
        for k in 2..<12 {
            let fading = syntheticFace(x: 100 + Float(k), y: 100, side: 50, score: 0.8 - 0.05 * Float(k))
            let out = tracker.update(detections: [syntheticFace(x: 300, y: 50, side: 40, score: 0.3), fading], timestamp: Double(k) / 25)
            #expect(out.map(\.id) == [1], "frame \(k)")
            #expect(out.first?.framesSinceSeen == 0)
        }
        // Without hysteresis every detection starts a track.
        var plain = FaceTracker(options: TrackerOptions(hold: 0))
        #expect(plain.update(detections: [syntheticFace(x: 300, y: 50, side: 40, score: 0.3)], timestamp: 0).map(\.id) == [1])
    }

    @Test func oneEuroFilterPassesAConstantAndFollowsARamp() {
        var f = OneEuroFilter(minCutoff: 1, beta: 0.5)
        for k in 0..<30 { #expect(f.filter(5, at: Double(k) / 30) == 5) }
        var g = OneEuroFilter(minCutoff: 1, beta: 0.5)
        var y = 0.0
        for k in 0..<120 { y = g.filter(Double(k), at: Double(k) / 30) }
        // A ramp of 30 units/s: the lag is bounded and the speed estimate converges.
        #expect(119 - y < 5)
        #expect(abs(g.speed - 30) < 1)
        // Non-finite or repeated samples change nothing.
        #expect(g.filter(.nan, at: 5) == y)
        #expect(g.filter(1000, at: 119.0 / 30) == y)
    }
}
