/// Which face box a detector reports.
///
/// BlazeFace models put a square over the eyes, nose and mouth; WIDER FACE (and most face
/// datasets) annotate from the hairline to the chin. Keypoints are the same in both styles.
public enum BoxStyle: String, Sendable, Hashable, CaseIterable, Codable {
    /// The model's own box, as MediaPipe reports it.
    case model
    /// The model's box moved to WIDER FACE's convention: its centre goes up by 8 % of its
    /// height, its width is scaled by 0.92 and its height by 1.13. These are the medians, rounded,
    /// of the offsets between about 2,000 int8 front-model detections and the WIDER validation
    /// faces they overlap (README, *Box style*); the float, back and full-range models show the
    /// same offsets within 0.01-0.04.
    case wider

    /// Centre shift (a fraction of the height, upwards), width and height factors.
    var adjustment: (up: Float, width: Float, height: Float) {
        switch self {
        case .model: (0, 1, 1)
        case .wider: (0.08, 0.92, 1.13)
        }
    }

    /// `box` (top-left corner and size, y down) in this style, from a box in the model's style.
    public func apply(to box: Face.Box) -> Face.Box {
        guard self != .model else { return box }
        let a = adjustment
        let centreX = box.x + box.width / 2
        let centreY = box.y + box.height / 2 - a.up * box.height
        let width = box.width * a.width, height = box.height * a.height
        return Face.Box(x: centreX - width / 2, y: centreY - height / 2, width: width, height: height)
    }
}
